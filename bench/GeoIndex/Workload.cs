using UberClone.Contracts;

namespace UberClone.Bench.GeoIndex;

/// <summary>
/// Drivers spread at a constant density (20 per km², a busy city) over a square that grows with the fleet: a bigger
/// fleet covers more city, it does not pile more drivers onto the same streets. Updates are GPS pings (a move of up
/// to ~30 m, so most stay in their cell) of a random driver; queries are pickups anywhere in the square. There are
/// many of each (2^20 pings, 2^16 pickups), taken in turn, so a measurement does not keep meeting the same drivers
/// and cells in the cache: at 1M drivers the next ping's driver is as cold as in a live fleet, where every driver
/// pings in turn. A ping carries the id instance the index was loaded with, as the drivers service's registry does.
/// </summary>
public sealed class Workload
{
    public const double DriversPerSquareKm = 20;
    public const int K = 10;
    public const double RadiusMeters = 3_000;
    private static readonly GeoPoint Center = new(48.8566, 2.3522);

    public string[] Ids { get; }
    public double[] Lats { get; }
    public double[] Lngs { get; }
    public const int PingCount = 1 << 20;
    public const int QueryCount = 1 << 16;

    public GeoPoint[] Queries { get; }
    public (string Driver, double Lat, double Lng)[] Pings { get; }

    public Workload(int drivers, int seed = 42)
    {
        var random = new Random(seed);
        var sideKm = Math.Sqrt(drivers / DriversPerSquareKm);
        var latSpan = sideKm / 111.195;
        var lngSpan = sideKm / (111.195 * Math.Cos(Center.Lat * Math.PI / 180));
        Ids = new string[drivers];
        Lats = new double[drivers];
        Lngs = new double[drivers];
        for (var i = 0; i < drivers; i++)
        {
            Ids[i] = Guid.NewGuid().ToString("N");
            Lats[i] = Center.Lat + (random.NextDouble() - 0.5) * latSpan;
            Lngs[i] = Center.Lng + (random.NextDouble() - 0.5) * lngSpan;
        }
        Queries = Enumerable.Range(0, QueryCount)
            .Select(_ => new GeoPoint(Center.Lat + (random.NextDouble() - 0.5) * latSpan, Center.Lng + (random.NextDouble() - 0.5) * lngSpan))
            .ToArray();
        Pings = Enumerable.Range(0, PingCount).Select(_ =>
        {
            var d = random.Next(drivers);
            return (Ids[d], Lats[d] + (random.NextDouble() - 0.5) * 0.0005, Lngs[d] + (random.NextDouble() - 0.5) * 0.0005);
        }).ToArray();
    }

    public Drivers.Geo.GeoIndex BuildIndex()
    {
        var index = new Drivers.Geo.GeoIndex();
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < Ids.Length; i++) index.Upsert(Ids[i], Lats[i], Lngs[i], at);
        return index;
    }
}
