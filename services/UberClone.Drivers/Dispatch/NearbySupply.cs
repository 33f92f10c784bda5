using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Drivers.Geo;

namespace UberClone.Drivers.Dispatch;

/// <summary>A vehicle class near a pickup: how many drivers dispatch could offer it to now, and the nearest one's pickup ETA.</summary>
public sealed record ClassAvailability(string VehicleClass, int DriversNearby, int? PickupEtaSeconds, int? PickupDistanceMeters);

/// <summary>An available car near a pickup, as a rider's map shows it: its class and a position rounded to ≈ 10 m, no driver id.</summary>
public sealed record NearbyCar(string VehicleClass, GeoPoint Location);

/// <summary>What a rider can expect near a pickup before booking: every vehicle class, and the nearest available cars.</summary>
public sealed record NearbySupply(IReadOnlyList<ClassAvailability> Classes, IReadOnlyList<NearbyCar> Cars, double RadiusMeters)
{
    /// <summary>Drivers counted per class (a rider needs "how soon", not a census).</summary>
    public const int MaxPerClass = 10;
    public const int MaxCars = 20;

    /// <summary>
    /// Looks where dispatch would look: within its largest radius, drivers it would offer a trip of that class to now
    /// (<see cref="IsOfferable"/>), ranked by the same ETA model. One k-nearest query per class. A driver waiting in an
    /// airport queue is counted only for a pickup that queue serves (ADR 0036): dispatch offers them nothing else. Only
    /// drivers who take what the ride will need (<paramref name="needs"/>: a pet, a wheelchair-accessible vehicle), as
    /// dispatch offers it to no one else: the cars shown and the ETAs are those that would actually come.
    /// </summary>
    public static NearbySupply Find(DriverRegistry registry, GeoPoint pickup, DispatchOptions options, DateTimeOffset now, AirportQueues? airports = null,
        RideNeeds needs = default)
    {
        var radius = options.RadiiMeters.Max();
        var serving = airports?.Serving(pickup)?.Id;
        var classes = new List<ClassAvailability>(VehicleClasses.All.Count);
        var cars = new List<(double Distance, NearbyCar Car)>();
        foreach (var vehicleClass in VehicleClasses.All)
        {
            var hits = registry.PositionsOf(vehicleClass).Nearest(pickup, MaxPerClass, radius, e => IsOfferable(registry, e, vehicleClass, now, options.LocationFreshness)
                && registry.Get(e.DriverId) is { } driver && (driver.QueueId is not { } queue || queue == serving)
                && driver.Takes(needs));
            if (hits.Count == 0)
            {
                classes.Add(new ClassAvailability(vehicleClass, 0, null, null));
                continue;
            }
            var nearest = hits[0];
            classes.Add(new ClassAvailability(vehicleClass, hits.Count,
                options.EtaSeconds(pickup, new GeoPoint(nearest.Entry.Lat, nearest.Entry.Lng)), (int)Math.Round(nearest.DistanceMeters)));
            cars.AddRange(hits.Select(h => (h.DistanceMeters, new NearbyCar(vehicleClass, new GeoPoint(Math.Round(h.Entry.Lat, 4), Math.Round(h.Entry.Lng, 4))))));
        }
        return new NearbySupply(classes, cars.OrderBy(c => c.Distance).Take(MaxCars).Select(c => c.Car).ToList(), radius);
    }

    /// <summary>Whom dispatch may offer a trip of <paramref name="vehicleClass"/> to: available, of that class, with a fresh position.</summary>
    public static bool IsOfferable(DriverRegistry registry, GeoEntry entry, string vehicleClass, DateTimeOffset now, TimeSpan freshness) =>
        now - entry.At <= freshness
        && registry.Get(entry.DriverId) is { State: DriverStates.Available } driver
        && driver.VehicleClass == vehicleClass;
}
