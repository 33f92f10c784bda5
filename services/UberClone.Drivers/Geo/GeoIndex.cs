using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using UberClone.Contracts;

namespace UberClone.Drivers.Geo;

/// <summary>A driver's indexed position and its time (a value: a query's filter and results allocate nothing per driver).</summary>
public readonly record struct GeoEntry(string DriverId, double Lat, double Lng, DateTimeOffset At);

public readonly record struct GeoHit(GeoEntry Entry, double DistanceMeters);

/// <summary>A position for <see cref="GeoIndex.UpsertNewer"/>: taken only if newer than the driver's indexed one.</summary>
public readonly record struct GeoFix(string DriverId, double Lat, double Lng, DateTimeOffset At);

/// <summary>
/// Live driver positions in a uniform lat/lng grid (cells of 0.01°, ~1.1 km). A cell keeps its drivers' positions
/// in flat arrays (latitude and longitude packed as fixed-point 1e-7°, ~1 cm, in one long), so a query reads them
/// contiguously. An update inside the same cell is one array write (the driver found in the cell computed from the
/// new position, by the id instance's reference, without the id table); a move to another cell is an O(1)
/// swap-remove plus an append. A k-nearest query scans rings of cells outward from the point and stops as soon as no farther
/// ring can hold a closer driver, so its cost depends on the drivers near the point, not on how many exist.
/// Candidates are ranked by the haversine term (monotonic in the great-circle distance, so the order is exactly the
/// great-circle order); a trig-free lower bound skips those that cannot enter the current top k.
/// Memory layout: the grid is row → block of 256 adjacent cells, and a block holds its cells inline (each cell's
/// array references, count and lock word side by side), so reaching a cell's positions is block → array, and a
/// ring's cells are resolved and prefetched together before they are scanned (their cache misses overlap instead of
/// following one another). Beside the positions a cell keeps each driver's id and time, so a query reads nothing
/// else; driver id → member (cell and index, for moves and removals) is an open-addressing table.
/// Thread-safe: a cell's arrays and its drivers' places in them change only under the cell's lock (the odd values of
/// its sequence number). Queries take no lock: they read a cell optimistically and read it again if its sequence
/// number changed meanwhile (a seqlock), so each cell is seen in one consistent state. A query's filter runs
/// without any lock held; when a cell has to be re-read it may be called again for a driver, or once for an entry
/// caught mid-change (whose answer is then discarded), so it must be a side-effect-free predicate (and must not
/// query the index itself).
/// </summary>
public sealed class GeoIndex
{
    private const double CellDegrees = 0.01;
    private const int Rows = (int)(180 / CellDegrees);
    private const int Columns = (int)(360 / CellDegrees);
    private const double FixedPointScale = 1e7;
    private const double RadiansPerFixedPoint = Math.PI / 180 / FixedPointScale;
    private const double MetersPerDegreeLat = Contracts.Geo.EarthRadiusMeters * Math.PI / 180;
    private const long NoCell = -1;

    /// <summary>Where a driver is: their cell's key and their index in its arrays (both change only under the cell's lock).</summary>
    private sealed class Member
    {
        /// <summary>The key of the driver's cell, or <see cref="NoCell"/> once removed. Read with Volatile.Read outside the lock.</summary>
        public long CellKey = NoCell;
        public int Index;
    }

    /// <summary>
    /// A driver's entry in a cell, beside their position: what a query returns (id, time) is read from the cell the
    /// query is already reading, not from the member object (one more cache miss, and page, per hit at 1M).
    /// </summary>
    private struct Occupant
    {
        public Member? Member;
        public string? DriverId;
        /// <summary>When the position was recorded.</summary>
        public long AtTicks;
    }

    /// <summary>One grid cell, stored inline in its block. Arrays are created on the first driver.</summary>
    private struct Cell
    {
        public long[]? Positions;
        public Occupant[]? Occupants;
        public int Count;
        /// <summary>Even: free; odd: a writer holds the cell. Each write section moves it on by 2, so readers see changes.</summary>
        public int Sequence;
    }

    private const int BlockBits = 8;
    private const int BlockSize = 1 << BlockBits;
    private const int BlocksPerRow = (Columns + BlockSize - 1) / BlockSize;

    [System.Runtime.CompilerServices.InlineArray(BlockSize)]
    private struct CellArray
    {
        private Cell _cell;
    }

    /// <summary>256 adjacent cells of one row, inline in one object.</summary>
    private sealed class Block(int row)
    {
        /// <summary>cos of the most poleward latitude in the row: the smallest cos(lat) any member can have.</summary>
        public readonly double MinCosLat = Math.Cos(Contracts.Geo.ToRadians(Math.Min(90, Math.Max(Math.Abs(row * CellDegrees - 90), Math.Abs((row + 1) * CellDegrees - 90)))));
        public CellArray Cells;
    }

    /// <summary>
    /// Driver id → member: open addressing (linear probing) over one array of entries holding the id, its hash and
    /// the member, so a lookup is one cache miss for the entry plus one for the member (a ConcurrentDictionary costs
    /// a bucket, a node and then the member). Readers take no lock; writers (adding or removing a driver) hold the
    /// index's membership lock. An entry's key is written last and never changes, so a reader that sees it sees the
    /// whole entry; a removed driver leaves its key with no member (reused if they come back); growing copies the
    /// live entries into a new array that replaces the old one at once.
    /// </summary>
    private sealed class MemberTable
    {
        private struct Entry
        {
            public string? Key;
            public Member? Member;
            public int Hash;
        }

        private Entry[] _entries = new Entry[16];
        /// <summary>Entries with a key (live or removed); the array grows when it would be more than 3/4 full.</summary>
        private int _used;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Member? Find(string key)
        {
            var entries = Volatile.Read(ref _entries);
            var hash = key.GetHashCode();
            var mask = entries.Length - 1;
            for (var i = hash & mask; ; i = (i + 1) & mask)
            {
                ref var entry = ref entries[i];
                var k = Volatile.Read(ref entry.Key);
                if (k is null) return null;
                if (ReferenceEquals(k, key) || (entry.Hash == hash && string.Equals(k, key, StringComparison.Ordinal))) return Volatile.Read(ref entry.Member);
            }
        }

        /// <summary>Adds or clears (member null) the key's member; under the membership lock.</summary>
        public void Set(string key, Member? member)
        {
            var hash = key.GetHashCode();
            var entries = _entries;
            var mask = entries.Length - 1;
            var i = hash & mask;
            for (; entries[i].Key is { } k; i = (i + 1) & mask)
            {
                if (entries[i].Hash != hash || !string.Equals(k, key, StringComparison.Ordinal)) continue;
                if ((entries[i].Member is null) != (member is null)) Volatile.Write(ref _count, _count + (member is null ? -1 : 1));
                Volatile.Write(ref entries[i].Member, member);
                return;
            }
            if (member is null) return;
            if ((_used + 1) * 4 > entries.Length * 3)
            {
                Grow();
                Set(key, member);
                return;
            }
            entries[i].Hash = hash;
            entries[i].Member = member;
            Volatile.Write(ref entries[i].Key, key);
            _used++;
            Volatile.Write(ref _count, _count + 1);
        }

        private void Grow()
        {
            var old = _entries;
            // Room for the live entries at most half full (removed ones are dropped).
            var size = old.Length;
            while (_count * 2 >= size) size *= 2;
            var entries = new Entry[size];
            var mask = size - 1;
            var used = 0;
            foreach (var entry in old)
            {
                if (entry.Key is null || entry.Member is null) continue;
                var i = entry.Hash & mask;
                while (entries[i].Key is not null) i = (i + 1) & mask;
                entries[i] = entry;
                used++;
            }
            _used = used;
            Volatile.Write(ref _entries, entries);
        }
    }

    private readonly MemberTable _members = new();
    /// <summary>The grid: row → blocks of 256 adjacent cells, allocated where drivers are; blocks are never removed.</summary>
    private readonly Block?[]?[] _grid = new Block?[]?[Rows];
    private readonly object _membership = new();

    public int Count => _members.Count;

    /// <summary>
    /// Adds or moves a driver. Any string equal to the id is correct; passing the same instance on every call (as
    /// the registry does) lets a ping that stays in its cell skip the id table (see <see cref="TryUpdateInPlace"/>).
    /// </summary>
    public void Upsert(string driverId, double lat, double lng, DateTimeOffset at) => Upsert(driverId, lat, lng, at.UtcTicks, takenBelow: long.MaxValue);

    /// <summary>
    /// Adds a driver, or moves them if their indexed fix is older than <paramref name="fix"/> (or, with
    /// <paramref name="sameTimeToo"/>, exactly as old); tells whether it did. The comparison and the write are one step
    /// (under the cells' locks): two threads racing with fixes of one driver leave the newer one, whichever writes last.
    /// </summary>
    public bool UpsertNewer(in GeoFix fix, bool sameTimeToo = false) =>
        Upsert(fix.DriverId, fix.Lat, fix.Lng, fix.At.UtcTicks, takenBelow: sameTimeToo ? fix.At.UtcTicks + 1 : fix.At.UtcTicks);

    /// <summary>Writes the fix unless the driver is indexed with a fix at least <paramref name="takenBelow"/> ticks; tells whether it did.</summary>
    private bool Upsert(string driverId, double lat, double lng, long atTicks, long takenBelow)
    {
        var position = Pack(lat, lng);
        var (row, col) = RowCol(lat, lng);
        var key = Key(row, col);
        var block = BlockAt(row, col);
        ref var target = ref block.Cells[col & (BlockSize - 1)];
        // The target cell's arrays do not depend on the driver's id: start loading them now.
        Prefetch(target.Positions, target.Count);
        Prefetch(target.Occupants, target.Count);
        // In the cell, by reference: always, or only if newer (the passes' code, constant bounds: see bench/README.md on a
        // comparison inside the passes); as new too (rare) goes by the id table.
        if (takenBelow == long.MaxValue || takenBelow == atTicks)
        {
            if (TryUpdateInPlace(ref target, driverId, position, atTicks, onlyIfNewer: takenBelow == atTicks) is { } inPlace) return inPlace;
        }
        while (true)
        {
            if (_members.Find(driverId) is not { } member)
            {
                if (TryAdd(driverId, position, atTicks, row, col)) return true;
                continue;
            }
            var from = Volatile.Read(ref member.CellKey);
            if (from == NoCell) continue; // being removed; it is gone from the map in a moment
            bool taken;
            if (from == key)
            {
                Lock(ref target);
                var moved = member.CellKey != key;
                taken = !moved && target.Occupants![member.Index].AtTicks < takenBelow;
                if (taken)
                {
                    target.Positions![member.Index] = position;
                    target.Occupants![member.Index].AtTicks = atTicks;
                    // The caller's instance of the id from now on, so its next ping takes the in-place path.
                    target.Occupants[member.Index].DriverId = driverId;
                }
                Unlock(ref target);
                if (moved) continue;
                return taken;
            }
            ref var source = ref CellOf(from);
            if (from < key)
            {
                Lock(ref source);
                Lock(ref target);
            }
            else
            {
                Lock(ref target);
                Lock(ref source);
            }
            var stale = member.CellKey != from;
            taken = !stale && source.Occupants![member.Index].AtTicks < takenBelow;
            if (taken)
            {
                RemoveFrom(ref source, member, detach: false);
                AddTo(ref target, member, driverId, position, atTicks, key);
            }
            Unlock(ref target);
            Unlock(ref source);
            if (stale) continue;
            return taken;
        }
    }

    /// <summary>How many fixes <see cref="UpsertNewer"/> takes through its passes together.</summary>
    private const int FixesPerPass = 32;

    /// <summary>
    /// Applies many fixes (another replica's batch of accepted pings), each only if it is newer than the driver's
    /// indexed fix or the driver is not indexed; <paramref name="applied"/>[i] tells whether fix i was taken. The same
    /// result as <see cref="UpsertNewer(in GeoFix, bool)"/> per fix, in order, but a fix's cache misses overlap with
    /// those of the other fixes of its pass of <see cref="FixesPerPass"/>: the first pass computes every fix's cell and
    /// prefetches the cell's header, the second reads the headers and prefetches the cells' arrays, and the third
    /// updates each fix in its cell (by the id instance's reference and time, under the cell's lock, as
    /// <see cref="TryUpdateInPlace"/>), falling back to the id table's path for a driver who changed cells, is new, or
    /// came with another instance of the id. One at a time, each fix of a million drivers waits for two or three
    /// dependent DRAM misses (≈ 200 ns each here); in a pass, the waits of 32 fixes overlap.
    /// </summary>
    public void UpsertNewer(ReadOnlySpan<GeoFix> fixes, Span<bool> applied)
    {
        if (applied.Length < fixes.Length) throw new ArgumentException($"applied has room for {applied.Length} of {fixes.Length} fixes.", nameof(applied));
        Span<long> positions = stackalloc long[FixesPerPass];
        Span<int> rows = stackalloc int[FixesPerPass];
        Span<int> cols = stackalloc int[FixesPerPass];
        for (var start = 0; start < fixes.Length; start += FixesPerPass)
        {
            var pass = fixes.Slice(start, Math.Min(FixesPerPass, fixes.Length - start));
            for (var i = 0; i < pass.Length; i++)
            {
                positions[i] = Pack(pass[i].Lat, pass[i].Lng);
                (rows[i], cols[i]) = RowCol(pass[i].Lat, pass[i].Lng);
                PrefetchCell(ref BlockAt(rows[i], cols[i]).Cells[cols[i] & (BlockSize - 1)]);
            }
            for (var i = 0; i < pass.Length; i++)
            {
                ref var cell = ref BlockAt(rows[i], cols[i]).Cells[cols[i] & (BlockSize - 1)];
                var count = Volatile.Read(ref cell.Count);
                Prefetch(Volatile.Read(ref cell.Occupants), count);
                Prefetch(Volatile.Read(ref cell.Positions), count);
            }
            for (var i = 0; i < pass.Length; i++)
            {
                var fix = pass[i];
                var atTicks = fix.At.UtcTicks;
                ref var cell = ref BlockAt(rows[i], cols[i]).Cells[cols[i] & (BlockSize - 1)];
                if (TryUpdateInPlace(ref cell, fix.DriverId, positions[i], atTicks, onlyIfNewer: true) is { } inPlace)
                {
                    applied[start + i] = inPlace;
                    continue;
                }
                applied[start + i] = Upsert(fix.DriverId, fix.Lat, fix.Lng, atTicks, takenBelow: atTicks);
            }
        }
    }

    private static unsafe void PrefetchCell(ref Cell cell)
    {
        // A hint only: it reads nothing and cannot fault, so an object moved by the GC meanwhile does no harm.
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref cell));
    }

    /// <summary>
    /// A ping that stays in its cell (most do: a cell is ~1 km, a ping moves a few metres): the driver is looked for
    /// in the target cell by reference, under its lock, and updated there. Callers pass the same id instance on every
    /// ping (the registry keeps one per driver), so neither the id table nor the member is read: at 1M drivers each
    /// of those is a cache miss of its own. Under the cell's lock an occupant holding this very instance is this
    /// driver (a driver is in one cell at a time). Found: true once written, or false when <paramref name="onlyIfNewer"/>
    /// and the occupant's fix is at least as new (nothing written). Not found (another cell, a new driver, another
    /// instance of the id): null, and the caller takes the id table's path.
    /// </summary>
    private static bool? TryUpdateInPlace(ref Cell cell, string driverId, long position, long atTicks, bool onlyIfNewer)
    {
        if (Volatile.Read(ref cell.Occupants) is null) return null;
        Lock(ref cell);
        var occupants = cell.Occupants!;
        for (var i = 0; i < cell.Count; i++)
        {
            if (!ReferenceEquals(occupants[i].DriverId, driverId)) continue;
            var taken = !onlyIfNewer || occupants[i].AtTicks < atTicks;
            if (taken)
            {
                cell.Positions![i] = position;
                occupants[i].AtTicks = atTicks;
            }
            Unlock(ref cell);
            return taken;
        }
        Unlock(ref cell);
        return null;
    }

    public void Remove(string driverId)
    {
        lock (_membership)
        {
            if (_members.Find(driverId) is not { } member) return;
            long key;
            while ((key = Volatile.Read(ref member.CellKey)) != NoCell)
            {
                ref var cell = ref CellOf(key);
                Lock(ref cell);
                if (member.CellKey == key) RemoveFrom(ref cell, member, detach: true);
                Unlock(ref cell);
            }
            _members.Set(driverId, null);
        }
    }

    public GeoEntry? Get(string driverId)
    {
        if (_members.Find(driverId) is not { } member) return null;
        long key;
        while ((key = Volatile.Read(ref member.CellKey)) != NoCell)
        {
            ref var cell = ref CellOf(key);
            Lock(ref cell);
            var here = member.CellKey == key;
            var position = here ? cell.Positions![member.Index] : 0;
            var atTicks = here ? cell.Occupants![member.Index].AtTicks : 0;
            Unlock(ref cell);
            if (!here) continue;
            var (lat, lng) = Unpack(position);
            return new GeoEntry(driverId, lat, lng, new DateTimeOffset(atTicks, TimeSpan.Zero));
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

        // Rings 0 and 1 are nearly always both scanned: start loading all nine cells at once.
        for (var r = row - 1; r <= row + 1; r++)
        {
            for (var c = col - 1; c <= col + 1; c++) Prefetch(r, c);
        }
        for (var ring = 0; ring <= lastRing; ring++)
        {
            if (ring == 0)
            {
                Scan(row, col, ref query);
            }
            else
            {
                if (ring > 1) PrefetchRing(row, col, ring);
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

    private void PrefetchRing(int row, int col, int ring)
    {
        for (var c = col - ring; c <= col + ring; c++)
        {
            Prefetch(row - ring, c);
            Prefetch(row + ring, c);
        }
        for (var r = row - ring + 1; r <= row + ring - 1; r++)
        {
            Prefetch(r, col - ring);
            Prefetch(r, col + ring);
        }
    }

    private void Prefetch(int row, int col)
    {
        if (!Sse.IsSupported || row < 0 || row >= Rows) return;
        col = WrapColumn(col);
        var block = Volatile.Read(ref _grid[row])?[col >> BlockBits];
        if (block is null) return;
        ref var cell = ref block.Cells[col & (BlockSize - 1)];
        Prefetch(cell.Positions, cell.Count);
        // Occupants are read only for candidates that enter the top k, but then they would be a miss mid-scan.
        Prefetch(cell.Occupants, cell.Count);
    }

    /// <summary>Asks the CPU to start loading a cell's array (its first count items, up to 6 cache lines); a hint, never a fault.</summary>
    private static unsafe void Prefetch<T>(T[]? items, int count)
    {
        if (!Sse.IsSupported || items is null) return;
        var start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(items));
        var bytes = Math.Min(Math.Min(count, items.Length) * Unsafe.SizeOf<T>(), 384);
        for (var offset = 0; offset < bytes; offset += 64) Sse.Prefetch0(start + offset);
    }

    private void Scan(int row, int col, ref Query query)
    {
        if (row < 0 || row >= Rows) return;
        col = WrapColumn(col);
        var block = Volatile.Read(ref _grid[row])?[col >> BlockBits];
        if (block is null) return;
        query.Scan(ref block.Cells[col & (BlockSize - 1)], block.MinCosLat);
    }

    private struct Best
    {
        public double H;
        public long Position;
        public string DriverId;
        public long AtTicks;
    }

    /// <summary>One k-nearest search: the k smallest haversine terms seen so far, kept sorted (k is small).</summary>
    private struct Query
    {
        private readonly double _lat;
        private readonly double _lng;
        private readonly double _cosLat;
        private readonly double _maxH;
        private readonly Func<GeoEntry, bool>? _filter;
        private readonly int _k;
        /// <summary>[0, k): the best so far, sorted; [k, 2k): a copy taken before a cell's first take, restored if the cell must be re-read.</summary>
        private readonly Best[] _best;

        public Query(GeoPoint point, int k, double radiusMeters, Func<GeoEntry, bool>? filter)
        {
            _lat = Contracts.Geo.ToRadians(point.Lat);
            _lng = Contracts.Geo.ToRadians(point.Lng);
            _cosLat = Math.Cos(_lat);
            _maxH = HaversineTerm(Math.Min(radiusMeters, Math.PI * Contracts.Geo.EarthRadiusMeters));
            _filter = filter;
            _k = k;
            _best = RentBest(2 * k);
        }

        public int Count { get; private set; }

        public readonly double WorstH => _best[Count - 1].H;

        /// <summary>
        /// Scans one cell without locking it: reads its sequence number, scans, and checks the number again; when a
        /// writer got in between, the cell's takes are undone and it is scanned again.
        /// </summary>
        public void Scan(ref Cell cell, double minCosLat)
        {
            var spin = new SpinWait();
            while (true)
            {
                var sequence = Volatile.Read(ref cell.Sequence);
                if ((sequence & 1) != 0)
                {
                    spin.SpinOnce();
                    continue;
                }
                var savedCount = -1;
                if (TryScan(ref cell, minCosLat, ref savedCount) && Volatile.Read(ref cell.Sequence) == sequence) return;
                if (savedCount >= 0)
                {
                    Array.Copy(_best, _k, _best, 0, savedCount);
                    Count = savedCount;
                }
            }
        }

        /// <summary>
        /// Every read here is volatile (acquire), so the caller's second read of the sequence number comes after them.
        /// False when the cell was caught mid-change.
        /// </summary>
        private bool TryScan(ref Cell cell, double minCosLat, ref int savedCount)
        {
            var positions = Volatile.Read(ref cell.Positions);
            var occupants = Volatile.Read(ref cell.Occupants);
            var count = Volatile.Read(ref cell.Count);
            if (positions is null || occupants is null) return true;
            // A resize between the reads can pair an old array with a newer count; the sequence check rejects it.
            count = Math.Min(count, Math.Min(positions.Length, occupants.Length));
            // Slightly under the true bound, so rounding (fixed-point positions, floating sin) never skips a real candidate.
            var lowerBoundCos = _cosLat * minCosLat * (1 - 1e-9);
            for (var i = 0; i < count; i++)
            {
                var position = Volatile.Read(ref positions[i]);
                var threshold = Count < _k ? _maxH : Math.Min(_maxH, _best[Count - 1].H);
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
                if (h > threshold || (h == threshold && Count == _k)) continue;
                var driverId = Volatile.Read(ref occupants[i].DriverId);
                var atTicks = Volatile.Read(ref occupants[i].AtTicks);
                if (driverId is null) return false;
                if (_filter is not null)
                {
                    var (lat, lng) = Unpack(position);
                    if (!_filter(new GeoEntry(driverId, lat, lng, new DateTimeOffset(atTicks, TimeSpan.Zero)))) continue;
                }
                if (savedCount < 0)
                {
                    savedCount = Count;
                    Array.Copy(_best, 0, _best, _k, Count);
                }
                Take(new Best { H = h, Position = position, DriverId = driverId, AtTicks = atTicks });
            }
            return true;
        }

        private void Take(in Best best)
        {
            var i = Count < _k ? Count++ : Count - 1;
            while (i > 0 && _best[i - 1].H > best.H)
            {
                _best[i] = _best[i - 1];
                i--;
            }
            _best[i] = best;
        }

        /// <summary>
        /// This thread's scratch for the k best: a query runs synchronously on one thread and its filter may not
        /// query the index, so one per thread is enough. Large k (over 256) gets an array of its own.
        /// </summary>
        [ThreadStatic]
        private static Best[]? _scratch;

        private static Best[] RentBest(int length)
        {
            if (length > 512) return new Best[length];
            return _scratch is { } scratch && scratch.Length >= length ? scratch : _scratch = new Best[Math.Max(length, 64)];
        }

        public readonly IReadOnlyList<GeoHit> ToHits()
        {
            var hits = new GeoHit[Count];
            for (var i = 0; i < Count; i++)
            {
                var (lat, lng) = Unpack(_best[i].Position);
                hits[i] = new GeoHit(new GeoEntry(_best[i].DriverId, lat, lng, new DateTimeOffset(_best[i].AtTicks, TimeSpan.Zero)), DistanceOf(_best[i].H));
            }
            return hits;
        }
    }

    private static void Lock(ref Cell cell)
    {
        var spin = new SpinWait();
        while (true)
        {
            var sequence = Volatile.Read(ref cell.Sequence);
            if ((sequence & 1) == 0 && Interlocked.CompareExchange(ref cell.Sequence, sequence + 1, sequence) == sequence) return;
            spin.SpinOnce();
        }
    }

    private static void Unlock(ref Cell cell) => Volatile.Write(ref cell.Sequence, cell.Sequence + 1);

    /// <summary>Appends a driver to a cell; under the cell's lock.</summary>
    private static void AddTo(ref Cell cell, Member member, string driverId, long position, long atTicks, long key)
    {
        if (cell.Positions is null || cell.Occupants is null)
        {
            cell.Positions = new long[8];
            cell.Occupants = new Occupant[8];
        }
        else if (cell.Count == cell.Positions.Length)
        {
            // New arrays, not resized in place: a reader may still be scanning the old ones.
            var positions = new long[cell.Count * 2];
            var occupants = new Occupant[cell.Count * 2];
            Array.Copy(cell.Positions, positions, cell.Count);
            Array.Copy(cell.Occupants, occupants, cell.Count);
            cell.Positions = positions;
            cell.Occupants = occupants;
        }
        cell.Occupants[cell.Count] = new Occupant { Member = member, DriverId = driverId, AtTicks = atTicks };
        cell.Positions[cell.Count] = position;
        member.Index = cell.Count++;
        Volatile.Write(ref member.CellKey, key);
    }

    /// <summary>
    /// Takes the member out of a cell (O(1) swap-remove); under the cell's lock. A move passes detach: false, so the
    /// member's key goes straight from this cell to the next: a concurrent Remove never sees "no cell" mid-move.
    /// </summary>
    private static void RemoveFrom(ref Cell cell, Member member, bool detach)
    {
        var occupants = cell.Occupants!;
        var positions = cell.Positions!;
        var at = member.Index;
        var last = --cell.Count;
        occupants[at] = occupants[last];
        positions[at] = positions[last];
        occupants[at].Member!.Index = at;
        occupants[last] = default;
        if (detach) Volatile.Write(ref member.CellKey, NoCell);
    }

    private bool TryAdd(string driverId, long position, long atTicks, int row, int col)
    {
        lock (_membership)
        {
            if (_members.Find(driverId) is not null) return false;
            var member = new Member();
            ref var cell = ref BlockAt(row, col).Cells[col & (BlockSize - 1)];
            Lock(ref cell);
            AddTo(ref cell, member, driverId, position, atTicks, Key(row, col));
            Unlock(ref cell);
            _members.Set(driverId, member);
            return true;
        }
    }

    /// <summary>The cell of a key that has (or had) a driver: its block exists.</summary>
    private ref Cell CellOf(long key)
    {
        var row = (int)(key / Columns);
        var col = (int)(key % Columns);
        return ref _grid[row]![col >> BlockBits]!.Cells[col & (BlockSize - 1)];
    }

    /// <summary>The block holding a cell, created (with its row) on first use; blocks are never removed.</summary>
    private Block BlockAt(int row, int col)
    {
        if (Volatile.Read(ref _grid[row])?[col >> BlockBits] is { } existing) return existing;
        lock (_grid)
        {
            var blocks = _grid[row] ?? new Block?[BlocksPerRow];
            var block = blocks[col >> BlockBits] ?? new Block(row);
            Volatile.Write(ref blocks[col >> BlockBits], block);
            Volatile.Write(ref _grid[row], blocks);
            return block;
        }
    }

    private static int WrapColumn(int col) => col < 0 ? col + Columns : col >= Columns ? col - Columns : col;

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

    /// <summary>The cell of a position; the column is in [0, Columns) (longitude 180 is the same cell as −180).</summary>
    private static (int Row, int Col) RowCol(double lat, double lng) =>
        (Math.Clamp((int)Math.Floor((lat + 90) / CellDegrees), 0, Rows - 1), WrapColumn((int)Math.Floor((lng + 180) / CellDegrees)));

    private static long Key(int row, int col) => (long)row * Columns + col;
}
