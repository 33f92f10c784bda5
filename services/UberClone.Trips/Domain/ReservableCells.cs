using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>
/// Where an open ride booked for later waits, for the drivers' listing (ADR 0047): the world in cells of
/// <see cref="Degrees"/>° (about 28 × 18 km in Europe), and a ride's key the cell of its pickup then its pickup time
/// (<see cref="Key"/>), so one index read per cell finds the soonest open rides of that cell. A listing reads the cells a
/// driver's radius touches (<see cref="Around"/>), not the soonest rides of the whole world. No I/O.
/// </summary>
public static class ReservableCells
{
    public const double Degrees = 0.25;
    private const long Rows = 720;     // 180 / 0.25
    private const long Columns = 1440; // 360 / 0.25

    /// <summary>A cell's keys are cell × Stride + the pickup's Unix seconds (below 10^10 until the year 2286).</summary>
    public const long Stride = 10_000_000_000;

    private const double MetersPerDegree = 111_320;

    public static long Of(GeoPoint point) => Row(point.Lat) * Columns + Column(point.Lng);

    /// <summary>The ride's key in the index: its pickup's cell, then its pickup time.</summary>
    public static long Key(GeoPoint pickup, DateTimeOffset pickupAt) => Of(pickup) * Stride + pickupAt.ToUnixTimeSeconds();

    /// <summary>The keys of <paramref name="cell"/>'s rides picked up from <paramref name="from"/> to <paramref name="until"/>.</summary>
    public static (long Min, long Max) Range(long cell, DateTimeOffset from, DateTimeOffset until) =>
        (cell * Stride + from.ToUnixTimeSeconds(), cell * Stride + until.ToUnixTimeSeconds());

    /// <summary>
    /// Every cell with a point within <paramref name="radiusMeters"/> of <paramref name="near"/> (the bounding box of the
    /// circle, so a few more): across the 180th meridian too, and every column near a pole.
    /// </summary>
    public static IReadOnlyList<long> Around(GeoPoint near, double radiusMeters)
    {
        var dLat = radiusMeters / MetersPerDegree;
        var cos = Math.Cos(Math.Clamp(Math.Abs(near.Lat) + dLat, 0, 90) * Math.PI / 180);
        var dLng = cos < 1e-9 ? 180 : radiusMeters / (MetersPerDegree * cos);
        var (firstRow, lastRow) = (Row(near.Lat - dLat), Row(near.Lat + dLat));
        var columns = dLng >= 180
            ? Enumerable.Range(0, (int)Columns).Select(c => (long)c)
            : Enumerable.Range(0, (int)(Raw(near.Lng + dLng) - Raw(near.Lng - dLng) + 1)).Select(i => Wrap(Raw(near.Lng - dLng) + i)).Distinct();
        var cells = new List<long>();
        foreach (var column in columns)
        {
            for (var row = firstRow; row <= lastRow; row++) cells.Add(row * Columns + column);
        }
        return cells;
    }

    private static long Row(double lat) => Math.Clamp((long)Math.Floor((lat + 90) / Degrees), 0, Rows - 1);

    private static long Column(double lng) => Wrap(Raw(lng));

    private static long Raw(double lng) => (long)Math.Floor((lng + 180) / Degrees);

    private static long Wrap(long column) => ((column % Columns) + Columns) % Columns;
}
