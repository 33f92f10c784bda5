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

    public static SurgeCell CellOf(GeoPoint point, SurgeOptions options) =>
        new((int)Math.Floor((point.Lat + 90) / options.CellDegrees), (int)Math.Floor((point.Lng + 180) / options.CellDegrees));
}

/// <summary>One square of the surge grid.</summary>
public readonly record struct SurgeCell(int Row, int Column)
{
    /// <summary>The same cell or one of its eight neighbours.</summary>
    public bool IsNear(SurgeCell other) => Math.Abs(Row - other.Row) <= 1 && Math.Abs(Column - other.Column) <= 1;
}

/// <summary>
/// Requests and available drivers per area cell over a sliding window, fed by this service's bookings and the
/// drivers' location stream. Plain in-memory state with explicit times (no clock inside), safe for concurrent use.
/// </summary>
public sealed class DemandSupplyWindow(SurgeOptions options)
{
    private sealed record Request(SurgeCell Cell, DateTimeOffset At);
    private sealed record Sighting(SurgeCell Cell, DateTimeOffset At, bool Available);

    private readonly object _gate = new();
    private readonly Dictionary<string, Request> _openRequests = [];
    private readonly Dictionary<string, Sighting> _drivers = [];

    public void RequestOpened(string tripId, GeoPoint pickup, DateTimeOffset at)
    {
        lock (_gate) _openRequests[tripId] = new Request(SurgePolicy.CellOf(pickup, options), at);
    }

    /// <summary>The request was served (a driver assigned) or withdrawn (the rider cancelled).</summary>
    public void RequestClosed(string tripId)
    {
        lock (_gate) _openRequests.Remove(tripId);
    }

    public void DriverSeen(string driverId, GeoPoint at, bool available, DateTimeOffset when)
    {
        lock (_gate)
        {
            if (_drivers.TryGetValue(driverId, out var last) && last.At > when) return;
            _drivers[driverId] = new Sighting(SurgePolicy.CellOf(at, options), when, available);
        }
    }

    /// <summary>Open requests and available drivers in the point's cell and the eight around it.</summary>
    public (int OpenRequests, int AvailableDrivers) Counts(GeoPoint point, DateTimeOffset now)
    {
        var cell = SurgePolicy.CellOf(point, options);
        var since = now - options.Window;
        lock (_gate)
        {
            Prune(since);
            return (_openRequests.Values.Count(r => r.Cell.IsNear(cell)),
                _drivers.Values.Count(d => d.Available && d.Cell.IsNear(cell)));
        }
    }

    public double MultiplierAt(GeoPoint point, DateTimeOffset now)
    {
        var (requests, drivers) = Counts(point, now);
        return SurgePolicy.Multiplier(requests, drivers, options);
    }

    private void Prune(DateTimeOffset since)
    {
        foreach (var (id, request) in _openRequests.Where(r => r.Value.At < since).ToList()) _openRequests.Remove(id);
        foreach (var (id, seen) in _drivers.Where(d => d.Value.At < since).ToList()) _drivers.Remove(id);
    }
}
