using System.Diagnostics;
using System.Diagnostics.Metrics;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Realtime;
using UberClone.Gateway.Realtime.Forwarding;
using UberClone.Messaging;
using UberClone.Messaging.Embedded;

// What a gateway replica spends to read on-trip positions from Kafka: one message per position (the per-ping
// driver.event.location_updated before 2026-12-02) against batches of up to 1,000 (driver.event.locations_updated).
// Every gateway replica reads every position to find the riders it holds, so this is paid once per position per
// gateway. The positions are published first; then a consumer host (the Messaging library's consumer, as the gateway
// runs it) reads them all and hands them to the gateway's forwarder (RealtimeForwarder with the real route; nobody is
// connected, so no socket write is measured). CPU is this process's from the first position handled to the last: the
// consumer, the handler, and the embedded broker serving the fetches (in-process here; a real broker runs elsewhere).
// Usage: UberClone.Bench.KafkaFanout [positions per run, default 100000]
var positions = args.Length > 0 && int.TryParse(args[0], out var n) && n >= 1_000 ? n
    : args.Length > 0 ? Fail($"positions per run must be a whole number of at least 1000 (got '{args[0]}').") : 100_000;

const string Single = "bench.location_updated";
const string Batched = "bench.locations_updated";
await using var broker = await EmbeddedKafkaBroker.StartAsync(new EmbeddedKafkaOptions { Port = 0, Partitions = 4, Topics = [Single, Batched] });
var at = DateTimeOffset.UtcNow;
var items = Enumerable.Range(0, positions)
    .Select(i => new DriverLocationUpdatedIntegrationEvent($"d{i % 10_000}", new GeoPoint(48.85, 2.35), 90, at.AddMilliseconds(i), $"t{i % 10_000}", $"r{i % 10_000}", 60, 600))
    .ToArray();

using (var producer = Host(broker, "producer", _ => { }))
{
    await producer.StartAsync();
    var publisher = producer.Services.GetRequiredService<IEventPublisher>();
    await Task.WhenAll(items.Select(item => publisher.PublishAsync(Single, item.DriverId, item)));
    await Task.WhenAll(items.Chunk(1_000).Select(chunk => publisher.PublishAsync(Batched, chunk[0].DriverId, new DriverLocationsUpdatedIntegrationEvent(chunk))));
    await producer.StopAsync();
}

Console.WriteLine($"{positions:N0} on-trip positions, published beforehand; consumed by the Messaging consumer into the gateway's forwarder");
Console.WriteLine("| run | messages | positions per message | µs CPU per position | µs wall per position |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
// Each twice, each time by a new consumer group reading everything from the start: the first run warms up (JIT).
for (var run = 1; run <= 2; run++)
{
    await Measure<DriverLocationUpdatedIntegrationEvent>(broker, Single, positions, 1,
        new RealtimeRoute<DriverLocationUpdatedIntegrationEvent>(RealtimeTypes.DriverLocation, m => [(m.RiderId, (object)m)]), m => 1, run);
    await Measure<DriverLocationsUpdatedIntegrationEvent>(broker, Batched, positions, 1_000, RealtimeRoutes.DriverLocations, m => m.Locations.Count, run);
}
return 0;

static async Task Measure<T>(EmbeddedKafkaBroker broker, string topic, int positions, int perMessage, RealtimeRoute<T> route, Func<T, int> count, int run) where T : notnull
{
    var counter = new Counter();
    using var consumer = Host(broker, $"consumer-{topic}", builder =>
    {
        builder.Services.AddSingleton(counter);
        builder.Services.AddSingleton(route);
        builder.Services.AddSingleton(new Counted<T>(count));
        builder.AddMessageHandler<T, CountingForwarder<T>>(topic, idempotent: false);
    });
    await consumer.StartAsync();
    await counter.WaitForAsync(positions, TimeSpan.FromMinutes(5));
    var (cpu, wall) = (Process.GetCurrentProcess().TotalProcessorTime - counter.FirstCpu, counter.Clock.Elapsed - counter.FirstWall);
    await consumer.StopAsync();
    // From the first message handled to the last: the host's start and the group join are not counted.
    var measured = positions - counter.First;
    Console.WriteLine($"| {run} | {(positions + perMessage - 1) / perMessage:N0} | {perMessage:N0} | {cpu.TotalMicroseconds / measured:F2} | {wall.TotalMicroseconds / measured:F2} |");
}

static IHost Host(EmbeddedKafkaBroker broker, string group, Action<HostApplicationBuilder> configure)
{
    var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:kafka"] = broker.BootstrapServers,
        ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
        ["Aspire:Confluent:Kafka:Consumer:Config:AutoOffsetReset"] = "Earliest",
    });
    builder.Services.AddSingleton<ConnectionRegistry>();
    builder.Services.AddMetrics();
    builder.AddMessaging(o => o.GroupId = group + "-" + Guid.NewGuid().ToString("N")[..8]);
    configure(builder);
    return builder.Build();
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    Environment.Exit(2);
    return 0;
}

sealed class Counter
{
    private long _count;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _target = long.MaxValue;

    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    /// <summary>What the first handled message carried, and when it was done (process CPU, wall).</summary>
    public int First { get; private set; }
    public TimeSpan FirstCpu { get; private set; }
    public TimeSpan FirstWall { get; private set; }

    public void Add(int n)
    {
        if (Interlocked.CompareExchange(ref _count, n, 0) == 0)
        {
            (First, FirstCpu, FirstWall) = (n, Process.GetCurrentProcess().TotalProcessorTime, Clock.Elapsed);
            if (n >= Volatile.Read(ref _target)) _done.TrySetResult();
            return;
        }
        if (Interlocked.Add(ref _count, n) >= Volatile.Read(ref _target)) _done.TrySetResult();
    }

    public Task WaitForAsync(long target, TimeSpan timeout)
    {
        Volatile.Write(ref _target, target);
        if (Interlocked.Read(ref _count) >= target) _done.TrySetResult();
        return _done.Task.WaitAsync(timeout);
    }
}

sealed record Counted<T>(Func<T, int> Count);

/// <summary>The gateway's forwarder, counting what it was handed.</summary>
sealed class CountingForwarder<T>(ConnectionRegistry sockets, RealtimeRoute<T> route, Counter counter, Counted<T> counted) : IMessageHandler<T> where T : notnull
{
    private readonly RealtimeForwarder<T> _forwarder = new(sockets, route);

    public async Task HandleAsync(T message, MessageContext context, CancellationToken ct)
    {
        await _forwarder.HandleAsync(message, context, ct);
        counter.Add(counted.Count(message));
    }
}
