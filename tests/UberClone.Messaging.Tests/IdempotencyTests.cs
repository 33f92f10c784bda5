using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Tests.Infrastructure;
using UberClone.Storage;

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
