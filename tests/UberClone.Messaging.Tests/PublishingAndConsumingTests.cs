using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UberClone.Messaging.Tests.Infrastructure;
using UberClone.Storage;

namespace UberClone.Messaging.Tests;

public sealed class PublishingAndConsumingTests
{
    [Fact]
    public async Task Published_message_reaches_its_handler_with_envelope_and_headers()
    {
        var topic = TestHosts.Unique("ping");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("group"));
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });

        await host.Services.GetRequiredService<IEventPublisher>()
            .PublishAsync(topic, "trip-1", new Ping("hello", 1), TestContext.Current.CancellationToken);

        var handled = Assert.Single(await probe.HandledAsync(1));
        Assert.Equal(new Ping("hello", 1), handled.Data);
        Assert.Equal(topic, handled.Context.Topic);
        Assert.Equal("trip-1", handled.Context.Key);
        Assert.Equal(topic, handled.Context.Type);
        Assert.Equal(1, handled.Context.Attempt);
        Assert.True(Guid.TryParse(handled.Context.MessageId, out var id) && id.Version == 7);
        Assert.InRange(handled.Context.OccurredAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);

        var raw = Assert.Single(await Kafka.ReadAsync(broker, topic, 1));
        Assert.Equal("trip-1", raw.Message.Key);
        Assert.Equal(raw.Partition.Value, handled.Context.Partition);
        // The only member of its group holds every partition, and knows it.
        var ownership = host.Services.GetRequiredService<PartitionOwnership>();
        Assert.Equal([0, 1, 2, 3], ownership.Held(topic));
        Assert.Equal(handled.Context.MessageId, Kafka.Header(raw, MessageHeaders.MessageId));
        Assert.Equal(topic, Kafka.Header(raw, MessageHeaders.Type));
        Assert.Matches("^[0-9a-f]{32}$", Kafka.Header(raw, MessageHeaders.PublisherInstance));
        using var envelope = JsonDocument.Parse(raw.Message.Value);
        var root = envelope.RootElement;
        Assert.Equal(handled.Context.MessageId, root.GetProperty("id").GetString());
        Assert.Equal(topic, root.GetProperty("type").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("trip-1", root.GetProperty("entityId").GetString());
        Assert.Equal(handled.Context.OccurredAt, root.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("hello", root.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(1, root.GetProperty("data").GetProperty("sequence").GetInt32());

        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Two_members_of_a_group_each_know_the_partitions_they_hold_and_together_all_of_them()
    {
        var topic = TestHosts.Unique("shared");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var group = TestHosts.Unique("group");
        void Configure(HostApplicationBuilder builder)
        {
            builder.Services.AddSingleton(new Probe<Ping>());
            builder.AddMessaging(o => o.GroupId = group);
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        }
        using var first = await TestHosts.StartAsync(broker, Configure);
        using var second = await TestHosts.StartAsync(broker, Configure);
        var owners = new[] { first, second }.Select(h => h.Services.GetRequiredService<PartitionOwnership>()).ToArray();

        // Cooperative rebalancing moves partitions to the second member a few at a time: wait until it holds some.
        bool Split() => owners.Select(o => o.Held(topic) ?? []).ToArray() is var held
            && held.SelectMany(h => h).Order().SequenceEqual([0, 1, 2, 3]) && held.All(h => h.Count > 0);
        await Eventually.HoldsAsync(Split, "each partition held by exactly one member, each member holding some", TimeSpan.FromSeconds(60));

        await second.StopAsync(TestContext.Current.CancellationToken);
        Assert.Empty(owners[1].Held(topic)!);
        await Eventually.HoldsAsync(() => owners[0].Held(topic)?.SequenceEqual([0, 1, 2, 3]) == true, "the first member holding every partition again", TimeSpan.FromSeconds(60));
        await first.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Messages_with_the_same_key_arrive_in_order()
    {
        var topic = TestHosts.Unique("ordered");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("group"));
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });
        var publisher = host.Services.GetRequiredService<IEventPublisher>();
        string[] keys = ["trip-a", "trip-b", "trip-c"];
        const int perKey = 100;

        // Started without awaiting each one, as a busy service would: order must still hold per key.
        var publishes = Enumerable.Range(0, perKey)
            .SelectMany(i => keys.Select(key => publisher.PublishAsync(topic, key, new Ping(key, i), TestContext.Current.CancellationToken)))
            .ToList();
        await Task.WhenAll(publishes);

        var handled = await probe.HandledAsync(keys.Length * perKey);
        foreach (var key in keys)
        {
            Assert.Equal(Enumerable.Range(0, perKey), handled.Where(h => h.Context.Key == key).Select(h => h.Data.Sequence));
        }
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Trace_context_crosses_the_broker()
    {
        var topic = TestHosts.Unique("traced");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        using var requests = new ActivitySource(TestHosts.Unique("Tests.Requests"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == requests.Name || source.Name == MessagingDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("group"));
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });
        var publisher = host.Services.GetRequiredService<IEventPublisher>();

        string directTrace, storedTrace;
        OutboxMessage stored;
        using (var request = requests.StartActivity("POST /trips"))
        {
            directTrace = request!.TraceId.ToString();
            await publisher.PublishAsync(topic, "trip-1", new Ping("direct", 1), TestContext.Current.CancellationToken);
        }
        using (var request = requests.StartActivity("POST /trips/accept"))
        {
            storedTrace = request!.TraceId.ToString();
            stored = OutboxMessages.Create(topic, "trip-1", new Ping("stored", 2));
        }
        // Relayed later, outside the request: the stored traceparent carries the trace.
        await publisher.PublishAsync(stored, TestContext.Current.CancellationToken);

        var handled = await probe.HandledAsync(2);
        Assert.Equal(directTrace, handled[0].TraceId);
        Assert.Equal(storedTrace, handled[1].TraceId);
        Assert.All(handled, h => Assert.Equal(ActivityKind.Consumer, h.SpanKind));
        Assert.All(handled, h => Assert.Equal(MessagingDiagnostics.ActivitySourceName, h.SpanSource));

        var raw = await Kafka.ReadAsync(broker, topic, 2);
        Assert.Contains(directTrace, Kafka.Header(raw[0], MessageHeaders.TraceParent));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
