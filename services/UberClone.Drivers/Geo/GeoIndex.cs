using System.Collections.Concurrent;
using UberClone.Contracts;

namespace UberClone.Drivers.Geo;

public sealed record GeoEntry(string DriverId, double Lat, double Lng, DateTimeOffset At);

public sealed record GeoHit(GeoEntry Entry, double DistanceMeters);

/// <summary>
/// Live driver positions in a uniform lat/lng grid (cells of 0.01°, ~1.1 km). Each driver has a slot; a cell
/// lists the slots inside it. An update within the same cell is one atomic 64-bit write (latitude and longitude
/// packed as fixed-point 1e-7°, ~1 cm); a move to another cell is an O(1) swap-remove plus an append.
/// A k-nearest query scans rings of cells outward from the point and stops as soon as no farther ring can hold a
/// closer driver, so its cost depends on the drivers near the point, not on how many exist. Candidates are ranked
/// by the haversine term (monotonic in the great-circle distance), so the order is exactly the great-circle order.
/// Thread-safe: updates of one driver are serialized by a striped lock, a cell's membership by the cell's lock,
/// and queries read each cell under its lock. A query's filter runs under a cell lock and must not call the index.
/// </summary>
public sealed class GeoIndex
{
    private const double CellDegrees = 0.01;
    private const int Rows = (int)(180 / CellDegrees);
    private const int Columns = (int)(360 / CellDegrees);
    private const double FixedPointScale = 1e7;
    private const double MetersPerDegreeLat = Contracts.Geo.EarthRadiusMeters * Math.PI / 180;
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private struct Slot
    {
        public long Position;
        public long AtTicks;
        public long Cell;
        public int IndexInCell;
        public string? DriverId;
    }

    private sealed class Cell
    {
        public int[] Members = new int[8];
        public int Count;

        public void Add(GeoIndex index, int slot)
        {
            if (Count == Members.Length) Array.Resize(ref Members, Count * 2);
            index.SlotAt(slot).IndexInCell = Count;
            Members[Count++] = slot;
        }

        public void Remove(GeoIndex index, int slot)
        {
            var at = index.SlotAt(slot).IndexInCell;
            var last = Members[--Count];
            Members[at] = last;
            index.SlotAt(last).IndexInCell = at;
        }
    }

    private readonly ConcurrentDictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Cell> _cells = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly object _membership = new();
    private readonly object[] _stripes = Enumerable.Range(0, 1024).Select(_ => new object()).ToArray();
    private Slot[][] _chunks = [new Slot[ChunkSize]];
    private int _nextSlot;

    public int Count => _slots.Count;

    public void Upsert(string driverId, double lat, double lng, DateTimeOffset at)
    {
        var position = Pack(lat, lng);
        var cell = CellOf(lat, lng);
        while (true)
        {
            if (!_slots.TryGetValue(driverId, out var slot))
            {
                if (TryAdd(driverId, position, at, cell)) return;
                continue;
            }
            lock (_stripes[slot & (_stripes.Length - 1)])
            {
                ref var s = ref SlotAt(slot);
                if (!ReferenceEquals(s.DriverId, driverId) && s.DriverId != driverId) continue; // removed meanwhile
                if (s.Cell != cell) Move(slot, ref s, cell);
                Volatile.Write(ref s.AtTicks, at.UtcTicks);
                Volatile.Write(ref s.Position, position);
                return;
            }
        }
    }

    public void Remove(string driverId)
    {
        lock (_membership)
        {
            if (!_slots.TryGetValue(driverId, out var slot)) return;
            lock (_stripes[slot & (_stripes.Length - 1)])
            {
                ref var s = ref SlotAt(slot);
                var cell = _cells[s.Cell];
                lock (cell)
                {
                    cell.Remove(this, slot);
                    s.DriverId = null;
                }
                _slots.TryRemove(driverId, out _);
                _freeSlots.Push(slot);
            }
        }
    }

    public GeoEntry? Get(string driverId)
    {
        if (!_slots.TryGetValue(driverId, out var slot)) return null;
        ref var s = ref SlotAt(slot);
        var (lat, lng) = Unpack(Volatile.Read(ref s.Position));
        var entry = new GeoEntry(driverId, lat, lng, new DateTimeOffset(Volatile.Read(ref s.AtTicks), TimeSpan.Zero));
        return s.DriverId == driverId ? entry : null;
    }

    /// <summary>Up to k entries within the radius accepted by the filter, nearest first.</summary>
    public IReadOnlyList<GeoHit> Nearest(GeoPoint point, int k, double radiusMeters, Func<GeoEntry, bool>? filter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var best = new Best(k);
        var queryLat = Contracts.Geo.ToRadians(point.Lat);
        var queryLng = Contracts.Geo.ToRadians(point.Lng);
        var cosQueryLat = Math.Cos(queryLat);
        var maxH = HaversineTerm(Math.Min(radiusMeters, Math.PI * Contracts.Geo.EarthRadiusMeters));
        var (row, col) = RowCol(point.Lat, point.Lng);
        var cellHeight = CellDegrees * MetersPerDegreeLat;

        for (var ring = 0; ; ring++)
        {
            if (ring == 0)
            {
                ScanCell(row, col, ref best, queryLat, queryLng, cosQueryLat, maxH, filter);
            }
            else
            {
                for (var c = col - ring; c <= col + ring; c++)
                {
                    ScanCell(row - ring, c, ref best, queryLat, queryLng, cosQueryLat, maxH, filter);
                    ScanCell(row + ring, c, ref best, queryLat, queryLng, cosQueryLat, maxH, filter);
                }
                for (var r = row - ring + 1; r <= row + ring - 1; r++)
                {
                    ScanCell(r, col - ring, ref best, queryLat, queryLng, cosQueryLat, maxH, filter);
                    ScanCell(r, col + ring, ref best, queryLat, queryLng, cosQueryLat, maxH, filter);
                }
            }
            // Everything outside rings 0..ring is at least ring × (the smallest cell side in them) away: cells narrow
            // towards the poles, so the width is taken at the most poleward latitude the next ring reaches.
            var polewardLat = Math.Min(89.999, Math.Abs(point.Lat) + (ring + 1) * CellDegrees);
            var step = Math.Min(cellHeight, cellHeight * Math.Cos(Contracts.Geo.ToRadians(polewardLat)));
            var cleared = ring * step;
            if (cleared > radiusMeters || (best.Count == k && DistanceOf(best.WorstH) <= cleared)) break;
            if (ring > Math.Max(Rows, Columns)) break;
        }
        return best.ToHits();
    }

    private void ScanCell(int row, int col, ref Best best, double queryLat, double queryLng, double cosQueryLat, double maxH, Func<GeoEntry, bool>? filter)
    {
        if (row < 0 || row >= Rows) return;
        if (!_cells.TryGetValue(Key(row, col), out var cell)) return;
        lock (cell)
        {
            var members = cell.Members;
            for (var i = 0; i < cell.Count; i++)
            {
                var slot = members[i];
                ref var s = ref SlotAt(slot);
                var position = Volatile.Read(ref s.Position);
                var (lat, lng) = Unpack(position);
                var latRad = lat * (Math.PI / 180);
                var sinLat = Math.Sin((latRad - queryLat) / 2);
                var sinLng = Math.Sin((lng * (Math.PI / 180) - queryLng) / 2);
                var h = sinLat * sinLat + cosQueryLat * Math.Cos(latRad) * sinLng * sinLng;
                if (h > maxH || !best.WouldTake(h)) continue;
                var atTicks = Volatile.Read(ref s.AtTicks);
                if (filter is not null && !filter(new GeoEntry(s.DriverId!, lat, lng, new DateTimeOffset(atTicks, TimeSpan.Zero)))) continue;
                best.Take(h, s.DriverId!, position, atTicks);
            }
        }
    }

    /// <summary>The k smallest haversine terms seen so far, kept sorted (k is small: insertion is cheapest).</summary>
    private struct Best(int k)
    {
        private readonly double[] _h = new double[k];
        private readonly string[] _ids = new string[k];
        private readonly long[] _positions = new long[k];
        private readonly long[] _atTicks = new long[k];
        public int Count { get; private set; }

        public readonly double WorstH => _h[Count - 1];

        public readonly bool WouldTake(double h) => Count < _h.Length || h < _h[Count - 1];

        public void Take(double h, string driverId, long position, long atTicks)
        {
            var i = Count < _h.Length ? Count++ : Count - 1;
            while (i > 0 && _h[i - 1] > h)
            {
                _h[i] = _h[i - 1];
                _ids[i] = _ids[i - 1];
                _positions[i] = _positions[i - 1];
                _atTicks[i] = _atTicks[i - 1];
                i--;
            }
            _h[i] = h;
            _ids[i] = driverId;
            _positions[i] = position;
            _atTicks[i] = atTicks;
        }

        public readonly IReadOnlyList<GeoHit> ToHits()
        {
            var hits = new GeoHit[Count];
            for (var i = 0; i < Count; i++)
            {
                var (lat, lng) = Unpack(_positions[i]);
                hits[i] = new GeoHit(new GeoEntry(_ids[i], lat, lng, new DateTimeOffset(_atTicks[i], TimeSpan.Zero)), DistanceOf(_h[i]));
            }
            return hits;
        }
    }

    private bool TryAdd(string driverId, long position, DateTimeOffset at, long cellKey)
    {
        lock (_membership)
        {
            if (_slots.ContainsKey(driverId)) return false;
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NewSlot();
            ref var s = ref SlotAt(slot);
            s.Position = position;
            s.AtTicks = at.UtcTicks;
            s.Cell = cellKey;
            var cell = _cells.GetOrAdd(cellKey, _ => new Cell());
            lock (cell)
            {
                s.DriverId = driverId;
                cell.Add(this, slot);
            }
            _slots[driverId] = slot;
            return true;
        }
    }

    private int NewSlot()
    {
        var slot = _nextSlot++;
        var chunk = slot >> ChunkBits;
        if (chunk == _chunks.Length)
        {
            var grown = new Slot[_chunks.Length * 2][];
            Array.Copy(_chunks, grown, _chunks.Length);
            Volatile.Write(ref _chunks, grown);
        }
        _chunks[chunk] ??= new Slot[ChunkSize];
        return slot;
    }

    /// <summary>Both cells are locked in key order, so two moves in opposite directions cannot deadlock.</summary>
    private void Move(int slot, ref Slot s, long toKey)
    {
        var from = _cells[s.Cell];
        var to = _cells.GetOrAdd(toKey, _ => new Cell());
        var (first, second) = s.Cell < toKey ? (from, to) : (to, from);
        lock (first)
        {
            lock (second)
            {
                from.Remove(this, slot);
                to.Add(this, slot);
                s.Cell = toKey;
            }
        }
    }

    private ref Slot SlotAt(int slot) => ref Volatile.Read(ref _chunks)[slot >> ChunkBits][slot & ChunkMask];

    private static double HaversineTerm(double meters)
    {
        var s = Math.Sin(meters / Contracts.Geo.EarthRadiusMeters / 2);
        return s * s;
    }

    private static double DistanceOf(double h) => 2 * Contracts.Geo.EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));

    private static long Pack(double lat, double lng) =>
        ((long)(int)Math.Round(lat * FixedPointScale) << 32) | (uint)(int)Math.Round(lng * FixedPointScale);

    private static (double Lat, double Lng) Unpack(long position) =>
        ((int)(position >> 32) / FixedPointScale, (int)position / FixedPointScale);

    private static (int Row, int Col) RowCol(double lat, double lng) =>
        (Math.Min(Rows - 1, (int)Math.Floor((lat + 90) / CellDegrees)), (int)Math.Floor((lng + 180) / CellDegrees));

    private static long CellOf(double lat, double lng)
    {
        var (row, col) = RowCol(lat, lng);
        return Key(row, col);
    }

    private static long Key(int row, int col) => (long)row * Columns + ((col % Columns) + Columns) % Columns;
}
