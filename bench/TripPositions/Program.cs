using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Storage.Sqlite;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.IntegrationEvents.EventHandling;

// What the driver's positions cost trips during a ride: the real DriverLocationsUpdatedHandler over TripRepository on a
// SQLite file, N trips each with its own driver, a fix every 3 s of phone time per driver (the driver app's ping
// interval), handed over in driver.event.locations_updated batches of up to 1,000 (DriverLocationPublisher's
// MaxLocationsPerMessage). CPU is this process's; writes and reads are counted on the trips collection.
// Usage: UberClone.Bench.TripPositions [trips, default 1000] [ride minutes, default 10] [fixes per batch, default min(trips, 1000)]

// The drivers service's DriverLocationPublisher.MaxLocationsPerMessage (not referenced: that would pull in the drivers service).
const int MaxLocationsPerMessage = 1_000;
var trips = args.Length > 0 ? Whole(args[0], "trips", 1) : 1_000;
var minutes = args.Length > 1 ? Whole(args[1], "ride minutes", 1) : 10;
var batchSize = args.Length > 2 ? Whole(args[2], "fixes per batch", 1) : Math.Min(trips, MaxLocationsPerMessage);
var ticks = minutes * 60 / (int)Ride.FixEvery.TotalSeconds;

Console.WriteLine($"{trips:N0} trips, {minutes} min of ride ({ticks} fixes per driver, one every {Ride.FixEvery.TotalSeconds:F0} s), batches of {batchSize:N0} fixes");
await new Scenario("warm-up", 30, TripStatus.InProgress).RunAsync(Math.Min(trips, 100), 20, batchSize, quiet: true);
Console.WriteLine("| scenario | fixes/s (wall) | µs CPU per fix | store writes per fix | reads per batch (batch read + single reads) | KB written per fix (write() calls: WAL, checkpoints) | writes by what changed: position / standstill / course / heard / check opened | silent-phone poll at the end: rides found, checks opened |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---|");
foreach (var scenario in new[]
         {
             new Scenario("(a) riding, 30 km/h", 30, TripStatus.InProgress),
             new Scenario("(b) riding, standing in a jam", 0, TripStatus.InProgress),
             new Scenario("(c) riding, crawling 5 km/h", 5, TripStatus.InProgress),
             new Scenario("(d) driver_assigned, 30 km/h", 30, TripStatus.DriverAssigned),
         })
{
    await scenario.RunAsync(trips, ticks, batchSize, quiet: false);
}

static int Whole(string text, string what, int least)
{
    if (int.TryParse(text, out var value) && value >= least) return value;
    Console.Error.WriteLine($"{what} must be a whole number of at least {least} (got '{text}').");
    Environment.Exit(2);
    return 0;
}

/// <summary>
/// One way of driving, on a fresh database: every trip starts at its own point in a city and heads straight for a point
/// 10 km away (in a ride: its drop-off; before the pickup: its pickup, so the driver stays farther than 300 m from it and
/// only the 10 s rule applies). Every fix has GPS noise of up to 5 m.
/// </summary>
sealed record Scenario(string Name, double KmPerHour, string Status)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private static readonly SafetyRules Safety = new();

    public async Task RunAsync(int trips, int ticks, int batchSize, bool quiet)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-trip-positions-{Guid.NewGuid():N}.db");
        try
        {
            using var database = new SqliteDocumentDatabase(file);
            var counted = new CountingDatabase(database);
            var repository = new TripRepository(counted);
            var clock = new FakeTimeProvider(Start);
            var handler = new DriverLocationsUpdatedHandler(repository, Options.Create(Safety), clock, NullLogger<DriverLocationsUpdatedHandler>.Instance);
            var random = new Random(42);
            var rides = Enumerable.Range(0, trips).Select(i => new Ride($"t{i}", $"d{i}", random)).ToArray();
            var initial = rides.Select(r => r.Trip(Status, Start)).ToArray();
            foreach (var trip in initial) await repository.Trips.InsertAsync(trip.Id, trip);

            // The fixes first, so building them is not measured: per tick, every driver's fix, in a random order.
            var fixes = new DriverLocationUpdatedIntegrationEvent[ticks][];
            for (var tick = 0; tick < ticks; tick++)
            {
                var at = Start + Ride.FixEvery * (tick + 1);
                fixes[tick] = rides.Select(r => r.Fix(tick + 1, KmPerHour, at, random)).ToArray();
                random.Shuffle(fixes[tick]);
            }

            counted.Reset();
            var context = new MessageContext("m", Topics.DriverLocationsUpdated, "d0", nameof(DriverLocationsUpdatedIntegrationEvent), Start, 1);
            var process = Process.GetCurrentProcess();
            var cpu = TimeSpan.Zero;
            var wall = TimeSpan.Zero;
            var bytesBefore = WrittenBytes();
            var batches = 0;
            for (var tick = 0; tick < ticks; tick++)
            {
                // The service's clock: half a second after the phone's, as a fix takes that long to reach trips.
                clock.SetUtcNow(Start + Ride.FixEvery * (tick + 1) + TimeSpan.FromMilliseconds(500));
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                foreach (var batch in fixes[tick].Chunk(batchSize))
                {
                    await handler.HandleAsync(new DriverLocationsUpdatedIntegrationEvent(batch), context, CancellationToken.None);
                    batches++;
                }
                wall += watch.Elapsed;
                process.Refresh();
                cpu += process.TotalProcessorTime - cpuBefore;
            }
            var bytes = WrittenBytes() - bytesBefore;
            var (written, batchReads, singleReads) = (counted.DocumentsWritten, counted.GetMany, counted.Get);

            // What the silent-phone poll would find when the ride ends (not measured: a poll, not a fix).
            var silentFound = await new SilentPhones(repository, Options.Create(Safety), clock).CheckAsync(trips, CancellationToken.None);
            var silentOpened = (await database.Outbox.GetPendingAsync(100_000))
                .Count(m => m.Topic == Topics.TripSafetyCheck && m.Value.Contains($"\"{SafetyCheckKinds.Silent}\"", StringComparison.Ordinal));

            if (quiet) return;
            var handled = (double)trips * ticks;
            var replay = Replay(initial, fixes, Start);
            if (replay.Writes != written)
            {
                Console.Error.WriteLine($"{Name}: the domain replay writes {replay.Writes} trips, the store was written {written} times");
            }
            Console.WriteLine($"| {Name} | {handled / wall.TotalSeconds:N0} | {cpu.TotalMicroseconds / handled:F1} | {written / handled:F3} " +
                              $"| {(double)batchReads / batches:F2} + {(double)singleReads / batches:F2} | {bytes / 1024.0 / handled:F2} " +
                              $"| {replay.Positions / handled:F3} / {replay.Standstills / handled:F3} / {replay.Courses / handled:F3} / {replay.Heard / handled:F3} / {replay.Checks / handled:F3} " +
                              $"| {silentFound:N0}, {silentOpened:N0} |");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
        }
    }

    /// <summary>Bytes this process passed to write() (SQLite's WAL pages and checkpoints), from /proc/self/io.</summary>
    private static long WrittenBytes() =>
        File.ReadLines("/proc/self/io").Where(l => l.StartsWith("wchar:", StringComparison.Ordinal)).Select(l => long.Parse(l[6..])).Single();

    /// <summary>
    /// The same fixes through the handler's domain calls, in memory, to say which of them changed what in each trip write
    /// (a write may carry several); its number of writes is checked against the store's count.
    /// </summary>
    private static (long Writes, long Positions, long Standstills, long Courses, long Heard, long Checks) Replay(Trip[] initial, DriverLocationUpdatedIntegrationEvent[][] fixes, DateTimeOffset start)
    {
        var byId = initial.ToDictionary(t => t.Id);
        long writes = 0, positions = 0, standstills = 0, courses = 0, heard = 0, checks = 0;
        for (var tick = 0; tick < fixes.Length; tick++)
        {
            var now = start + Ride.FixEvery * (tick + 1) + TimeSpan.FromMilliseconds(500);
            foreach (var fix in fixes[tick])
            {
                var trip = byId[fix.TripId!];
                var moved = trip.TakeDriverFix(fix.DriverId, fix.Location, fix.RecordedAt, Safety, now);
                if (ReferenceEquals(moved, trip)) continue;
                writes++;
                if (moved.Driver?.LocationAt != trip.Driver?.LocationAt) positions++;
                if (!Equals(moved.Standstill, trip.Standstill)) standstills++;
                if (!Equals(moved.Course, trip.Course)) courses++;
                if (moved.DriverHeardAt != trip.DriverHeardAt) heard++;
                if (moved.SafetyChecks.Count > trip.SafetyChecks.Count) checks++;
                byId[trip.Id] = moved;
            }
        }
        return (writes, positions, standstills, courses, heard, checks);
    }
}

/// <summary>One trip's driver: where they set off and the direction they drive in.</summary>
sealed class Ride
{
    public static readonly TimeSpan FixEvery = TimeSpan.FromSeconds(3);
    private const double MetersPerDegree = 111_195;
    private const double TargetMeters = 10_000;
    private readonly string _tripId;
    private readonly string _driverId;
    private readonly GeoPoint _from;
    private readonly double _bearing;

    public Ride(string tripId, string driverId, Random random)
    {
        (_tripId, _driverId) = (tripId, driverId);
        _from = new GeoPoint(52.45 + random.NextDouble() * 0.1, 13.30 + random.NextDouble() * 0.2);
        _bearing = random.NextDouble() * 2 * Math.PI;
    }

    /// <summary>
    /// The trip as the fixes find it: riding (started at the point the car sets off from, going to the point 10 km ahead),
    /// or assigned with its pickup 10 km ahead.
    /// </summary>
    public Trip Trip(string status, DateTimeOffset start)
    {
        var ahead = Along(TargetMeters);
        var (pickup, dropoff) = status == TripStatus.InProgress ? (_from, ahead) : (ahead, Along(TargetMeters + 5_000));
        var quote = new Quote
        {
            Id = "q-" + _tripId, RiderId = "r-" + _tripId, Pickup = pickup, Dropoff = dropoff,
            DistanceMeters = 10_000, DurationSeconds = 1_200, CreatedAt = start.AddMinutes(-10), ExpiresAt = start,
            Options = [new QuoteOption("economy", 2_500, "EUR", 1.0)],
        };
        var assigned = UberClone.Trips.Domain.Trip.Request(_tripId, quote.RiderId, quote, quote.Options[0], "4321", start.AddMinutes(-10))
            .AssignDriver(_driverId, null, start.AddMinutes(-9));
        if (status == TripStatus.DriverAssigned) return assigned;
        var arrived = assigned.Arrive(_driverId, pickup, new TripRules(), start.AddMinutes(-2));
        return arrived.Start(_driverId, arrived.Pin, start, out _);
    }

    /// <summary>The <paramref name="n"/>th fix since the start, at <paramref name="kmPerHour"/>, with up to 5 m of GPS noise.</summary>
    public DriverLocationUpdatedIntegrationEvent Fix(int n, double kmPerHour, DateTimeOffset at, Random random)
    {
        var exact = Along(kmPerHour / 3.6 * FixEvery.TotalSeconds * n);
        var (noise, angle) = (5 * Math.Sqrt(random.NextDouble()), random.NextDouble() * 2 * Math.PI);
        var location = Offset(exact, noise, angle);
        return new DriverLocationUpdatedIntegrationEvent(_driverId, new GeoPoint(Math.Round(location.Lat, 7), Math.Round(location.Lng, 7)),
            _bearing * 180 / Math.PI, at, _tripId, "r-" + _tripId);
    }

    private GeoPoint Along(double meters) => Offset(_from, meters, _bearing);

    private static GeoPoint Offset(GeoPoint from, double meters, double bearing) =>
        new(from.Lat + meters * Math.Cos(bearing) / MetersPerDegree,
            from.Lng + meters * Math.Sin(bearing) / (MetersPerDegree * Math.Cos(from.Lat * Math.PI / 180)));
}

/// <summary>The database, counting the trips collection's reads and the trip documents written.</summary>
sealed class CountingDatabase(IDocumentDatabase inner) : IDocumentDatabase
{
    public long Get, GetMany, DocumentsWritten;

    public void Reset() => Get = GetMany = DocumentsWritten = 0;

    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var store = inner.Collection<T>(name, indexedFields);
        return name == "trips" ? CountingStore<T>.Create(store, this) : store;
    }

    public IOutbox Outbox => inner.Outbox;

    public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
}

/// <summary>A DispatchProxy, as in the trips tests' CountingDatabase: every store method is forwarded, the ones that read or write trips counted.</summary>
public class CountingStore<T> : DispatchProxy where T : class
{
    private IDocumentStore<T> _inner = null!;
    private CountingDatabase _counts = null!;

    internal static IDocumentStore<T> Create(IDocumentStore<T> inner, CountingDatabase counts)
    {
        var proxy = Create<IDocumentStore<T>, CountingStore<T>>();
        var counting = (CountingStore<T>)(object)proxy;
        (counting._inner, counting._counts) = (inner, counts);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        switch (method!.Name)
        {
            case nameof(IDocumentStore<T>.GetAsync): _counts.Get++; break;
            case nameof(IDocumentStore<T>.GetManyAsync): _counts.GetMany++; break;
            case nameof(IDocumentStore<T>.InsertAsync) or nameof(IDocumentStore<T>.ReplaceAsync): _counts.DocumentsWritten++; break;
            case nameof(IDocumentStore<T>.ReplaceEachAsync): _counts.DocumentsWritten += ((IReadOnlyCollection<VersionedReplace<T>>)args![0]!).Count; break;
        }
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
