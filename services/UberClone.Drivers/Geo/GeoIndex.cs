using System.Collections.Concurrent;
using UberClone.Contracts;

namespace UberClone.Drivers.Geo;

public sealed record GeoEntry(string DriverId, double Lat, double Lng, DateTimeOffset At);

public sealed record GeoHit(GeoEntry Entry, double DistanceMeters);

/// <summary>
/// Live driver positions in a uniform lat/lng grid (cells of 0.01°, ~1.1 km). A cell keeps its drivers' positions
/// in flat arrays (latitude and longitude packed as fixed-point 1e-7°, ~1 cm, in one long), so a query reads them
/// contiguously. An update inside the same cell is one array write; a move to another cell is an O(1) swap-remove
/// plus an append. A k-nearest query scans rings of cells outward from the point and stops as soon as no farther
/// ring can hold a closer driver, so its cost depends on the drivers near the point, not on how many exist.
/// Candidates are ranked by the haversine term (monotonic in the great-circle distance, so the order is exactly the
/// great-circle order); a trig-free lower bound skips those that cannot enter the current top k.
/// Thread-safe: a cell's arrays and its drivers' places in them change only under the cell's lock, and queries
/// read each cell under its lock. A query's filter runs under a cell lock and must not call the index.
/// </summary>
public sealed class GeoIndex
{
    private const double CellDegrees = 0.01;
    private const int Rows = (int)(180 / CellDegrees);
    private const int Columns = (int)(360 / CellDegrees);
    private const double FixedPointScale = 1e7;
    private const double RadiansPerFixedPoint = Math.PI / 180 / FixedPointScale;
    private const double MetersPerDegreeLat = Contracts.Geo.EarthRadiusMeters * Math.PI / 180;

    /// <summary>Where a driver is: their cell and their index in its arrays (both change only under the cell's lock).</summary>
    private sealed class Member(string driverId)
    {
        public readonly string DriverId = driverId;
        public volatile Cell? Cell;
        public int Index;
        /// <summary>When the position was recorded; kept here (not in the cell) as queries read it only for hits.</summary>
        public long AtTicks;
    }

    private sealed class Cell(long key, int row)
    {
        public readonly long Key = key;
        /// <summary>cos of the most poleward latitude in the cell: the smallest cos(lat) any member can have.</summary>
        public readonly double MinCosLat = Math.Cos(Contracts.Geo.ToRadians(Math.Min(90, Math.Max(Math.Abs(row * CellDegrees - 90), Math.Abs((row + 1) * CellDegrees - 90)))));
        public Member[] Members = new Member[8];
        public long[] Positions = new long[8];
        public int Count;

        public void Add(Member member, long position, long atTicks)
        {
            if (Count == Members.Length)
            {
                Array.Resize(ref Members, Count * 2);
                Array.Resize(ref Positions, Count * 2);
            }
            Members[Count] = member;
            Positions[Count] = position;
            member.AtTicks = atTicks;
            member.Index = Count++;
            member.Cell = this;
        }

        /// <summary>
        /// Takes the member out of this cell. A move passes detach: false, so the member's Cell goes straight from
        /// this cell to the next: a concurrent Remove never sees "no cell" in the middle of a move and stops early.
        /// </summary>
        public void Remove(Member member, bool detach = true)
        {
            var at = member.Index;
            var last = --Count;
            Members[at] = Members[last];
            Positions[at] = Positions[last];
            Members[at].Index = at;
            Members[last] = null!;
            if (detach) member.Cell = null;
        }
    }

    private readonly ConcurrentDictionary<string, Member> _members = new(StringComparer.Ordinal);
    private const int BlockBits = 8;
    private const int BlockSize = 1 << BlockBits;
    private const int BlocksPerRow = (Columns + BlockSize - 1) / BlockSize;
    /// <summary>
    /// The grid: row → blocks of 256 adjacent cells → cell, allocated where drivers are. Neighbouring cells of a row
    /// sit next to each other in memory, so a ring scan reads a few cache lines instead of hashing every cell.
    /// </summary>
    private readonly Cell?[]?[]?[] _grid = new Cell?[]?[]?[Rows];
    private readonly object _membership = new();

    public int Count => _members.Count;

    public void Upsert(string driverId, double lat, double lng, DateTimeOffset at)
    {
        var position = Pack(lat, lng);
        var (row, col) = RowCol(lat, lng);
        var key = Key(row, col);
        while (true)
        {
            if (!_members.TryGetValue(driverId, out var member))
            {
                if (TryAdd(driverId, position, at.UtcTicks, row, col)) return;
                continue;
            }
            var from = member.Cell;
            if (from is null) continue; // being removed; it is gone from the map in a moment
            if (from.Key == key)
            {
                lock (from)
                {
                    if (member.Cell != from) continue;
                    from.Positions[member.Index] = position;
                    member.AtTicks = at.UtcTicks;
                    return;
                }
            }
            var to = CellAt(row, col);
            var (first, second) = from.Key < to.Key ? (from, to) : (to, from);
            lock (first)
            {
                lock (second)
                {
                    if (member.Cell != from) continue;
                    from.Remove(member, detach: false);
                    to.Add(member, position, at.UtcTicks);
                    return;
                }
            }
        }
    }

    public void Remove(string driverId)
    {
        lock (_membership)
        {
            if (!_members.TryGetValue(driverId, out var member)) return;
            while (member.Cell is { } cell)
            {
                lock (cell)
                {
                    if (member.Cell == cell) cell.Remove(member);
                }
            }
            _members.TryRemove(driverId, out _);
        }
    }

    public GeoEntry? Get(string driverId)
    {
        if (!_members.TryGetValue(driverId, out var member)) return null;
        while (member.Cell is { } cell)
        {
            lock (cell)
            {
                if (member.Cell != cell) continue;
                var (lat, lng) = Unpack(cell.Positions[member.Index]);
                return new GeoEntry(driverId, lat, lng, new DateTimeOffset(member.AtTicks, TimeSpan.Zero));
            }
        }
        return null;
    }

    /// <summary>Up to k entries within the radius accepted by the filter, nearest first.</summary>
    public IReadOnlyList<GeoHit> Nearest(GeoPoint point, int k, double radiusMeters, Func<GeoEntry, bool>? filter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var query = new Query(point, k, radiusMeters, filter);
        var (row, col) = RowCol(point.Lat, point.Lng);
        var cellHeight = CellDegrees * MetersPerDegreeLat;
        // Past half the globe's columns a ring would visit cells twice; nothing farther exists anyway.
        var lastRing = Columns / 2 - 1;

        for (var ring = 0; ring <= lastRing; ring++)
        {
            if (ring == 0)
            {
                Scan(row, col, ref query);
            }
            else
            {
                for (var c = col - ring; c <= col + ring; c++)
                {
                    Scan(row - ring, c, ref query);
                    Scan(row + ring, c, ref query);
                }
                for (var r = row - ring + 1; r <= row + ring - 1; r++)
                {
                    Scan(r, col - ring, ref query);
                    Scan(r, col + ring, ref query);
                }
            }
            // Everything outside rings 0..ring is at least ring × (the smallest cell side in them) away: cells narrow
            // towards the poles, so the width is taken at the most poleward latitude the next ring reaches.
            var polewardLat = Math.Min(89.999, Math.Abs(point.Lat) + (ring + 1) * CellDegrees);
            var cleared = ring * cellHeight * Math.Cos(Contracts.Geo.ToRadians(polewardLat));
            if (cleared > radiusMeters || (query.Count == k && DistanceOf(query.WorstH) <= cleared)) break;
        }
        return query.ToHits();
    }

    private void Scan(int row, int col, ref Query query)
    {
        if (row < 0 || row >= Rows) return;
        col = ((col % Columns) + Columns) % Columns;
        var cell = Volatile.Read(ref _grid[row])?[col >> BlockBits]?[col & (BlockSize - 1)];
        if (cell is null) return;
        lock (cell)
        {
            query.Scan(cell);
        }
    }

    /// <summary>One k-nearest search: the k smallest haversine terms seen so far, kept sorted (k is small).</summary>
    private struct Query
    {
        private readonly double _lat;
        private readonly double _lng;
        private readonly double _cosLat;
        private readonly double _maxH;
        private readonly Func<GeoEntry, bool>? _filter;
        private readonly double[] _h;
        private readonly Member[] _bestMembers;
        private readonly long[] _positions;

        public Query(GeoPoint point, int k, double radiusMeters, Func<GeoEntry, bool>? filter)
        {
            _lat = Contracts.Geo.ToRadians(point.Lat);
            _lng = Contracts.Geo.ToRadians(point.Lng);
            _cosLat = Math.Cos(_lat);
            _maxH = HaversineTerm(Math.Min(radiusMeters, Math.PI * Contracts.Geo.EarthRadiusMeters));
            _filter = filter;
            _h = new double[k];
            _bestMembers = new Member[k];
            _positions = new long[k];
        }

        public int Count { get; private set; }

        public readonly double WorstH => _h[Count - 1];

        public void Scan(Cell cell)
        {
            var positions = cell.Positions;
            // Slightly under the true bound, so rounding (fixed-point positions, floating sin) never skips a real candidate.
            var lowerBoundCos = _cosLat * cell.MinCosLat * (1 - 1e-9);
            for (var i = 0; i < cell.Count; i++)
            {
                var position = positions[i];
                var threshold = Count < _h.Length ? _maxH : Math.Min(_maxH, _h[Count - 1]);
                var halfDLat = Math.Abs((int)(position >> 32) * RadiansPerFixedPoint - _lat) / 2;
                var halfDLng = Math.Abs(WrapRadians((int)position * RadiansPerFixedPoint - _lng)) / 2;
                // sin x ≥ x − x³/6 for x ≥ 0, so this is a lower bound of h without any trig.
                var a = Math.Max(0, halfDLat - halfDLat * halfDLat * halfDLat / 6);
                var b = Math.Max(0, halfDLng - halfDLng * halfDLng * halfDLng / 6);
                if ((a * a + lowerBoundCos * b * b) * (1 - 1e-9) > threshold) continue;

                var latRad = (int)(position >> 32) * RadiansPerFixedPoint;
                var sinLat = Math.Sin((latRad - _lat) / 2);
                var sinLng = Math.Sin(((int)position * RadiansPerFixedPoint - _lng) / 2);
                var h = sinLat * sinLat + _cosLat * Math.Cos(latRad) * sinLng * sinLng;
                if (h > threshold || (h == threshold && Count == _h.Length)) continue;
                var member = cell.Members[i];
                if (_filter is not null)
                {
                    var (lat, lng) = Unpack(position);
                    if (!_filter(new GeoEntry(member.DriverId, lat, lng, new DateTimeOffset(member.AtTicks, TimeSpan.Zero)))) continue;
                }
                Take(h, member, position);
            }
        }

        /// <summary>Keeps the member itself: it is read (id, time) only for the final k, not for every candidate.</summary>
        private void Take(double h, Member member, long position)
        {
            var i = Count < _h.Length ? Count++ : Count - 1;
            while (i > 0 && _h[i - 1] > h)
            {
                _h[i] = _h[i - 1];
                _bestMembers[i] = _bestMembers[i - 1];
                _positions[i] = _positions[i - 1];
                i--;
            }
            _h[i] = h;
            _bestMembers[i] = member;
            _positions[i] = position;
        }

        public readonly IReadOnlyList<GeoHit> ToHits()
        {
            var hits = new GeoHit[Count];
            for (var i = 0; i < Count; i++)
            {
                var (lat, lng) = Unpack(_positions[i]);
                var member = _bestMembers[i];
                hits[i] = new GeoHit(new GeoEntry(member.DriverId, lat, lng, new DateTimeOffset(Volatile.Read(ref member.AtTicks), TimeSpan.Zero)), DistanceOf(_h[i]));
            }
            return hits;
        }
    }

    private bool TryAdd(string driverId, long position, long atTicks, int row, int col)
    {
        lock (_membership)
        {
            if (_members.ContainsKey(driverId)) return false;
            var member = new Member(driverId);
            var cell = CellAt(row, col);
            lock (cell)
            {
                cell.Add(member, position, atTicks);
            }
            _members[driverId] = member;
            return true;
        }
    }

    /// <summary>The cell, created (with its row and block) on first use; cells are never removed.</summary>
    private Cell CellAt(int row, int col)
    {
        col = ((col % Columns) + Columns) % Columns;
        if (Volatile.Read(ref _grid[row])?[col >> BlockBits]?[col & (BlockSize - 1)] is { } existing) return existing;
        lock (_grid)
        {
            var blocks = _grid[row] ?? new Cell?[]?[BlocksPerRow];
            var block = blocks[col >> BlockBits] ?? new Cell?[BlockSize];
            var cell = block[col & (BlockSize - 1)] ?? new Cell(Key(row, col), row);
            Volatile.Write(ref block[col & (BlockSize - 1)], cell);
            Volatile.Write(ref blocks[col >> BlockBits], block);
            Volatile.Write(ref _grid[row], blocks);
            return cell;
        }
    }

    private static double HaversineTerm(double meters)
    {
        var s = Math.Sin(meters / Contracts.Geo.EarthRadiusMeters / 2);
        return s * s;
    }

    private static double DistanceOf(double h) => 2 * Contracts.Geo.EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));

    /// <summary>A longitude difference folded into [−π, π] (across the antimeridian).</summary>
    private static double WrapRadians(double d) => d > Math.PI ? d - 2 * Math.PI : d < -Math.PI ? d + 2 * Math.PI : d;

    private static long Pack(double lat, double lng) =>
        ((long)(int)Math.Round(lat * FixedPointScale) << 32) | (uint)(int)Math.Round(lng * FixedPointScale);

    private static (double Lat, double Lng) Unpack(long position) =>
        ((int)(position >> 32) / FixedPointScale, (int)position / FixedPointScale);

    private static (int Row, int Col) RowCol(double lat, double lng) =>
        (Math.Min(Rows - 1, (int)Math.Floor((lat + 90) / CellDegrees)), (int)Math.Floor((lng + 180) / CellDegrees));

    private static long Key(int row, int col) => (long)row * Columns + ((col % Columns) + Columns) % Columns;
}
