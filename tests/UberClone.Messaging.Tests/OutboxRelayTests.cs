using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using UberClone.Messaging.Tests.Infrastructure;
using UberClone.Storage;

namespace UberClone.Messaging.Tests;

public sealed class OutboxRelayTests
{
    [Fact]
    public async Task Outbox_relay_publishes_pending_messages_in_order_and_marks_them()
    {
        var topic = TestHosts.Unique("relayed");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var outbox = new InMemoryOutbox();
        // More than one relay batch (100), all for one trip, so order is observable.
        var stored = Enumerable.Range(0, 150).Select(i => OutboxMessages.Create(topic, "trip-7", new Ping("stored", i))).ToList();
        outbox.Add(stored);
        var probe = new Probe<Ping>();
        using var host = await TestHosts.StartAsync(broker, builder =>
        {
            builder.Services.AddSingleton<IOutbox>(outbox);
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("group"));
            builder.AddOutboxRelay();
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic);
        });

        var handled = await probe.HandledAsync(stored.Count);
        Assert.Equal(stored.Select(m => m.Id), handled.Select(h => h.Context.MessageId));
        await Eventually.HoldsAsync(() => outbox.Pending.Count == 0, "the outbox has nothing pending");
        Assert.Equal(stored.Select(m => m.Id), outbox.Published.Select(m => m.Id));

        // Messages stored while the relay runs are picked up by its polling.
        var later = OutboxMessages.Create(topic, "trip-7", new Ping("later", 150));
        outbox.Add([later]);
        Assert.Equal(later.Id, Assert.Single(await probe.HandledAsync(1)).Context.MessageId);
        await Eventually.HoldsAsync(() => outbox.Pending.Count == 0, "the later message is marked");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
