using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Messaging.Tests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task Redelivered_message_id_is_handled_once()
    {
        var topic = TestHosts.Unique("dedupe");
        var group = TestHosts.Unique("group");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var database = new InMemoryDocumentDatabase();
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton<IDocumentDatabase>(database);
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = group);
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });
        var publisher = host.Services.GetRequiredService<IEventPublisher>();
        var message = OutboxMessages.Create(topic, "trip-1", new Ping("once", 1));

        // What a relay that crashed before marking its batch does: publish the same message again.
        await publisher.PublishAsync(message, TestContext.Current.CancellationToken);
        await publisher.PublishAsync(message, TestContext.Current.CancellationToken);
        await publisher.PublishAsync(topic, "trip-1", new Ping("after", 2), TestContext.Current.CancellationToken);

        var handled = await probe.HandledAsync(2);
        Assert.Equal(["once", "after"], handled.Select(h => h.Data.Text));
        Assert.Empty(await probe.MoreWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(2, probe.Calls.Count);
        var record = await database.Collection<ProcessedMessage>("processed_messages")
            .GetAsync($"{group}:{message.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(topic, record?.Document.Topic);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_handled_messages_id_is_forgotten_once_its_retention_ends()
    {
        var topic = TestHosts.Unique("forget");
        var group = TestHosts.Unique("group");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var database = new InMemoryDocumentDatabase();
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Configuration["Messaging:ProcessedMessageRetention"] = "00:05:00";
            builder.Services.AddSingleton<IDocumentDatabase>(database);
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = group);
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });
        var message = OutboxMessages.Create(topic, "trip-1", new Ping("once", 1));
        await host.Services.GetRequiredService<IEventPublisher>().PublishAsync(message, TestContext.Current.CancellationToken);
        await probe.HandledAsync(1);
        var records = database.Collection<ProcessedMessage>("processed_messages");
        var id = $"{group}:{message.Id}";
        await WaitForAsync(async () => await records.GetAsync(id, TestContext.Current.CancellationToken) is not null);
        RetentionSweeper SweeperIn(TimeSpan ahead) =>
            ActivatorUtilities.CreateInstance<RetentionSweeper>(host.Services, new FakeTimeProvider(DateTimeOffset.UtcNow + ahead));

        var rule = Assert.Single(SweeperIn(TimeSpan.Zero).Rules);
        Assert.Equal(("processed_messages", TimeSpan.FromMinutes(5)), (rule.Collection, rule.KeepFor));
        Assert.Equal(0, (await SweeperIn(TimeSpan.FromMinutes(4)).SweepAsync(TestContext.Current.CancellationToken))["processed_messages"]);
        Assert.NotNull(await records.GetAsync(id, TestContext.Current.CancellationToken));

        Assert.Equal(1, (await SweeperIn(TimeSpan.FromMinutes(6)).SweepAsync(TestContext.Current.CancellationToken))["processed_messages"]);
        Assert.Null(await records.GetAsync(id, TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_retention_under_a_minute_is_refused_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Messaging:ProcessedMessageRetention"] = "00:00:10";
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMessaging(o => o.GroupId = "g"));
        Assert.Contains("Messaging:ProcessedMessageRetention", error.Message);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not within 10 s.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Handler_registered_not_idempotent_sees_every_delivery()
    {
        var topic = TestHosts.Unique("every");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton<IDocumentDatabase>(new InMemoryDocumentDatabase());
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("group"));
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic, idempotent: false);
        });
        var message = OutboxMessages.Create(topic, "driver-1", new Ping("location", 1));

        await host.Services.GetRequiredService<IEventPublisher>().PublishAsync(message, TestContext.Current.CancellationToken);
        await host.Services.GetRequiredService<IEventPublisher>().PublishAsync(message, TestContext.Current.CancellationToken);

        Assert.All(await probe.HandledAsync(2), h => Assert.Equal(message.Id, h.Context.MessageId));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
