using System.Runtime.InteropServices;
using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>Surge settings (configuration section "Pricing:Surge").</summary>
public sealed class SurgeOptions
{
    /// <summary>Demand and supply are counted over this window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    public double Cap { get; set; } = 3.0;

    /// <summary>How much of the excess demand ratio turns into surge: 2 requests per driver × 0.5 → 1.5.</summary>
    public double Sensitivity { get; set; } = 0.5;

    /// <summary>
    /// Area cells are squares of this many degrees (0.02° ≈ 2.2 km of latitude). A point's surge counts its own cell
    /// and the eight around it (≈ 6.7 km across), so two pickups a street apart never see different demand because
    /// a grid line runs between them.
    /// </summary>
    public double CellDegrees { get; set; } = 0.02;

    /// <summary>Throws a message naming the setting when a value cannot work (checked when the service starts).</summary>
    public void Validate(string section = "Pricing:Surge")
    {
        if (Window <= TimeSpan.Zero) throw new InvalidOperationException($"{section}:Window must be positive (got {Window}).");
        if (Cap < 1) throw new InvalidOperationException($"{section}:Cap must be at least 1.0 (got {Cap}).");
        if (Sensitivity < 0) throw new InvalidOperationException($"{section}:Sensitivity must not be negative (got {Sensitivity}).");
        if (!(CellDegrees > 0 && CellDegrees <= 1)) throw new InvalidOperationException($"{section}:CellDegrees must be in (0, 1] (got {CellDegrees}).");
    }
}

public static class SurgePolicy
{
    /// <summary>
    /// 1.0 while drivers keep up with requests; above that, 1 + (requests / drivers − 1) × sensitivity, rounded to
    /// 0.1 and capped. Requests with no driver at all count as if there were one.
    /// </summary>
    public static double Multiplier(int openRequests, int availableDrivers, SurgeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(openRequests);
        ArgumentOutOfRangeException.ThrowIfNegative(availableDrivers);
        if (openRequests <= availableDrivers) return 1.0;
        var ratio = (double)openRequests / Math.Max(1, availableDrivers);
        var multiplier = Math.Round(1 + (ratio - 1) * options.Sensitivity, 1, MidpointRounding.AwayFromZero);
        return Math.Clamp(multiplier, 1.0, options.Cap);
    }

    /// <summary>The cell of a point; columns wrap around the antimeridian (longitude 180 is column 0, like −180).</summary>
    public static SurgeCell CellOf(GeoPoint point, SurgeOptions options) =>
        new((int)Math.Floor((point.Lat + 90) / options.CellDegrees), WrapColumn((int)Math.Floor((point.Lng + 180) / options.CellDegrees), options));

    /// <summary>Where a cell lies: its south and west edges from its row and column, a cell's size on.</summary>
    public static CellBounds BoundsOf(SurgeCell cell, SurgeOptions options)
    {
        var south = cell.Row * options.CellDegrees - 90;
        var west = cell.Column * options.CellDegrees - 180;
        return new CellBounds(Math.Round(south, 6), Math.Round(west, 6), Math.Round(south + options.CellDegrees, 6), Math.Round(west + options.CellDegrees, 6));
    }

    /// <summary>A column index folded into [0, columns): east of the last column is the first one.</summary>
    public static int WrapColumn(int column, SurgeOptions options)
    {
        var columns = (int)Math.Round(360 / options.CellDegrees);
        return ((column % columns) + columns) % columns;
    }
}

/// <summary>One square of the surge grid.</summary>
public readonly record struct SurgeCell(int Row, int Column);

/// <summary>A square's edges in degrees.</summary>
public readonly record struct CellBounds(double South, double West, double North, double East);

/// <summary>A square of the grid that surges, and by how much.</summary>
public readonly record struct CellSurge(SurgeCell Cell, CellBounds Bounds, double Multiplier);

/// <summary>
/// Open requests and available drivers per area cell over a sliding window. Fed by trip and driver events, which
/// every trips replica reads in full (a consumer of its own), so all replicas quote the same surge; the replica that
/// books a trip also counts it at once. Events may arrive twice, late or out of order: each trip and each driver
/// keeps only its latest fact by event time, so a late "requested" never reopens a trip already served.
/// Counts are kept per cell, so a quote adds up nine cells instead of scanning every request and driver; facts
/// leave the counts once older than the window, oldest-recorded first. Plain in-memory state with explicit times
/// (no clock inside), safe for concurrent use.
/// </summary>
public sealed class DemandSupplyWindow(SurgeOptions options)
{
    /// <summary>The latest known fact about one trip (an open request or not) or one driver (available or not), and where.</summary>
    private sealed class Fact(string id, bool isDriver)
    {
        public readonly string Id = id;
        public readonly bool IsDriver = isDriver;
        public SurgeCell Cell;
        public DateTimeOffset At;
        /// <summary>An open request, or an available driver: counted in its cell.</summary>
        public bool Counted;
        public LinkedListNode<Fact>? Node;
    }

    private struct CellCounts
    {
        public int Requests;
        public int Drivers;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, Fact> _trips = [];
    private readonly Dictionary<string, Fact> _drivers = [];
    private readonly Dictionary<SurgeCell, CellCounts> _cells = [];
    /// <summary>Facts in the order they were recorded (nearly time order): the oldest leave first.</summary>
    private readonly LinkedList<Fact> _recorded = new();
    /// <summary>Facts older than this have left the window; a late event older than it is ignored.</summary>
    private DateTimeOffset _horizon = DateTimeOffset.MinValue;

    public void RequestOpened(string tripId, GeoPoint pickup, DateTimeOffset at) =>
        Record(_trips, tripId, isDriver: false, SurgePolicy.CellOf(pickup, options), at, counted: true);

    /// <summary>The request was served (a driver assigned), withdrawn (the rider cancelled) or given up (nobody found).</summary>
    public void RequestClosed(string tripId, DateTimeOffset at)
    {
        lock (_gate)
        {
            var cell = _trips.TryGetValue(tripId, out var known) ? known.Cell : default;
            Record(_trips, tripId, isDriver: false, cell, at, counted: false);
        }
    }

    /// <summary>The assigned driver gave the trip up: it is an open request again where it was requested (if still known).</summary>
    public void RequestReopened(string tripId, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_trips.TryGetValue(tripId, out var known)) Record(_trips, tripId, isDriver: false, known.Cell, at, counted: true);
        }
    }

    public void DriverSeen(string driverId, GeoPoint at, bool available, DateTimeOffset when) =>
        Record(_drivers, driverId, isDriver: true, SurgePolicy.CellOf(at, options), when, available);

    /// <summary>Open requests and available drivers in the point's cell and the eight around it.</summary>
    public (int OpenRequests, int AvailableDrivers) Counts(GeoPoint point, DateTimeOffset now)
    {
        var center = SurgePolicy.CellOf(point, options);
        lock (_gate)
        {
            Prune(now - options.Window);
            return CountsAround(center);
        }
    }

    /// <summary>
    /// The surge of each cell up to <paramref name="reach"/> cells from the point's (a square of (2 × reach + 1)² cells),
    /// as a quote with its pickup in that cell sees it; cells without surge are left out. What drivers see on their map.
    /// </summary>
    public IReadOnlyList<CellSurge> SurgeAround(GeoPoint point, int reach, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reach);
        var center = SurgePolicy.CellOf(point, options);
        var surging = new List<CellSurge>();
        lock (_gate)
        {
            Prune(now - options.Window);
            for (var row = center.Row - reach; row <= center.Row + reach; row++)
            {
                for (var column = center.Column - reach; column <= center.Column + reach; column++)
                {
                    var cell = new SurgeCell(row, SurgePolicy.WrapColumn(column, options));
                    var (requests, drivers) = CountsAround(cell);
                    var multiplier = SurgePolicy.Multiplier(requests, drivers, options);
                    if (multiplier > 1.0) surging.Add(new CellSurge(cell, SurgePolicy.BoundsOf(cell, options), multiplier));
                }
            }
        }
        return surging;
    }

    private (int OpenRequests, int AvailableDrivers) CountsAround(SurgeCell center)
    {
        var (requests, drivers) = (0, 0);
        for (var row = center.Row - 1; row <= center.Row + 1; row++)
        {
            for (var column = center.Column - 1; column <= center.Column + 1; column++)
            {
                if (!_cells.TryGetValue(new SurgeCell(row, SurgePolicy.WrapColumn(column, options)), out var counts)) continue;
                requests += counts.Requests;
                drivers += counts.Drivers;
            }
        }
        return (requests, drivers);
    }

    public double MultiplierAt(GeoPoint point, DateTimeOffset now)
    {
        var (requests, drivers) = Counts(point, now);
        return SurgePolicy.Multiplier(requests, drivers, options);
    }

    /// <summary>How many trips and drivers are remembered (open or not): bounded by what happened within the window.</summary>
    public int Remembered
    {
        get
        {
            lock (_gate) return _trips.Count + _drivers.Count;
        }
    }

    private void Record(Dictionary<string, Fact> facts, string id, bool isDriver, SurgeCell cell, DateTimeOffset at, bool counted)
    {
        lock (_gate)
        {
            // Events move the window on too, so a replica that quotes rarely still forgets what left it.
            Prune(at - options.Window);
            if (at < _horizon) return;
            if (facts.TryGetValue(id, out var fact))
            {
                if (fact.At > at) return; // an older event arriving late
                Count(fact, -1);
                _recorded.Remove(fact.Node!);
            }
            else
            {
                facts[id] = fact = new Fact(id, isDriver);
            }
            fact.Cell = cell;
            fact.At = at;
            fact.Counted = counted;
            Count(fact, +1);
            fact.Node = _recorded.AddLast(fact);
        }
    }

    private void Count(Fact fact, int delta)
    {
        if (!fact.Counted) return;
        ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_cells, fact.Cell, out _);
        if (fact.IsDriver) counts.Drivers += delta;
        else counts.Requests += delta;
        if (counts is { Requests: 0, Drivers: 0 }) _cells.Remove(fact.Cell);
    }

    private void Prune(DateTimeOffset since)
    {
        if (since > _horizon) _horizon = since;
        while (_recorded.First is { } oldest && oldest.Value.At < _horizon)
        {
            var fact = oldest.Value;
            Count(fact, -1);
            _recorded.RemoveFirst();
            (fact.IsDriver ? _drivers : _trips).Remove(fact.Id);
        }
    }
}
