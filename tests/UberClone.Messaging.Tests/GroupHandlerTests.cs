using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Embedded;
using UberClone.Messaging.Tests.Infrastructure;
using UberClone.Storage;

namespace UberClone.Messaging.Tests;

/// <summary>
/// Handlers in a consumer group of their own (AddGroupMessageHandler): a service whose main group is each replica's own
/// (the gateway: every replica forwards every event to its sockets) still does some work once (mail a receipt).
/// </summary>
public sealed class GroupHandlerTests
{
    [Fact]
    public async Task Every_replica_reads_every_message_in_its_own_group_and_one_replica_handles_it_in_the_shared_group()
    {
        var topic = TestHosts.Unique("paid");
        var service = TestHosts.Unique("gw");
        var shared = $"{service}-mail";
        await using var broker = await Kafka.StartBrokerAsync(topic);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var once = new Once(new Probe<Ping>());
        var (first, second) = (new Probe<Ping>(), new Probe<Ping>());
        using var a = await StartReplicaAsync(broker, service, "replica-a", topic, first, once, shared);
        using var b = await StartReplicaAsync(broker, service, "replica-b", topic, second, once, shared);
        await AssignedAsync(a, shared);
        await AssignedAsync(b, shared);

        // Eight keys land on several of the topic's four partitions, shared between the two replicas.
        var publisher = a.Services.GetRequiredService<IEventPublisher>();
        for (var i = 0; i < 8; i++) await publisher.PublishAsync(topic, $"key-{i}", new Ping($"m{i}", i), TestContext.Current.CancellationToken);

        var expected = Enumerable.Range(0, 8).Select(i => $"m{i}").Order().ToList();
        Assert.Equal(expected, (await first.HandledAsync(8)).Select(h => h.Data.Text).Order());
        Assert.Equal(expected, (await second.HandledAsync(8)).Select(h => h.Data.Text).Order());
        var handledOnce = await once.Probe.HandledAsync(8);
        Assert.Equal(expected, handledOnce.Select(h => h.Data.Text).Order());
        Assert.All(handledOnce, h => Assert.Equal(shared, h.ConsumerGroup));
        Assert.Empty(await once.Probe.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));
        await a.StopAsync(TestContext.Current.CancellationToken);
        await b.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_redelivered_message_is_handled_once_in_the_shared_group_and_recorded_under_its_name()
    {
        var topic = TestHosts.Unique("paid");
        var service = TestHosts.Unique("gw");
        var shared = $"{service}-mail";
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var database = new InMemoryDocumentDatabase();
        var once = new Once(new Probe<Ping>());
        using var host = await StartReplicaAsync(broker, service, "replica-a", topic, new Probe<Ping>(), once, shared, database);
        await AssignedAsync(host, shared);
        var message = OutboxMessages.Create(topic, "trip-1", new Ping("receipt", 1));

        var publisher = host.Services.GetRequiredService<IEventPublisher>();
        await publisher.PublishAsync(message, TestContext.Current.CancellationToken);
        await publisher.PublishAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal("receipt", Assert.Single(await once.Probe.HandledAsync(1)).Data.Text);
        Assert.Empty(await once.Probe.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));
        var record = await database.Collection<ProcessedMessage>("processed_messages")
            .GetAsync($"{shared}:{message.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(shared, record?.Document.GroupId);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_new_shared_group_handles_what_is_already_on_the_topic_but_nothing_older_than_a_day()
    {
        var topic = TestHosts.Unique("paid");
        var service = TestHosts.Unique("gw");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var now = DateTimeOffset.UtcNow;
        await Kafka.ProduceAtAsync(broker, topic, new Ping("two days ago", 1), now.AddDays(-2));
        await Kafka.ProduceAtAsync(broker, topic, new Ping("an hour ago", 2), now.AddHours(-1));
        var everyReplica = new Probe<Ping>();
        var once = new Once(new Probe<Ping>());

        // The main group (from now, like the gateway's) reads neither; the shared group the recent one.
        using var host = await StartReplicaAsync(broker, service, "replica-a", topic, everyReplica, once, $"{service}-mail");
        Assert.Equal("an hour ago", Assert.Single(await once.Probe.HandledAsync(1)).Data.Text);
        Assert.Empty(await once.Probe.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Empty(await everyReplica.MoreWithinAsync(TimeSpan.FromMilliseconds(100)));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_replica_left_without_a_partition_of_the_shared_group_is_still_ready()
    {
        // Five replicas, four partitions: one holds none of the shared group's, and must not stay out of service for it.
        var topic = TestHosts.Unique("paid");
        var service = TestHosts.Unique("gw");
        var shared = $"{service}-mail";
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var once = new Once(new Probe<Ping>());
        var replicas = new List<IHost>();
        try
        {
            for (var i = 0; i < 5; i++) replicas.Add(await StartReplicaAsync(broker, service, $"replica-{i}", topic, new Probe<Ping>(), once, shared));
            foreach (var replica in replicas) await AssignedAsync(replica, shared);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.StopAsync(TestContext.Current.CancellationToken);
                replica.Dispose();
            }
        }
    }

    [Fact]
    public void A_topic_gets_one_handler_per_shared_group_beside_its_main_groups_handler()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "svc" });
        builder.Configuration["ConnectionStrings:kafka"] = "127.0.0.1:9";
        builder.AddMessaging();
        builder.AddMessageHandler<Ping, ProbeHandler<Ping>>("t1", idempotent: false);
        builder.AddGroupMessageHandler<Ping, OnceHandler>("t1", "svc-mail");
        Assert.Contains("already has a handler in group 'svc-mail'",
            Assert.Throws<InvalidOperationException>(() => builder.AddGroupMessageHandler<Ping, OnceHandler>("t1", "svc-mail")).Message);
        // Another shared group is another consumer: allowed.
        builder.AddGroupMessageHandler<Ping, OnceHandler>("t1", "svc-audit");
    }

    /// <summary>The shared group's handler records into a probe of its own (the main group's handler has the other).</summary>
    public sealed record Once(Probe<Ping> Probe);

    public sealed class OnceHandler(Once once) : IMessageHandler<Ping>
    {
        public Task HandleAsync(Ping data, MessageContext context, CancellationToken ct) => once.Probe.HandleAsync(data, context, ct);
    }

    private static async Task AssignedAsync(IHost host, string group)
    {
        var name = $"{ConsumerReadiness.HealthCheckName}:{group}";
        var deadline = DateTime.UtcNow + Deadlines.Message;
        HealthReportEntry entry;
        while ((entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken)).Entries[name]).Status != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still not assigned: {entry.Description}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A gateway replica in small: its main group is its own, reading from now; the shared group reads once.</summary>
    private static Task<IHost> StartReplicaAsync(
        EmbeddedKafkaBroker broker, string service, string instance, string topic, Probe<Ping> everyReplica, Once once, string shared,
        IDocumentDatabase? database = null) =>
        TestHosts.StartAsync(broker, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}" });
            builder.Services.AddSingleton(database ?? new InMemoryDocumentDatabase());
            builder.Services.AddSingleton(everyReplica);
            builder.Services.AddSingleton(once);
            builder.AddMessaging(o =>
            {
                o.GroupId = $"{service}-{instance}";
                o.StartFromLatest = true;
            });
            builder.AddMessageHandler<Ping, ProbeHandler<Ping>>(topic, idempotent: false);
            builder.AddGroupMessageHandler<Ping, OnceHandler>(topic, shared);
        });
}
