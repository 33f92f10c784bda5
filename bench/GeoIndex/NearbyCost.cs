using System.Diagnostics;
using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// What a rider's "nearby" call costs the drivers service (<see cref="NearbySupply.Find"/>: one filtered k-nearest query
/// per vehicle class within dispatch's largest radius): the benchmark's fleet at 20 drivers per km², online and
/// available in a registry as the service holds them, with a class mix where the rarer classes are rarer (economy 70 %,
/// comfort 20 %, xl 8 %, premium 2 %, or premium absent), timed per call over random pickups with Stopwatch.
/// </summary>
public static class NearbyCost
{
    public static void Run(int drivers, TextWriter output)
    {
        var workload = new Workload(drivers);
        var now = DateTimeOffset.UtcNow;
        foreach (var withPremium in new[] { true, false })
        {
            var registry = OnlineFleet(workload, i => withPremium ? ClassOf(i) : ClassOf(i) is "premium" ? "xl" : ClassOf(i), _ => now);
            var options = new DispatchOptions();
            var pickups = workload.Queries;
            for (var i = 0; i < 2_000; i++) NearbySupply.Find(registry, pickups[i], options, now); // warm-up
            const int calls = 20_000;
            var times = new double[calls];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                NearbySupply.Find(registry, pickups[(2_000 + i) % pickups.Length], options, now);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            total.Stop();
            Array.Sort(times);
            output.WriteLine($"nearby, {drivers:N0} drivers, {(withPremium ? "premium 2 %" : "no premium")}: mean {total.Elapsed.TotalMicroseconds / calls:F1} µs, " +
                $"p50 {times[calls / 2]:F1} µs, p99 {times[calls * 99 / 100]:F1} µs per call ({calls:N0} calls)");
        }
    }

    /// <summary>The fleet's class mix, the rarer classes rarer: economy 70 %, comfort 20 %, xl 8 %, premium 2 %.</summary>
    public static string ClassOf(int driver) => (driver % 100) switch { < 70 => "economy", < 90 => "comfort", < 98 => "xl", _ => "premium" };

    /// <summary>The workload's drivers online and available in a registry, as the service's view holds them: driver i of <paramref name="classOf"/>(i), online since <paramref name="since"/>(i).</summary>
    public static DriverRegistry OnlineFleet(Workload workload, Func<int, string> classOf, Func<int, DateTimeOffset> since)
    {
        var registry = new DriverRegistry();
        for (var i = 0; i < workload.Ids.Length; i++)
        {
            var (vehicleClass, at) = (classOf(i), since(i));
            registry.Apply(Driver.New(workload.Ids[i], vehicleClass, at).GoOnline(vehicleClass, new GeoPoint(workload.Lats[i], workload.Lngs[i]), at));
        }
        return registry;
    }
}
