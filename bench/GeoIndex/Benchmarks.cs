using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace UberClone.Bench.GeoIndex;

/// <summary>Mean cost per operation (BenchmarkDotNet). Percentiles per single query come from <see cref="LatencyRun"/>.</summary>
[MemoryDiagnoser]
public class GeoIndexBenchmarks
{
    private const int Batch = 1_024;
    private Workload _workload = null!;
    private Drivers.Geo.GeoIndex _index = null!;
    private DateTimeOffset _at;
    /// <summary>Where the next batch starts: batches go on through the workload's pings and pickups, never repeating a short list.</summary>
    private int _nextPing;
    private int _nextQuery;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Drivers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(Drivers);
        _index = _workload.BuildIndex();
        _at = DateTimeOffset.UtcNow;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Update()
    {
        var pings = _workload.Pings;
        var start = _nextPing;
        for (var i = 0; i < Batch; i++)
        {
            var (driver, lat, lng) = pings[(start + i) & (Workload.PingCount - 1)];
            _index.Upsert(driver, lat, lng, _at);
        }
        _nextPing = (start + Batch) & (Workload.PingCount - 1);
    }

    private readonly Drivers.Geo.GeoFix[] _fixes = new Drivers.Geo.GeoFix[Batch];
    private readonly bool[] _applied = new bool[Batch];
    private long _ticks;

    /// <summary>
    /// The same pings as <see cref="Update"/>, through the batch path the drivers service uses for the fixes another
    /// replica accepted (driver.event.positions, up to 1,000 per message): <c>UpsertNewer</c>, each fix newer than the
    /// driver's last. Building the fixes is inside the measured loop, as it is in the service.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void UpdateBatched()
    {
        var pings = _workload.Pings;
        var start = _nextPing;
        for (var i = 0; i < Batch; i++)
        {
            var (driver, lat, lng) = pings[(start + i) & (Workload.PingCount - 1)];
            _fixes[i] = new Drivers.Geo.GeoFix(driver, lat, lng, _at.AddTicks(++_ticks));
        }
        _index.UpsertNewer(_fixes, _applied);
        _nextPing = (start + Batch) & (Workload.PingCount - 1);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Nearest10()
    {
        var found = 0;
        var queries = _workload.Queries;
        var start = _nextQuery;
        for (var i = 0; i < Batch; i++) found += _index.Nearest(queries[(start + i) & (Workload.QueryCount - 1)], Workload.K, Workload.RadiusMeters).Count;
        _nextQuery = (start + Batch) & (Workload.QueryCount - 1);
        return found;
    }
}

/// <summary>The same operations against Redis GEO (GEOADD / GEOSEARCH ... ASC COUNT 10) over a local connection.</summary>
[MemoryDiagnoser]
public class RedisGeoBenchmarks
{
    private const int Batch = 64;
    public static string Endpoint { get; set; } = "127.0.0.1:6379";
    private Workload _workload = null!;
    private ConnectionMultiplexer _redis = null!;
    private IDatabase _db = null!;
    private RedisKey _key;
    private int _next;

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Drivers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new Workload(Drivers);
        (_redis, _db, _key) = RedisGeo.Load(Endpoint, _workload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _db.KeyDelete(_key);
        _redis.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Update()
    {
        for (var i = 0; i < Batch; i++)
        {
            var (driver, lat, lng) = _workload.Pings[(_next + i) & (Workload.PingCount - 1)];
            _db.GeoAdd(_key, lng, lat, driver);
        }
        _next = (_next + Batch) & (Workload.PingCount - 1);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Nearest10()
    {
        var found = 0;
        for (var i = 0; i < Batch; i++) found += RedisGeo.Nearest(_db, _key, _workload.Queries[(_next + i) & (Workload.QueryCount - 1)]).Length;
        _next = (_next + Batch) & (Workload.QueryCount - 1);
        return found;
    }
}

public static class RedisGeo
{
    public static (ConnectionMultiplexer, IDatabase, RedisKey) Load(string endpoint, Workload workload)
    {
        var redis = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { endpoint }, AbortOnConnectFail = true, SyncTimeout = 60_000 });
        var db = redis.GetDatabase();
        RedisKey key = $"drivers:{workload.Ids.Length}";
        db.KeyDelete(key);
        for (var start = 0; start < workload.Ids.Length; start += 10_000)
        {
            var entries = Enumerable.Range(start, Math.Min(10_000, workload.Ids.Length - start))
                .Select(i => new GeoEntry(workload.Lngs[i], workload.Lats[i], workload.Ids[i]))
                .ToArray();
            db.GeoAdd(key, entries);
        }
        return (redis, db, key);
    }

    public static GeoRadiusResult[] Nearest(IDatabase db, RedisKey key, UberClone.Contracts.GeoPoint at) =>
        db.GeoSearch(key, at.Lng, at.Lat, new GeoSearchCircle(Workload.RadiusMeters, GeoUnit.Meters), Workload.K, demandClosest: true, Order.Ascending,
            GeoRadiusOptions.WithDistance);
}
