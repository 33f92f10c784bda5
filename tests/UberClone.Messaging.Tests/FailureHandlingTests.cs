using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UberClone.Contracts;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Embedded;
using UberClone.Messaging.Tests.Infrastructure;

namespace UberClone.Messaging.Tests;

public sealed class FailureHandlingTests
{
    [Fact]
    public async Task Handler_failing_twice_then_succeeding_is_handled_and_committed_once()
    {
        var topic = TestHosts.Unique("flaky");
        var group = TestHosts.Unique("group");
        await using var broker = await Kafka.StartBrokerAsync(topic, Topics.DeadLetter(topic));
        var probe = new Probe<Ping>
        {
            Behaviour = (_, context, _) => context.Attempt <= 2 ? throw new TimeoutException("not yet") : Task.CompletedTask,
        };
        using (var host = await StartAsync(broker, topic, group, probe))
        {
            await host.Services.GetRequiredService<IEventPublisher>()
                .PublishAsync(topic, "trip-1", new Ping("flaky", 1), TestContext.Current.CancellationToken);

            var handled = Assert.Single(await probe.HandledAsync(1));
            Assert.Equal(3, handled.Context.Attempt);
            Assert.Equal([1, 2, 3], probe.Calls.Select(c => c.Attempt));

            var original = Assert.Single(await Kafka.ReadAsync(broker, topic, 1));
            await Eventually.HoldsAsync(
                () => Kafka.Committed(broker, group, original.TopicPartition) == original.Offset.Value + 1,
                "the group committed past the message");
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, Kafka.Count(broker, Topics.DeadLetter(topic)));

        // The same group, restarted, resumes after the message instead of handling it again.
        var next = new Probe<Ping>();
        using (var host = await StartAsync(broker, topic, group, next))
        {
            await host.Services.GetRequiredService<IEventPublisher>()
                .PublishAsync(topic, "trip-1", new Ping("next", 2), TestContext.Current.CancellationToken);
            Assert.Equal("next", Assert.Single(await next.HandledAsync(1)).Data.Text);
            Assert.Empty(await next.MoreWithinAsync(TimeSpan.FromMilliseconds(300)));
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Message_that_always_fails_goes_to_dlq_with_error_headers_and_the_next_is_processed()
    {
        var topic = TestHosts.Unique("poison");
        await using var broker = await Kafka.StartBrokerAsync(topic, Topics.DeadLetter(topic));
        var probe = new Probe<Ping>
        {
            Behaviour = (ping, _, _) => ping.Text == "poison" ? throw new InvalidOperationException("cannot digest poison") : Task.CompletedTask,
        };
        var group = TestHosts.Unique("group");
        using var host = await StartAsync(broker, topic, group, probe);
        var publisher = host.Services.GetRequiredService<IEventPublisher>();

        await publisher.PublishAsync(topic, "trip-1", new Ping("poison", 1), TestContext.Current.CancellationToken);
        await publisher.PublishAsync(topic, "trip-1", new Ping("fine", 2), TestContext.Current.CancellationToken);

        Assert.Equal("fine", Assert.Single(await probe.HandledAsync(1)).Data.Text);
        Assert.Equal([1, 2, 3, 1], probe.Calls.Select(c => c.Attempt));

        var original = (await Kafka.ReadAsync(broker, topic, 2))[0];
        var deadLetter = Assert.Single(await Kafka.ReadAsync(broker, Topics.DeadLetter(topic), 1));
        Assert.Equal("trip-1", deadLetter.Message.Key);
        Assert.Equal(original.Message.Value, deadLetter.Message.Value);
        Assert.Equal(Kafka.Header(original, MessageHeaders.MessageId), Kafka.Header(deadLetter, MessageHeaders.MessageId));
        Assert.Equal(typeof(InvalidOperationException).FullName, Kafka.Header(deadLetter, MessageHeaders.DeadLetterErrorType));
        Assert.Equal("cannot digest poison", Kafka.Header(deadLetter, MessageHeaders.DeadLetterErrorMessage));
        Assert.Equal(topic, Kafka.Header(deadLetter, MessageHeaders.DeadLetterOriginalTopic));
        Assert.Equal(original.Partition.Value.ToString(), Kafka.Header(deadLetter, MessageHeaders.DeadLetterOriginalPartition));
        Assert.Equal(original.Offset.Value.ToString(), Kafka.Header(deadLetter, MessageHeaders.DeadLetterOriginalOffset));
        Assert.Equal("3", Kafka.Header(deadLetter, MessageHeaders.DeadLetterAttempts));
        Assert.Equal(group, Kafka.Header(deadLetter, MessageHeaders.DeadLetterConsumerGroup));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"id":"","type":"t","data":{"text":"x","sequence":1}}""")]
    [InlineData("""{"id":"0198c3a0-0000-7000-8000-000000000001","type":"t","version":1,"data":"not a ping"}""")]
    public async Task Malformed_message_goes_to_dlq_and_consumption_continues(string value)
    {
        var topic = TestHosts.Unique("malformed");
        await using var broker = await Kafka.StartBrokerAsync(topic, Topics.DeadLetter(topic));
        var probe = new Probe<Ping>();
        using var host = await StartAsync(broker, topic, TestHosts.Unique("group"), probe);

        using (var producer = Kafka.Producer(broker))
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "trip-1", Value = Encoding.UTF8.GetBytes(value) },
                TestContext.Current.CancellationToken);
        }
        await host.Services.GetRequiredService<IEventPublisher>()
            .PublishAsync(topic, "trip-1", new Ping("fine", 2), TestContext.Current.CancellationToken);

        Assert.Equal("fine", Assert.Single(await probe.HandledAsync(1)).Data.Text);
        Assert.Single(probe.Calls);
        var deadLetter = Assert.Single(await Kafka.ReadAsync(broker, Topics.DeadLetter(topic), 1));
        Assert.Equal(value, Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.Equal(typeof(MalformedMessageException).FullName, Kafka.Header(deadLetter, MessageHeaders.DeadLetterErrorType));
        Assert.Equal("0", Kafka.Header(deadLetter, MessageHeaders.DeadLetterAttempts));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Message_interrupted_by_shutdown_is_redelivered_to_the_next_consumer()
    {
        var topic = TestHosts.Unique("interrupted");
        var group = TestHosts.Unique("group");
        await using var broker = await Kafka.StartBrokerAsync(topic, Topics.DeadLetter(topic));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new Probe<Ping>
        {
            Behaviour = async (_, _, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        using (var host = await StartAsync(broker, topic, group, stuck))
        {
            await host.Services.GetRequiredService<IEventPublisher>()
                .PublishAsync(topic, "trip-1", new Ping("interrupted", 1), TestContext.Current.CancellationToken);
            await started.Task.WaitAsync(Deadlines.Message, TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        var next = new Probe<Ping>();
        using (var host = await StartAsync(broker, topic, group, next))
        {
            var handled = Assert.Single(await next.HandledAsync(1));
            Assert.Equal("interrupted", handled.Data.Text);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, Kafka.Count(broker, Topics.DeadLetter(topic)));
    }

    private static Task<IHost> StartAsync(EmbeddedKafkaBroker broker, string topic, string group, Probe<Ping> probe) =>
        TestHosts.StartAsync(broker, builder =>
        {
            // A member joining a group that had one waits session timeout - 1 s on the embedded broker; keep that short.
            builder.Configuration["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = "2500";
            builder.Configuration["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = "500";
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o =>
            {
                o.GroupId = group;
                o.MaxAttempts = 3;
                o.InitialBackoff = TimeSpan.FromMilliseconds(10);
            });
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });
}
