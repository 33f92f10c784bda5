using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Dispatch;

/// <summary>
/// The searches this replica ran that found nobody and wait for their next attempt on the timer, by where their pickup
/// is. A driver who becomes available (online, released from an offer, back from a trip; stored by this replica or
/// announced by another) wakes the longest-waiting one of their class whose next radius reaches them, at once instead
/// of at its next attempt. This matters most for drivers of another replica: this replica learns of them from their
/// announcement, which can arrive just after a booking's search found nobody.
/// Memory only and best effort: the timers stay the authority; a search not woken waits for its timer as before.
/// </summary>
public sealed class WaitingSearches(TimeProvider clock)
{
    /// <summary>More waiting searches than this are not remembered (they wait for their timers).</summary>
    public const int Capacity = 100_000;

    private const double CellDegrees = 0.1; // ~11 km of latitude: a driver is looked for in the cells around them
    private const double MetersPerDegree = 111_195; // of latitude (the mean Earth radius's arc)

    private sealed record Entry(
        string TripId, GeoPoint Pickup, string VehicleClass, double RadiusMeters, IReadOnlyList<string> Excluded,
        DateTimeOffset Since, DateTimeOffset Until, (int Row, int Col) Cell, RideNeeds Needs);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byTrip = [];
    private readonly Dictionary<(int Row, int Col), List<Entry>> _byCell = [];
    private double _widestRadius;
    private readonly Channel<string> _woken = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The trips whose search a driver woke, for <see cref="SearchWaker"/> to run.</summary>
    public ChannelReader<string> Woken => _woken.Reader;

    public int Count
    {
        get { lock (_gate) return _byTrip.Count; }
    }

    /// <summary>
    /// The search found nobody within <paramref name="radiusMeters"/>... for now: a driver who becomes available within it
    /// wakes it until <paramref name="until"/> (its next attempt on the timer). Replaces the trip's previous entry.
    /// </summary>
    public void Wait(TripDispatch search, double radiusMeters, DateTimeOffset until)
    {
        var entry = new Entry(search.Id, search.Pickup, search.VehicleClass, radiusMeters, search.ExcludedDrivers,
            search.StartedAt, until, CellOf(search.Pickup.Lat, search.Pickup.Lng), search.Needs);
        lock (_gate)
        {
            RemoveLocked(search.Id);
            if (_byTrip.Count >= Capacity) PurgeLocked(clock.GetUtcNow());
            if (_byTrip.Count >= Capacity) return;
            _byTrip[entry.TripId] = entry;
            if (!_byCell.TryGetValue(entry.Cell, out var cell)) _byCell[entry.Cell] = cell = [];
            cell.Add(entry);
            _widestRadius = Math.Max(_widestRadius, radiusMeters);
        }
    }

    /// <summary>The search is no longer waiting (it made an offer, ended, or runs now).</summary>
    public void Remove(string tripId)
    {
        lock (_gate) RemoveLocked(tripId);
    }

    /// <summary>
    /// A driver became available at <paramref name="location"/>: wakes the longest-waiting search of their class whose
    /// radius reaches them, that did not exclude them (one per driver: the others would find them taken) and whose ride's
    /// needs the driver <paramref name="takes"/> (<see cref="Driver.Takes(RideNeeds)"/>; without it, rides that need
    /// nothing more). Returns its trip.
    /// </summary>
    public string? DriverAvailable(string driverId, string vehicleClass, GeoPoint location, Func<RideNeeds, bool>? takes = null)
    {
        takes ??= needs => needs == RideNeeds.None;
        Entry? best = null;
        lock (_gate)
        {
            if (_byTrip.Count == 0) return null;
            var now = clock.GetUtcNow();
            var rows = (int)Math.Ceiling(_widestRadius / MetersPerDegree / CellDegrees);
            var cos = Math.Max(Math.Cos(location.Lat * Math.PI / 180), 0.01);
            var cols = Math.Min((int)Math.Ceiling(_widestRadius / (MetersPerDegree * cos) / CellDegrees), (int)(180 / CellDegrees));
            var (row, col) = CellOf(location.Lat, location.Lng);
            List<Entry>? expired = null;
            for (var r = row - rows; r <= row + rows; r++)
            {
                for (var c = col - cols; c <= col + cols; c++)
                {
                    if (!_byCell.TryGetValue((r, WrapColumn(c)), out var cell)) continue;
                    foreach (var entry in cell)
                    {
                        if (entry.Until < now)
                        {
                            (expired ??= []).Add(entry); // its timer runs it now; or its partition went to another replica
                            continue;
                        }
                        if (entry.VehicleClass != vehicleClass || entry.Excluded.Contains(driverId) || !takes(entry.Needs)) continue;
                        if (best is not null && best.Since <= entry.Since) continue;
                        if (Contracts.Geo.DistanceMeters(entry.Pickup, location) <= entry.RadiusMeters) best = entry;
                    }
                }
            }
            foreach (var entry in expired ?? []) RemoveLocked(entry.TripId);
            if (best is null) return null;
            RemoveLocked(best.TripId);
        }
        _woken.Writer.TryWrite(best.TripId);
        return best.TripId;
    }

    private void RemoveLocked(string tripId)
    {
        if (!_byTrip.Remove(tripId, out var entry)) return;
        var cell = _byCell[entry.Cell];
        cell.Remove(entry);
        if (cell.Count == 0) _byCell.Remove(entry.Cell);
    }

    private void PurgeLocked(DateTimeOffset now)
    {
        foreach (var entry in _byTrip.Values.Where(e => e.Until < now).ToList()) RemoveLocked(entry.TripId);
        if (_byTrip.Count == 0) _widestRadius = 0;
    }

    private static (int Row, int Col) CellOf(double lat, double lng) =>
        ((int)Math.Floor(lat / CellDegrees), WrapColumn((int)Math.Floor(lng / CellDegrees)));

    private static int WrapColumn(int col)
    {
        var columns = (int)Math.Round(360 / CellDegrees);
        var shifted = (col + columns / 2) % columns;
        return (shifted < 0 ? shifted + columns : shifted) - columns / 2;
    }
}
