using System.Collections.Concurrent;
using UberClone.Contracts;

namespace UberClone.Drivers.Geo;

public sealed record GeoEntry(string DriverId, double Lat, double Lng, DateTimeOffset At);

public sealed record GeoHit(GeoEntry Entry, double DistanceMeters);

/// <summary>
/// Live driver positions in a uniform lat/lng grid (cells of ~1.1 km). An update touches at most two cells;
/// a nearest-drivers query scans rings of cells outward from the point and stops as soon as no farther ring can
/// hold a closer driver, so its cost depends on the drivers near the point, not on how many exist.
/// Thread-safe: updates of one driver are serialized; queries read concurrent snapshots.
/// </summary>
public sealed class GeoIndex
{
    private const double CellDegrees = 0.01;
    private const int Columns = (int)(360 / CellDegrees);
    private const double MetersPerDegreeLat = Contracts.Geo.EarthRadiusMeters * Math.PI / 180;

    private readonly ConcurrentDictionary<string, GeoEntry> _entries = new();
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<string, GeoEntry>> _cells = new();
    private readonly object[] _stripes = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    public int Count => _entries.Count;

    public void Upsert(string driverId, double lat, double lng, DateTimeOffset at)
    {
        var entry = new GeoEntry(driverId, lat, lng, at);
        var cell = CellOf(lat, lng);
        lock (Stripe(driverId))
        {
            if (_entries.TryGetValue(driverId, out var previous))
            {
                var previousCell = CellOf(previous.Lat, previous.Lng);
                if (previousCell != cell && _cells.TryGetValue(previousCell, out var old)) old.TryRemove(driverId, out _);
            }
            _entries[driverId] = entry;
            _cells.GetOrAdd(cell, _ => new ConcurrentDictionary<string, GeoEntry>())[driverId] = entry;
        }
    }

    public void Remove(string driverId)
    {
        lock (Stripe(driverId))
        {
            if (!_entries.TryRemove(driverId, out var previous)) return;
            if (_cells.TryGetValue(CellOf(previous.Lat, previous.Lng), out var cell)) cell.TryRemove(driverId, out _);
        }
    }

    public GeoEntry? Get(string driverId) => _entries.GetValueOrDefault(driverId);

    /// <summary>Up to k entries within the radius accepted by the filter, nearest first.</summary>
    public IReadOnlyList<GeoHit> Nearest(GeoPoint point, int k, double radiusMeters, Func<GeoEntry, bool> filter)
    {
        var (row, col) = RowCol(point.Lat, point.Lng);
        var cellHeight = CellDegrees * MetersPerDegreeLat;
        var cellWidth = cellHeight * Math.Max(0.01, Math.Cos(Contracts.Geo.ToRadians(point.Lat)));
        var ringStep = Math.Min(cellHeight, cellWidth);
        var maxRing = (int)Math.Ceiling(radiusMeters / ringStep) + 1;

        var hits = new List<GeoHit>();
        for (var ring = 0; ring <= maxRing; ring++)
        {
            foreach (var cellKey in Ring(row, col, ring))
            {
                if (!_cells.TryGetValue(cellKey, out var cell)) continue;
                foreach (var entry in cell.Values)
                {
                    var distance = Contracts.Geo.DistanceMeters(point.Lat, point.Lng, entry.Lat, entry.Lng);
                    if (distance <= radiusMeters && filter(entry)) hits.Add(new GeoHit(entry, distance));
                }
            }
            // Everything in rings beyond this one is at least ring × step away.
            if (hits.Count >= k)
            {
                hits.Sort((a, b) => a.DistanceMeters.CompareTo(b.DistanceMeters));
                if (hits[k - 1].DistanceMeters <= ring * ringStep) break;
            }
        }
        hits.Sort((a, b) => a.DistanceMeters.CompareTo(b.DistanceMeters));
        return hits.Count > k ? hits.GetRange(0, k) : hits;
    }

    private static IEnumerable<long> Ring(int row, int col, int ring)
    {
        if (ring == 0)
        {
            yield return Key(row, col);
            yield break;
        }
        for (var c = col - ring; c <= col + ring; c++)
        {
            yield return Key(row - ring, c);
            yield return Key(row + ring, c);
        }
        for (var r = row - ring + 1; r <= row + ring - 1; r++)
        {
            yield return Key(r, col - ring);
            yield return Key(r, col + ring);
        }
    }

    private static (int Row, int Col) RowCol(double lat, double lng) =>
        ((int)Math.Floor((lat + 90) / CellDegrees), (int)Math.Floor((lng + 180) / CellDegrees));

    private static long CellOf(double lat, double lng)
    {
        var (row, col) = RowCol(lat, lng);
        return Key(row, col);
    }

    private static long Key(int row, int col) => (long)row * Columns + ((col % Columns) + Columns) % Columns;

    private object Stripe(string driverId) => _stripes[(driverId.GetHashCode() & int.MaxValue) % _stripes.Length];
}
