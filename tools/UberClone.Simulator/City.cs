namespace UberClone.Simulator;

public readonly record struct Point(double Lat, double Lng)
{
    public object ToJson() => new { lat = Lat, lng = Lng };
}

/// <summary>Random places inside the bounding box, and straight-line driving at a road-factor-adjusted speed.</summary>
public sealed class City(BoundingBox box, int seed)
{
    private const double EarthRadiusMeters = 6_371_008.8;
    /// <summary>30 km/h on roads 1.3× longer than the straight line.</summary>
    public const double SpeedAlongLineMetersPerSecond = 8.33 / 1.3;

    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    public double NextDouble()
    {
        lock (_gate) return _random.NextDouble();
    }

    public Point RandomPoint() => new(box.MinLat + NextDouble() * (box.MaxLat - box.MinLat), box.MinLng + NextDouble() * (box.MaxLng - box.MinLng));

    /// <summary>A destination 1–6 km from the origin, inside the box when possible.</summary>
    public Point Destination(Point from)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var to = RandomPoint();
            var d = Distance(from, to);
            if (d is >= 1_000 and <= 6_000) return to;
        }
        return new Point(from.Lat + 0.02, from.Lng + 0.02);
    }

    public static double Distance(Point a, Point b)
    {
        double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(b.Lat - a.Lat);
        var dLng = Rad(b.Lng - a.Lng);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(a.Lat)) * Math.Cos(Rad(b.Lat)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public static Point MoveToward(Point from, Point to, double meters)
    {
        var total = Distance(from, to);
        if (total <= meters || total == 0) return to;
        var f = meters / total;
        return new Point(from.Lat + (to.Lat - from.Lat) * f, from.Lng + (to.Lng - from.Lng) * f);
    }
}

/// <summary>Riders tell their driver the start PIN in person; here the simulated rider pins it on this board.</summary>
public sealed class PinBoard
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _pins = new();

    public void Tell(string tripId, string pin) => _pins[tripId] = pin;

    public string? Ask(string tripId) => _pins.GetValueOrDefault(tripId);
}
