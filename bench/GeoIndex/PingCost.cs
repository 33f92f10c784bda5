using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Storage.Sqlite;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// What an accepted ping costs the drivers service's use case (<see cref="DriversApplication.UpdateLocationAsync"/>:
/// the view, the rate limit, the geo index, the stored position every 10 s in SQLite, written by the
/// <see cref="StoredPositionWriter"/> running beside the pings) against the geo index's part of it (the monotonic
/// check's lookup and the update). N drivers online over a city, each pinging every 4 s in turn, on a clock moved by
/// hand; 10 rounds of 4 s measured after one warm-up round, each round ending when the writer has stored all of its
/// positions, so the time includes the writer's work. Measured twice on the same fleet: one call per ping, then the
/// gateway's batches of 500 through <see cref="DriversApplication.UpdateLocationsAsync"/>. Not measured: HTTP/gRPC, Kafka
/// (publishing is a no-op here), other requests.
/// </summary>
public static class PingCost
{
    private const int BatchSize = 500;

    /// <param name="airports">
    /// How many airport queues to configure (ADR 0036), their lots east of and beyond the city's drivers, as airports are: every
    /// accepted ping is checked against each lot, and none is in one (entering a lot is a state change, not a ping's cost).
    /// </param>
    public static async Task RunAsync(int drivers, TimeSpan storedEvery, TextWriter output, int airports = 0)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ping-cost-{Guid.NewGuid():N}.db");
        try
        {
            await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            using var database = new SqliteDocumentDatabase(file);
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
            var repository = new DriverRepository(database);
            var registry = new DriverRegistry(_ => { });
            var options = Options.Create(new DispatchOptions { StoredPositionInterval = storedEvery });
            var metrics = new DriversMetrics(services.GetRequiredService<IMeterFactory>(), registry);
            var dispatcher = new Dispatcher(repository, registry, options, clock, new KeyedLock(), metrics, new WaitingSearches(clock), NullLogger<Dispatcher>.Instance);
            using var writer = new StoredPositionWriter(repository, NullLogger<StoredPositionWriter>.Instance);
            await writer.StartAsync(default);
            var queues = new AirportQueues([.. Enumerable.Range(0, airports).Select(i => new AirportQueue
            {
                Id = $"a{i}", Name = $"Airport {i}",
                Lot = new QueueArea { Lat = 48.8566 + 0.05 * i, Lng = 2.3522 + 0.5 + 0.1 * i, RadiusMeters = 300 },
                Pickup = new QueueArea { Lat = 48.8566 + 0.05 * i, Lng = 2.3522 + 0.5 + 0.1 * i, RadiusMeters = 1_500 },
            })]);
            var app = new DriversApplication(repository, registry, dispatcher, new DriverLocationPublisher(new NoPublishing(), NullLogger<DriverLocationPublisher>.Instance), options, clock, metrics, writer,
                NullLogger<DriversApplication>.Instance, airports > 0 ? queues : null);

            var random = new Random(1);
            var ids = Enumerable.Range(0, drivers).Select(_ => "d" + Guid.NewGuid().ToString("N")).ToArray();
            var home = ids.Select(_ => new GeoPoint(48.8566 + (random.NextDouble() - 0.5) * 0.5, 2.3522 + (random.NextDouble() - 0.5) * 0.5)).ToArray();
            // The classes mixed as in NearbyCost (a batch of pings is split by class: each class has its geo index).
            var d0 = 0;
            foreach (var (id, at) in ids.Zip(home)) await app.GoOnlineAsync(id, NearbyCost.ClassOf(d0++), at, default);

            const int steps = 40; // a 4 s round in steps of 100 ms
            var perStep = drivers / steps;
            var watch = new Stopwatch();

            var inline = new Stopwatch();

            // 10 rounds after a warm-up round, each ping sent with its step's drivers' through `send` (from, to). Per ping:
            // all of it (the writer's flush included), and the calls alone (what the ping's caller waits for).
            async Task<(double All, double Calls)> MeasureAsync(Func<int, int, Task> send)
            {
                watch.Reset();
                inline.Reset();
                for (var round = 0; round <= 10; round++)
                {
                    if (round == 1) watch.Start();
                    for (var step = 0; step < steps; step++)
                    {
                        clock.Advance(TimeSpan.FromMilliseconds(100));
                        if (round > 0) inline.Start();
                        await send(step * perStep, (step + 1) * perStep);
                        inline.Stop();
                    }
                    await writer.FlushAsync(default);
                }
                watch.Stop();
                var pings = 10.0 * steps * perStep;
                return (watch.Elapsed.TotalMicroseconds / pings, inline.Elapsed.TotalMicroseconds / pings);
            }

            GeoPoint Fix(int d) => new(home[d].Lat + (random.NextDouble() - 0.5) * 0.0005, home[d].Lng);

            // One call per ping, as the single UpdateLocation RPC does.
            var useCase = await MeasureAsync(async (from, to) =>
            {
                for (var d = from; d < to; d++)
                {
                    if (!await app.UpdateLocationAsync(ids[d], Fix(d), null, clock.GetUtcNow(), default)) throw new InvalidOperationException("A ping was dropped.");
                }
            });
            // The gateway's batches (LocationBatcher: up to 500 pings per UpdateLocations call), each driver's id a string
            // of its own, as parsed from a request.
            var batched = await MeasureAsync(async (from, to) =>
            {
                for (var start = from; start < to; start += BatchSize)
                {
                    var pings = Enumerable.Range(start, Math.Min(BatchSize, to - start))
                        .Select(d => new LocationPing(new string(ids[d]), Fix(d), null, clock.GetUtcNow())).ToArray();
                    var outcomes = await app.UpdateLocationsAsync(pings, default);
                    if (outcomes.Any(o => !o.Accepted)) throw new InvalidOperationException("A ping was dropped.");
                }
            });
            await writer.StopAsync(default);

            // The index's part of the same pings: the lookup for "not older than the last fix", then the update.
            var kept = ids.Select(id => registry.Get(id)!.Id).ToArray();
            var indexes = ids.Select(id => registry.PositionsOf(registry.Get(id)!.VehicleClass)).ToArray();
            watch.Restart();
            long updates = 0;
            for (var round = 1; round <= 10; round++)
            {
                for (var d = 0; d < steps * perStep; d++)
                {
                    var at = clock.GetUtcNow().AddSeconds(round);
                    var fix = new GeoPoint(home[d].Lat + (random.NextDouble() - 0.5) * 0.0005, home[d].Lng);
                    if (indexes[d].Get(kept[d]) is { } last && at < last.At) continue;
                    indexes[d].Upsert(kept[d], fix.Lat, fix.Lng, at);
                    updates++;
                }
            }
            output.WriteLine($"{drivers:N0} drivers{(airports > 0 ? $", {airports} airport queues" : "")}, µs per accepted ping, with its share of stored positions (every {storedEvery.TotalSeconds:F0} s) written (the calls alone): " +
                $"one call each (UpdateLocationAsync) {useCase.All:F1} ({useCase.Calls:F2}), in batches of {BatchSize} (UpdateLocationsAsync) " +
                $"{batched.All:F1} ({batched.Calls:F2}); geo index lookup + update {watch.Elapsed.TotalNanoseconds / updates:F0} ns per ping");
        }
        finally
        {
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
        }
    }

    private sealed class NoPublishing : IEventPublisher
    {
        public Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull => Task.CompletedTask;

        public Task PublishAsync(OutboxMessage message, CancellationToken ct = default) => Task.CompletedTask;
    }
}
