using System.Diagnostics;
using UberClone.Drivers.Application;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// What one look through the view for silent drivers costs (<see cref="DriverRegistry.Silent"/>, run by every replica
/// every 30 s by default): the benchmark's fleet online and available in a registry, with the class mix of
/// <see cref="NearbyCost"/>, 1 % of them silent for longer than the 5 minutes allowed, timed per sweep with Stopwatch.
/// </summary>
public static class SilentSweepCost
{
    public static void Run(int drivers, TextWriter output)
    {
        var workload = new Workload(drivers);
        var now = DateTimeOffset.UtcNow;
        var silence = TimeSpan.FromMinutes(5);
        var registry = NearbyCost.OnlineFleet(workload, NearbyCost.ClassOf,
            i => i % 100 == 0 ? now - silence - TimeSpan.FromMinutes(1) : now - TimeSpan.FromSeconds(i % 4));
        registry.Silent(now - silence, SilentDriverSweeper.MaxPerSweep); // warm-up
        const int sweeps = 10;
        var times = new double[sweeps];
        var found = 0;
        for (var i = 0; i < sweeps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            found = registry.Silent(now - silence, SilentDriverSweeper.MaxPerSweep).Count;
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        output.WriteLine($"silent sweep, {drivers:N0} drivers ({drivers / 100:N0} silent, {found:N0} returned): " +
            $"min {times[0]:F1} ms, median {times[sweeps / 2]:F1} ms, max {times[^1]:F1} ms per sweep ({sweeps} sweeps)");
    }
}
