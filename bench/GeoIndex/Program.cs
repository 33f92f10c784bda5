using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using UberClone.Bench.GeoIndex;

// Usage: UberClone.Bench.GeoIndex --redis host:port [--quick] [--no-latency] [BenchmarkDotNet args, e.g. --filter *GeoIndex*]
//        UberClone.Bench.GeoIndex --nearby [drivers...]   (a rider's nearby call: pickup ETA per class, cars around)
//        UberClone.Bench.GeoIndex --silent-sweep [drivers...]   (one look through the view for silent drivers)
//        UberClone.Bench.GeoIndex --memory-latency   (cost of one dependent memory access by working-set size)
//        UberClone.Bench.GeoIndex --ping-cost [drivers...] [--stored-every S] [--airports N]   (a ping through the drivers use case vs the index's part)
if (args.Contains("--ping-cost"))
{
    var sizes = new List<int>();
    var storedEvery = TimeSpan.FromSeconds(10);
    var rest = args.SkipWhile(a => a != "--ping-cost").Skip(1).ToList();
    if (rest.IndexOf("--stored-every") is var at and >= 0)
    {
        if (at + 1 >= rest.Count || !int.TryParse(rest[at + 1], out var seconds) || seconds < 1)
        {
            Console.Error.WriteLine("--stored-every takes the stored-position interval in whole seconds, at least 1.");
            return 2;
        }
        storedEvery = TimeSpan.FromSeconds(seconds);
        rest.RemoveRange(at, 2);
    }
    var airports = 0;
    if (rest.IndexOf("--airports") is var a and >= 0)
    {
        if (a + 1 >= rest.Count || !int.TryParse(rest[a + 1], out airports) || airports < 0)
        {
            Console.Error.WriteLine("--airports takes how many airport queues to configure (their lots outside the city), 0 or more.");
            return 2;
        }
        rest.RemoveRange(a, 2);
    }
    foreach (var arg in rest)
    {
        // At least one driver per 100 ms step of the 4 s round.
        if (!int.TryParse(arg, out var size) || size < 40)
        {
            Console.Error.WriteLine($"--ping-cost takes fleet sizes of at least 40 drivers (got '{arg}').");
            return 2;
        }
        sizes.Add(size);
    }
    foreach (var size in sizes.DefaultIfEmpty(10_000)) await PingCost.RunAsync(size, storedEvery, Console.Out, airports);
    return 0;
}
foreach (var (flag, run) in new (string Flag, Action<int> Run)[] { ("--nearby", n => NearbyCost.Run(n, Console.Out)), ("--silent-sweep", n => SilentSweepCost.Run(n, Console.Out)) })
{
    if (!args.Contains(flag)) continue;
    var sizes = args.SkipWhile(a => a != flag).Skip(1).Select(a => int.TryParse(a, out var n) && n >= 1_000 ? n : -1).ToList();
    if (sizes.Contains(-1))
    {
        Console.Error.WriteLine($"{flag} takes fleet sizes of at least 1000 drivers.");
        return 2;
    }
    foreach (var size in sizes.DefaultIfEmpty(100_000)) run(size);
    return 0;
}
if (args.Contains("--memory-latency"))
{
    MemoryLatency.Run(Console.Out);
    return 0;
}
var redis = args.SkipWhile(a => a != "--redis").Skip(1).FirstOrDefault() ?? "127.0.0.1:6379";
var quick = args.Contains("--quick");
var benchmarkArgs = args.Where((a, i) => a is not ("--redis" or "--quick" or "--no-latency") && (i == 0 || args[i - 1] != "--redis")).ToArray();
RedisGeoBenchmarks.Endpoint = redis;

if (!args.Contains("--no-latency"))
{
    Console.WriteLine("## Per-query latency (each query timed alone)");
    LatencyRun.Run(redis, quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000], Console.Out);
}

var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(quick ? 1 : 3).WithIterationCount(quick ? 3 : 10).WithLaunchCount(1);
var config = ManualConfig.Create(DefaultConfig.Instance).AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromTypes([typeof(GeoIndexBenchmarks), typeof(RedisGeoBenchmarks)])
    .Run(benchmarkArgs.Length > 0 ? benchmarkArgs : ["--filter", "*"], config);
return 0;
