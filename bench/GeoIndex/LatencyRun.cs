using System.Diagnostics;
using StackExchange.Redis;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// Per-query latency percentiles: every single 10-nearest query timed on its own (Stopwatch ticks), after a warm-up,
/// for the index and for Redis at each fleet size. Also checks that both return the same nearest drivers.
/// </summary>
public static class LatencyRun
{
    public static void Run(string redisEndpoint, int[] sizes, TextWriter output)
    {
        output.WriteLine("| drivers | index 10-nearest p50 | index p99 | index p99.9 | Redis GEOSEARCH p50 | Redis p99 | p50 ratio | same top-10 |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var workload = new Workload(size);
            var index = workload.BuildIndex();
            var indexTimes = Time(200_000, i => index.Nearest(workload.Queries[i & (Workload.QueryCount - 1)], Workload.K, Workload.RadiusMeters));

            var (redis, db, key) = RedisGeo.Load(redisEndpoint, workload);
            var redisTimes = Time(5_000, i => RedisGeo.Nearest(db, key, workload.Queries[i & (Workload.QueryCount - 1)]));
            var same = workload.Queries.Take(200).Count(q =>
                index.Nearest(q, Workload.K, Workload.RadiusMeters).Select(h => h.Entry.DriverId)
                    .SequenceEqual(RedisGeo.Nearest(db, key, q).Select(r => r.Member.ToString())));
            db.KeyDelete(key);
            redis.Dispose();

            output.WriteLine($"| {size:N0} | {Us(indexTimes, 50)} | {Us(indexTimes, 99)} | {Us(indexTimes, 99.9)} | {Us(redisTimes, 50)} | {Us(redisTimes, 99)} | " +
                $"{Percentile(redisTimes, 50) / Percentile(indexTimes, 50):F0}× | {same}/200 |");
        }
    }

    private static double[] Time(int count, Action<int> operation)
    {
        for (var i = 0; i < Math.Min(count, 20_000); i++) operation(i);
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            operation(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(times);
        return times;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    private static string Us(double[] sorted, double p) => $"{Percentile(sorted, p):F2} µs";
}
