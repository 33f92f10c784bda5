using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using UberClone.Contracts;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Embedded;
using UberClone.Messaging.Tests.Infrastructure;
using UberClone.Storage;

namespace UberClone.Messaging.Tests;

/// <summary>
/// Handlers every replica runs on every message (AddInstanceMessageHandler): replicas of one service each see all
/// partitions, and a replica that starts re-reads the recent past, not older messages and not only new ones.
/// </summary>
public sealed class InstanceHandlerTests
{
    private static readonly TimeSpan Replay = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_replica_sees_every_message_of_every_partition()
    {
        var topic = TestHosts.Unique("broadcast");
        var group = TestHosts.Unique("svc");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var (first, second) = (new Probe<Ping>(), new Probe<Ping>());
        using var a = await StartReplicaAsync(broker, group, "replica-a", topic, first);
        using var b = await StartReplicaAsync(broker, group, "replica-b", topic, second);

        var publisher = a.Services.GetRequiredService<IEventPublisher>();
        // Eight keys land on several of the topic's four partitions.
        for (var i = 0; i < 8; i++) await publisher.PublishAsync(topic, $"key-{i}", new Ping($"m{i}", i), TestContext.Current.CancellationToken);

        foreach (var (probe, replica) in new[] { (first, "replica-a"), (second, "replica-b") })
        {
            var handled = await probe.HandledAsync(8);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"m{i}").Order(), handled.Select(h => h.Data.Text).Order());
            // Each handler's span names the group that read it: the replica's own, not the service's.
            Assert.All(handled, h => Assert.Equal($"{group}-{replica}", h.ConsumerGroup));
        }
        await a.StopAsync(TestContext.Current.CancellationToken);
        await b.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_replica_that_starts_reads_the_replay_window_and_nothing_older()
    {
        var topic = TestHosts.Unique("replay");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var now = DateTimeOffset.UtcNow;
        await Kafka.ProduceAtAsync(broker, topic, new Ping("an hour ago", 1), now.AddHours(-1));
        await Kafka.ProduceAtAsync(broker, topic, new Ping("six minutes ago", 2), now.AddMinutes(-6));
        await Kafka.ProduceAtAsync(broker, topic, new Ping("four minutes ago", 3), now.AddMinutes(-4));
        await Kafka.ProduceAtAsync(broker, topic, new Ping("just now", 4), now);

        // The first replayed message is held, so the replay cannot have been read to its end yet.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = new Probe<Ping> { Behaviour = (_, _, ct) => release.Task.WaitAsync(ct) };
        using var host = await StartReplicaAsync(broker, TestHosts.Unique("svc"), "restarted", topic, probe);
        var held = DateTime.UtcNow + Deadlines.Message;
        while (probe.Calls.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < held, "The replay never reached the handler.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.Equal(HealthStatus.Unhealthy, (await HealthAsync(host)).Entries[ConsumerReadiness.InstanceHealthCheckName].Status);

        release.SetResult();
        var handled = await probe.HandledAsync(2);
        Assert.Equal(["four minutes ago", "just now"], handled.Select(h => h.Data.Text));
        // Ready once the replay is read to the end of every partition (three of the four are empty).
        var deadline = DateTime.UtcNow + Deadlines.Message;
        HealthReportEntry replayed;
        while ((replayed = (await HealthAsync(host)).Entries[ConsumerReadiness.InstanceHealthCheckName]).Status != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still not ready: {replayed.Description}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Empty(await probe.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));

        // And it keeps consuming what comes next.
        await host.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "key", new Ping("later", 5), TestContext.Current.CancellationToken);
        Assert.Equal("later", Assert.Single(await probe.HandledAsync(1)).Data.Text);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_group_consumer_joins_its_group_only_once_the_instance_replay_is_read()
    {
        var (presence, created) = (TestHosts.Unique("presence"), TestHosts.Unique("created"));
        await using var broker = await Kafka.StartBrokerAsync(presence, created);
        await Kafka.ProduceAtAsync(broker, presence, new Ping("a driver's position", 1), DateTimeOffset.UtcNow);

        // The replayed position is held, so the replica's fleet view is not filled yet.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var positions = new Probe<Ping> { Behaviour = (_, _, ct) => release.Task.WaitAsync(ct) };
        var trips = new Probe<TripToDispatch>();
        using var host = await StartDispatcherAsync(broker, presence, positions, created, trips);
        await Eventually.HoldsAsync(() => !positions.Calls.IsEmpty, "the replay reached the instance handler");
        await host.Services.GetRequiredService<IEventPublisher>().PublishAsync(
            created, "trip-1", new TripToDispatch("trip-1"), TestContext.Current.CancellationToken);

        // Not joined: the trip stays with the group (other replicas, were there any) instead of this one's empty view.
        Assert.Empty(await trips.MoreWithinAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(HealthStatus.Unhealthy, (await HealthAsync(host)).Entries[ConsumerReadiness.HealthCheckName].Status);

        release.SetResult();
        Assert.Equal("trip-1", Assert.Single(await trips.HandledAsync(1)).Data.TripId);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_replica_stopped_while_it_reads_its_replay_stops_at_once()
    {
        var (presence, created) = (TestHosts.Unique("presence"), TestHosts.Unique("created"));
        await using var broker = await Kafka.StartBrokerAsync(presence, created);
        await Kafka.ProduceAtAsync(broker, presence, new Ping("a driver's position", 1), DateTimeOffset.UtcNow);
        var positions = new Probe<Ping> { Behaviour = (_, _, ct) => Task.Delay(Timeout.Infinite, ct) };
        using var host = await StartDispatcherAsync(broker, presence, positions, created, new Probe<TripToDispatch>());
        await Eventually.HoldsAsync(() => !positions.Calls.IsEmpty, "the replay reached the instance handler");

        // The group consumer waiting for the replay gives up on shutdown, well within the host's 10 s shutdown timeout.
        var stopping = Stopwatch.StartNew();
        await host.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"Stopping took {stopping.Elapsed}.");
    }

    [Fact]
    public async Task A_replica_that_skips_its_own_messages_handles_every_other_replicas()
    {
        var topic = TestHosts.Unique("presence");
        var group = TestHosts.Unique("svc");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var (first, second) = (new Probe<Ping>(), new Probe<Ping>());
        using var a = await StartReplicaAsync(broker, group, "replica-a", topic, first, skipOwn: true);
        using var b = await StartReplicaAsync(broker, group, "replica-b", topic, second, skipOwn: true);

        // One key, so one partition read in this order: a replica that handles a later message has passed the earlier ones.
        var ct = TestContext.Current.CancellationToken;
        await a.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("from a", 1), ct);
        await b.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("from b", 2), ct);
        await a.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("from a again", 3), ct);

        Assert.Equal(["from a", "from a again"], (await second.HandledAsync(2)).Select(h => h.Data.Text));
        Assert.Equal("from b", Assert.Single(await first.HandledAsync(1)).Data.Text);
        Assert.Empty(await first.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Empty(await second.MoreWithinAsync(TimeSpan.FromMilliseconds(100)));
        // A skipped message is passed like a handled one: the replay still reaches the end of the partition.
        await ReplayedAsync(a);
        await ReplayedAsync(b);
        await a.StopAsync(ct);
        await b.StopAsync(ct);
    }

    [Fact]
    public async Task A_restarted_replica_handles_what_its_previous_run_published()
    {
        var topic = TestHosts.Unique("presence");
        var group = TestHosts.Unique("svc");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var ct = TestContext.Current.CancellationToken;
        using (var previous = await StartReplicaAsync(broker, group, "replica-a", topic, new Probe<Ping>(), skipOwn: true))
        {
            await previous.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("before the restart", 1), ct);
            await previous.StopAsync(ct);
        }

        // Same service.instance.id, new host: what the previous run announced is not this run's own.
        var probe = new Probe<Ping>();
        using var restarted = await StartReplicaAsync(broker, group, "replica-a", topic, probe, skipOwn: true);
        Assert.Equal("before the restart", Assert.Single(await probe.HandledAsync(1)).Data.Text);

        await restarted.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("after the restart", 2), ct);
        Assert.Empty(await probe.MoreWithinAsync(TimeSpan.FromMilliseconds(500)));
        var raw = await Kafka.ReadAsync(broker, topic, 2);
        Assert.NotEqual(Kafka.Header(raw[0], MessageHeaders.PublisherInstance), Kafka.Header(raw[1], MessageHeaders.PublisherInstance));
        await restarted.StopAsync(ct);
    }

    [Fact]
    public async Task A_message_without_a_publisher_header_is_handled_by_a_replica_that_skips_its_own()
    {
        var topic = TestHosts.Unique("presence");
        await using var broker = await Kafka.StartBrokerAsync(topic);
        var probe = new Probe<Ping>();
        using var host = await StartReplicaAsync(broker, TestHosts.Unique("svc"), "replica-a", topic, probe, skipOwn: true);

        await Kafka.ProduceAtAsync(broker, topic, new Ping("from kcat", 1), DateTimeOffset.UtcNow);

        Assert.Equal("from kcat", Assert.Single(await probe.HandledAsync(1)).Data.Text);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Each_replica_that_cannot_handle_a_message_dead_letters_its_own_copy_naming_its_group()
    {
        var topic = TestHosts.Unique("broadcast");
        var group = TestHosts.Unique("svc");
        await using var broker = await Kafka.StartBrokerAsync(topic, Topics.DeadLetter(topic));
        Probe<Ping> Failing() => new() { Behaviour = (_, _, _) => throw new InvalidOperationException("cannot apply") };
        using var a = await StartReplicaAsync(broker, group, "replica-a", topic, Failing());
        using var b = await StartReplicaAsync(broker, group, "replica-b", topic, Failing());

        await a.Services.GetRequiredService<IEventPublisher>().PublishAsync(topic, "driver-1", new Ping("bad", 1), TestContext.Current.CancellationToken);

        // Every replica reads every message, so each one that fails it says so: the copies tell the replicas apart.
        var deadLetters = await Kafka.ReadAsync(broker, Topics.DeadLetter(topic), 2);
        Assert.Equal([$"{group}-replica-a", $"{group}-replica-b"],
            deadLetters.Select(d => Kafka.Header(d, MessageHeaders.DeadLetterConsumerGroup)).Order());
        await a.StopAsync(TestContext.Current.CancellationToken);
        await b.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_topic_gets_one_instance_handler_and_all_share_one_replay_window()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "svc" });
        builder.Configuration["ConnectionStrings:kafka"] = "127.0.0.1:9";
        builder.AddMessaging();
        builder.AddInstanceMessageHandler<Ping, ProbeHandler<Ping>>("t1", Replay);
        Assert.Contains("already has an instance handler",
            Assert.Throws<InvalidOperationException>(() => builder.AddInstanceMessageHandler<Ping, ProbeHandler<Ping>>("t1", Replay)).Message);
        Assert.Contains("replay", Assert.Throws<InvalidOperationException>(
            () => builder.AddInstanceMessageHandler<Ping, ProbeHandler<Ping>>("t2", TimeSpan.FromMinutes(1))).Message);
        // A group handler on the same topic is a different consumer: allowed.
        builder.AddMessageHandler<Ping, ProbeHandler<Ping>>("t1", idempotent: false);
    }

    private static Task<HealthReport> HealthAsync(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

    private static async Task ReplayedAsync(IHost host)
    {
        var deadline = DateTime.UtcNow + Deadlines.Message;
        HealthReportEntry replayed;
        while ((replayed = (await HealthAsync(host)).Entries[ConsumerReadiness.InstanceHealthCheckName]).Status != HealthStatus.Healthy)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Still not ready: {replayed.Description}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static Task<IHost> StartReplicaAsync(
        EmbeddedKafkaBroker broker, string group, string instance, string topic, Probe<Ping> probe, bool skipOwn = false) =>
        TestHosts.StartAsync(broker, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}" });
            builder.Services.AddSingleton<IDocumentDatabase>(new InMemoryDocumentDatabase());
            builder.Services.AddSingleton(probe);
            builder.AddMessaging(o => o.GroupId = group);
            builder.AddInstanceMessageHandler<Ping, ProbeHandler<Ping>>(topic, Replay, skipOwn);
        });

    /// <summary>A drivers replica in small: a fleet view filled by an instance handler, trips dispatched by a group handler.</summary>
    private static Task<IHost> StartDispatcherAsync(
        EmbeddedKafkaBroker broker, string presence, Probe<Ping> positions, string created, Probe<TripToDispatch> trips) =>
        TestHosts.StartAsync(broker, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=restarted" });
            builder.Services.AddSingleton(positions);
            builder.Services.AddSingleton(trips);
            builder.AddMessaging(o => o.GroupId = TestHosts.Unique("drivers"));
            builder.AddInstanceMessageHandler<Ping, ProbeHandler<Ping>>(presence, Replay);
            builder.AddMessageHandler<TripToDispatch, ProbeHandler<TripToDispatch>>(created, idempotent: false);
        });

    public sealed record TripToDispatch(string TripId);
}
