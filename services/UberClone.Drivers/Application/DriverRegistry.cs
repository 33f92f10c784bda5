using System.Buffers;
using System.Collections.Concurrent;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Domain;
using UberClone.Drivers.Geo;

namespace UberClone.Drivers.Application;

/// <summary>
/// This instance's in-memory view of online drivers (last stored state + live position) used to pick
/// candidates fast. The store stays the authority: every reservation is re-checked there.
/// With several drivers replicas each one announces what it learns (<paramref name="announce"/>: a state it stored,
/// a position a driver sent it) and applies what the others announce (<see cref="Apply"/>), so every replica's view
/// holds every driver: dispatch on any replica sees drivers whose pings went to another. It also reports the drivers'
/// availability to trips as surge supply (<paramref name="reportSupply"/>), and tells <paramref name="becameAvailable"/> where
/// a driver is who just became available (online, released, back from a trip), whoever stored it: waiting searches look again.
/// </summary>
public sealed class DriverRegistry(
    Action<Driver>? announce = null, Action<DriverFix>? announceFix = null, Action<DriverSupplyReport>? reportSupply = null,
    Action<Driver, GeoPoint>? becameAvailable = null)
{
    /// <summary>
    /// One entry per driver ever seen (records of offline drivers stay, as they are small): their record and this
    /// replica's throttles, so a ping looks its driver up once (at a million drivers each lookup is cold).
    /// </summary>
    private readonly ConcurrentDictionary<string, DriverEntry> _drivers = new();

    private readonly PositionsByClass _positions = new();

    /// <summary>
    /// Per airport queue, the ids of drivers whose record was kept naming it (ADR 0036): where to look, not the truth —
    /// each id's record is read again when the queue is (a driver who left stays here until then).
    /// </summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _queued = new(StringComparer.Ordinal);

    /// <summary>The drivers this view holds in the airport queue <paramref name="queueId"/>, first come, first served.</summary>
    public List<Driver> Queue(string queueId)
    {
        if (!_queued.TryGetValue(queueId, out var ids)) return [];
        var members = new List<Driver>(ids.Count);
        foreach (var id in ids.Keys)
        {
            if (Get(id) is { } driver && driver.QueueId == queueId)
            {
                members.Add(driver);
                continue;
            }
            ids.TryRemove(id, out _);
            // Kept again in this queue meanwhile: it stays listed.
            if (Get(id)?.QueueId == queueId) ids.TryAdd(id, 0);
        }
        return AirportQueues.Order(members, queueId);
    }

    /// <summary>The live positions of the drivers of one vehicle class (whatever their state).</summary>
    public GeoIndex PositionsOf(string vehicleClass) => _positions.For(vehicleClass);

    /// <summary>A driver's live position, if they are online here and have one.</summary>
    public GeoEntry? Position(string driverId) =>
        _drivers.TryGetValue(driverId, out var entry) && entry.Record is { } record ? _positions.For(record.VehicleClass).Get(driverId) : null;

    public Driver? Get(string driverId) => _drivers.TryGetValue(driverId, out var entry) ? entry.Record : null;

    /// <summary>What this view holds of the driver (null if nothing yet): their record and this replica's throttles.</summary>
    public DriverEntry? Entry(string driverId) => _drivers.TryGetValue(driverId, out var entry) && entry.Record is not null ? entry : null;

    /// <summary>While a driver's availability stays the same, it is reported as surge supply at most this often.</summary>
    public static readonly TimeSpan SupplyReportInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A state this instance just stored: kept, announced to the other replicas, and reported as surge supply when it
    /// changed the driver's availability (online, offered, released, on a trip, offline).
    /// </summary>
    public void Remember(Driver driver)
    {
        // Before keeping it: keeping an offline driver forgets their live position and their last report.
        ReportStateChange(driver);
        Keep(driver);
        announce?.Invoke(driver);
    }

    /// <summary>
    /// Reports a stored state as supply, from where the driver was last seen. Not before their last ping's time: the
    /// phone's clock may run ahead of this one, and trips keeps each driver's latest report.
    /// </summary>
    private void ReportStateChange(Driver driver)
    {
        var live = Position(driver.Id);
        var where = live is { } fix ? new GeoPoint(fix.Lat, fix.Lng) : driver.Location;
        if (where is null) return;
        var at = live is { } last && last.At > driver.UpdatedAt ? last.At : driver.UpdatedAt;
        // The entry may be new, its record not kept yet: the id comes from the record being stored.
        ReportSupply(_drivers.GetOrAdd(driver.Id, static _ => new DriverEntry()), driver.Id, where, driver.State == DriverStates.Available, at, driver.UpdatedAt);
    }

    /// <summary>
    /// Live positions this instance accepted, many drivers at once (a batch of pings): each indexed only if it is not
    /// older than the driver's indexed fix (<paramref name="applied"/>[i] tells), in passes whose cache misses overlap
    /// (<see cref="GeoIndex.UpsertNewer"/>), and each one indexed announced as a fix with its state's revision (a driver who went offline meanwhile is
    /// taken out again, not applied).
    /// </summary>
    public void MovedMany(ReadOnlySpan<(DriverEntry Driver, GeoPoint Location, DateTimeOffset At)> moves, Span<bool> applied)
    {
        var fixes = ArrayPool<GeoFix>.Shared.Rent(moves.Length);
        var entries = ArrayPool<DriverEntry>.Shared.Rent(moves.Length);
        try
        {
            for (var i = 0; i < moves.Length; i++)
            {
                var (entry, location, at) = moves[i];
                fixes[i] = new GeoFix(entry.Record!.Id, location.Lat, location.Lng, at);
                entries[i] = entry;
            }
            IndexNewer(fixes.AsSpan(0, moves.Length), entries, applied, sameTimeToo: true);
            for (var i = 0; i < moves.Length; i++)
            {
                if (!applied[i]) continue;
                var known = entries[i].Record!;
                announceFix?.Invoke(new DriverFix(known.Id, fixes[i].Lat, fixes[i].Lng, fixes[i].At, known.Revision));
            }
        }
        finally
        {
            ArrayPool<GeoFix>.Shared.Return(fixes, clearArray: true);
            ArrayPool<DriverEntry>.Shared.Return(entries, clearArray: true);
        }
    }

    /// <summary>
    /// Indexes each fix newer than the driver's indexed one, in their class's index (<see cref="PositionsByClass"/>), a
    /// class's fixes in passes whose cache misses overlap (at a million drivers each fix's cell is a cold line), and,
    /// with <paramref name="sameTimeToo"/>, one exactly as new (e.g. a ping in the instant of going online, whose position
    /// carries this service's time; rare, so done here rather than in the index's passes, whose code the comparison
    /// would slow). A driver whose record changed meanwhile (another thread kept a newer one) is put right: taken out
    /// again if they went offline, moved to their new class's index if their class changed.
    /// <paramref name="applied"/>[i] tells whether fix i stayed indexed.
    /// </summary>
    private void IndexNewer(ReadOnlySpan<GeoFix> fixes, DriverEntry[] entries, Span<bool> applied, bool sameTimeToo)
    {
        if (fixes.IsEmpty) return;
        var classes = ArrayPool<string>.Shared.Rent(fixes.Length);
        try
        {
            // The class each fix goes to: its driver's as read now.
            var mixed = false;
            for (var i = 0; i < fixes.Length; i++)
            {
                classes[i] = entries[i].Record!.VehicleClass;
                mixed |= !ReferenceEquals(classes[i], classes[0]) && classes[i] != classes[0];
            }
            if (mixed) IndexByClass(fixes, classes, applied, sameTimeToo);
            else IndexInto(_positions.For(classes[0]), fixes, applied, sameTimeToo);
            // The fixes are in; only now read the records again (a full fence: a thread that kept a new record before
            // this read is seen, and one that keeps it after sees these fixes when it moves or removes the driver's).
            Interlocked.MemoryBarrier();
            for (var i = 0; i < fixes.Length; i++)
            {
                if (!applied[i]) continue;
                entries[i].FixIndexed(fixes[i].At);
                var record = entries[i].Record!;
                if (record.State == DriverStates.Offline)
                {
                    _positions.For(classes[i]).Remove(fixes[i].DriverId);
                    applied[i] = false;
                }
                else if (record.VehicleClass != classes[i])
                {
                    _positions.For(classes[i]).Remove(fixes[i].DriverId);
                    _positions.For(record.VehicleClass).UpsertNewer(fixes[i]);
                }
            }
        }
        finally
        {
            ArrayPool<string>.Shared.Return(classes, clearArray: true);
        }
    }

    /// <summary>A batch of several classes: each class's fixes indexed together (the classes are few: a handful of passes).</summary>
    private void IndexByClass(ReadOnlySpan<GeoFix> fixes, string[] classes, Span<bool> applied, bool sameTimeToo)
    {
        var batch = ArrayPool<GeoFix>.Shared.Rent(fixes.Length);
        var taken = ArrayPool<bool>.Shared.Rent(fixes.Length);
        var places = ArrayPool<int>.Shared.Rent(fixes.Length);
        var grouped = ArrayPool<bool>.Shared.Rent(fixes.Length);
        try
        {
            grouped.AsSpan(0, fixes.Length).Clear();
            for (var first = 0; first < fixes.Length; first++)
            {
                if (grouped[first]) continue;
                var vehicleClass = classes[first];
                var count = 0;
                for (var i = first; i < fixes.Length; i++)
                {
                    if (grouped[i] || (!ReferenceEquals(classes[i], vehicleClass) && classes[i] != vehicleClass)) continue;
                    batch[count] = fixes[i];
                    places[count++] = i;
                    grouped[i] = true;
                }
                IndexInto(_positions.For(vehicleClass), batch.AsSpan(0, count), taken, sameTimeToo);
                for (var j = 0; j < count; j++) applied[places[j]] = taken[j];
            }
        }
        finally
        {
            ArrayPool<GeoFix>.Shared.Return(batch, clearArray: true);
            ArrayPool<bool>.Shared.Return(taken);
            ArrayPool<int>.Shared.Return(places);
            ArrayPool<bool>.Shared.Return(grouped);
        }
    }

    private static void IndexInto(GeoIndex index, ReadOnlySpan<GeoFix> fixes, Span<bool> applied, bool sameTimeToo)
    {
        index.UpsertNewer(fixes, applied);
        if (!sameTimeToo) return;
        for (var i = 0; i < fixes.Length; i++)
        {
            if (!applied[i]) applied[i] = index.UpsertNewer(fixes[i], sameTimeToo: true);
        }
    }

    /// <summary>
    /// Reports whether a driver can take a trip, where (surge supply): while it stays the same at most once per
    /// <see cref="SupplyReportInterval"/>, and at once when it changed. <paramref name="now"/> is this replica's clock (for the
    /// interval), <paramref name="at"/> the time the report is about (a ping's recorded time).
    /// </summary>
    public void ReportSupply(DriverEntry driver, GeoPoint location, bool available, DateTimeOffset at, DateTimeOffset now) =>
        ReportSupply(driver, driver.Record!.Id, location, available, at, now);

    private void ReportSupply(DriverEntry driver, string driverId, GeoPoint location, bool available, DateTimeOffset at, DateTimeOffset now)
    {
        if (!driver.TryReportSupply(available, now, SupplyReportInterval)) return;
        reportSupply?.Invoke(new DriverSupplyReport(driverId, location, available, at));
    }

    /// <summary>
    /// Fixes another replica accepted: each one indexed if its driver is online here and it is newer than the indexed
    /// fix. With <paramref name="catchUp"/>, the fixes of drivers this view does not know, or knows at an older revision
    /// than the sender did, are returned instead (a state announcement was missed: read the record, then apply them).
    /// </summary>
    public IReadOnlyList<DriverFix> ApplyFixes(IReadOnlyList<DriverFix> fixes, bool catchUp = true)
    {
        List<DriverFix>? behind = null;
        var taken = ArrayPool<GeoFix>.Shared.Rent(fixes.Count);
        var entries = ArrayPool<DriverEntry>.Shared.Rent(fixes.Count);
        var applied = ArrayPool<bool>.Shared.Rent(fixes.Count);
        try
        {
            var count = 0;
            foreach (var fix in fixes)
            {
                if (fix is null || !fix.IsValid) continue;
                var entry = Entry(fix.DriverId);
                var known = entry?.Record;
                if (catchUp && (known is null || known.Revision < fix.Revision))
                {
                    (behind ??= []).Add(fix);
                    continue;
                }
                if (known is null || known.State == DriverStates.Offline) continue;
                // The view's instance of the id: the index finds a fix that stays in its cell by it (GeoIndex.Upsert).
                entries[count] = entry!;
                taken[count++] = new GeoFix(known.Id, fix.Lat, fix.Lng, fix.At);
            }
            IndexNewer(taken.AsSpan(0, count), entries, applied, sameTimeToo: false);
        }
        finally
        {
            ArrayPool<GeoFix>.Shared.Return(taken, clearArray: true);
            ArrayPool<DriverEntry>.Shared.Return(entries, clearArray: true);
            ArrayPool<bool>.Shared.Return(applied);
        }
        return behind ?? (IReadOnlyList<DriverFix>)[];
    }

    /// <summary>
    /// A record this replica did not just write: announced by another replica (or by this one's previous run), or
    /// loaded from the store.
    /// Announcements may arrive late, twice or out of order: the record with the higher revision is kept, and a
    /// position only if it is a newer fix than the indexed one.
    /// </summary>
    public void Apply(Driver announced) => Keep(announced);

    private void Keep(Driver driver)
    {
        var entry = _drivers.GetOrAdd(driver.Id, static _ => new DriverEntry());
        var (before, kept) = entry.Keep(driver, Newer);
        if (kept.QueueId is { } queueId) _queued.GetOrAdd(queueId, static _ => new(StringComparer.Ordinal)).TryAdd(kept.Id, 0);
        if (kept.State == DriverStates.Offline)
        {
            _positions.RemoveEverywhere(driver.Id);
            entry.Forget();
            return;
        }
        // Their class changed while online: their position moves with them (a ping racing this puts its own fix right).
        if (before is not null && before.VehicleClass != kept.VehicleClass) _positions.MoveTo(kept.Id, kept.VehicleClass);
        var index = _positions.For(kept.VehicleClass);
        if (driver.Location is { } location && driver.LocationAt is { } at && index.UpsertNewer(new GeoFix(kept.Id, location.Lat, location.Lng, at)))
        {
            entry.FixIndexed(at);
            // Went offline meanwhile (another thread kept a newer record): no position for an offline driver.
            if (entry.Record is { State: DriverStates.Offline }) _positions.RemoveEverywhere(driver.Id);
        }
        if (kept.State == DriverStates.Available && before?.State != DriverStates.Available && index.Get(kept.Id) is { } fix)
        {
            becameAvailable?.Invoke(kept, new GeoPoint(fix.Lat, fix.Lng));
        }
    }

    /// <summary>
    /// The record with the higher revision, carrying the id instance this view already holds: the geo index finds
    /// a ping inside the driver's cell by that instance (see <see cref="GeoIndex.Upsert"/>), and announcements and
    /// store loads arrive with instances of their own.
    /// </summary>
    private static Driver Newer(Driver current, Driver next) =>
        current.Revision > next.Revision ? current : ReferenceEquals(current.Id, next.Id) ? next : next with { Id = current.Id };

    public int OnlineCount => _positions.Count;

    /// <summary>
    /// Available drivers this view has heard nothing of since <paramref name="heardBefore"/>: neither a live position
    /// (a ping to any replica) nor a change of their record. With the last time heard of, oldest first, at most
    /// <paramref name="limit"/>. Reads the whole view: for a sweep every few seconds, not for a request.
    /// </summary>
    /// <summary>
    /// Online drivers this view knows to have been online <see cref="DrivingLimits.MaxOnline"/> or more in their working
    /// period (ADR 0026) and not yet on their way offline, at most <paramref name="limit"/>. Reads the whole view: for a sweep.
    /// </summary>
    public IReadOnlyList<string> OverDrivingLimit(DateTimeOffset now, DrivingLimits limits, int limit)
    {
        var over = new List<string>();
        foreach (var (id, entry) in _drivers)
        {
            if (entry.Record is not { State: not DriverStates.Offline, OfflineAfterTrip: null } driver) continue;
            if (driver.OnlineFor(now, limits) >= limits.MaxOnline) over.Add(id);
            if (over.Count >= limit) break;
        }
        return over;
    }

    /// <summary>
    /// Online drivers this view knows to be within <paramref name="warning"/> of the driving limit and not told yet
    /// (<see cref="Driver.WarnDrivingLimit"/>), at most <paramref name="limit"/>. Reads the whole view: for a sweep.
    /// </summary>
    public IReadOnlyList<string> NearDrivingLimit(DateTimeOffset now, DrivingLimits limits, TimeSpan warning, int limit)
    {
        var near = new List<string>();
        foreach (var (id, entry) in _drivers)
        {
            if (entry.Record is not { } driver || ReferenceEquals(driver.WarnDrivingLimit(now, limits, warning), driver)) continue;
            near.Add(id);
            if (near.Count >= limit) break;
        }
        return near;
    }

    public IReadOnlyList<(string DriverId, DateTimeOffset LastHeard)> Silent(DateTimeOffset heardBefore, int limit)
    {
        var silent = new List<(string DriverId, DateTimeOffset LastHeard)>();
        foreach (var (id, entry) in _drivers)
        {
            if (entry.Record is not { State: DriverStates.Available } driver) continue;
            var lastHeard = entry.LastFixAt is { } fix && fix > driver.LastChangedAt ? fix : driver.LastChangedAt;
            if (lastHeard < heardBefore) silent.Add((id, lastHeard));
        }
        silent.Sort((a, b) => a.LastHeard.CompareTo(b.LastHeard));
        return silent.Count > limit ? silent[..limit] : silent;
    }
}

/// <summary>
/// What a replica's view holds of one driver: their last record (the higher revision wins) and this replica's
/// per-driver throttles: pings accepted (the rate limit), positions stored, surge supply reported. Forgotten (the
/// throttles) when the driver goes offline.
/// </summary>
public sealed class DriverEntry
{
    private Driver? _record;
    // UTC ticks; 0 (year 1): never.
    private long _lastPing;
    private long _lastStored;
    private long _supplyReportedAt;
    private int _supplyReportedAvailable = -1;
    private long _lastFix;

    /// <summary>Null only for a moment, while the entry is being made.</summary>
    public Driver? Record => Volatile.Read(ref _record);

    /// <summary>Keeps <paramref name="next"/> or the current record, whichever <paramref name="newer"/> picks; returns both.</summary>
    public (Driver? Before, Driver Kept) Keep(Driver next, Func<Driver, Driver, Driver> newer)
    {
        while (true)
        {
            var current = Record;
            var kept = current is null ? next : newer(current, next);
            if (ReferenceEquals(kept, current) || Interlocked.CompareExchange(ref _record, kept, current) == current) return (current, kept);
        }
    }

    /// <summary>Whether a ping at <paramref name="now"/> is past the rate limit's <paramref name="interval"/>, without counting it.</summary>
    public bool CanPing(DateTimeOffset now, TimeSpan interval) => now.UtcTicks - Volatile.Read(ref _lastPing) >= interval.Ticks;

    /// <summary>Counts a ping <see cref="CanPing"/> let through.</summary>
    public void Pinged(DateTimeOffset now) => Volatile.Write(ref _lastPing, now.UtcTicks);

    /// <summary>Whether this position is to be stored (at most one per <paramref name="interval"/>); counts it if so.</summary>
    public bool TryStore(DateTimeOffset now, TimeSpan interval)
    {
        var last = Volatile.Read(ref _lastStored);
        return now.UtcTicks - last >= interval.Ticks && Interlocked.CompareExchange(ref _lastStored, now.UtcTicks, last) == last;
    }

    /// <summary>
    /// Whether the driver's availability is to be reported as supply now: at once when it changed, else at most once per
    /// <paramref name="interval"/>. Counts it if so.
    /// </summary>
    public bool TryReportSupply(bool available, DateTimeOffset now, TimeSpan interval)
    {
        var value = available ? 1 : 0;
        if (Volatile.Read(ref _supplyReportedAvailable) == value && now.UtcTicks - Volatile.Read(ref _supplyReportedAt) < interval.Ticks) return false;
        Volatile.Write(ref _supplyReportedAt, now.UtcTicks);
        Volatile.Write(ref _supplyReportedAvailable, value);
        return true;
    }

    /// <summary>
    /// The time of the newest fix indexed for the driver (from any replica), null if none since they came online: kept
    /// here so a look through the whole view for silent drivers reads each entry, not the geo index as well.
    /// </summary>
    public DateTimeOffset? LastFixAt => Volatile.Read(ref _lastFix) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>A fix of the driver was indexed (keeps the newest time).</summary>
    public void FixIndexed(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        for (var known = Volatile.Read(ref _lastFix); known < ticks; known = Volatile.Read(ref _lastFix))
        {
            if (Interlocked.CompareExchange(ref _lastFix, ticks, known) == known) return;
        }
    }

    /// <summary>The driver went offline: the next ping, stored position and supply report start afresh.</summary>
    public void Forget()
    {
        Volatile.Write(ref _lastPing, 0);
        Volatile.Write(ref _lastStored, 0);
        Volatile.Write(ref _supplyReportedAt, 0);
        Volatile.Write(ref _supplyReportedAvailable, -1);
        Volatile.Write(ref _lastFix, 0);
    }
}
