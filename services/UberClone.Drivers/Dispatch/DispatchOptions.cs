using UberClone.Drivers.Domain;
using UberClone.Contracts;

namespace UberClone.Drivers.Dispatch;

/// <summary>Bound from configuration section "Dispatch". Defaults follow production ride-hailing configs.</summary>
public sealed class DispatchOptions
{
    public TimeSpan OfferTimeout { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>Search radius per round: each search that finds nobody moves to the next (the last one stays).</summary>
    public double[] RadiiMeters { get; set; } = [3_000, 6_000, 10_000];
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// With several replicas, a search's timers run on the replica holding its trip.event.created partition; the
    /// others step in once a step is overdue by this much (that replica may have died before its group noticed).
    /// </summary>
    public TimeSpan SweepTakeoverAfter { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A driver whose last position is older than this is not offered trips.</summary>
    public TimeSpan LocationFreshness { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How often a pinging driver's position is written to their stored record (live positions are in memory and shared
    /// between replicas on every ping; the store serves a restart of every replica and reads of the record). Storing is
    /// most of what a ping costs (bench/README.md): a longer interval buys pings per replica.
    /// </summary>
    public TimeSpan StoredPositionInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// An available driver with no position for this long is taken offline by the service, and their screen told why
    /// (the app closed or lost its connection): not offered trips anyway, they would otherwise stay "available" and
    /// counted as supply. At least <see cref="LocationFreshness"/>.
    /// </summary>
    public TimeSpan OfflineAfterSilence { get; set; } = TimeSpan.FromMinutes(5);
    public int CandidatesPerSearch { get; set; } = 10;
    /// <summary>How long a driver may be online in a working period before they must rest (ADR 0026).</summary>
    public TimeSpan MaxOnline { get; set; } = DrivingLimits.Default.MaxOnline;
    /// <summary>The rest offline after <see cref="MaxOnline"/>, which also starts a new working period.</summary>
    public TimeSpan RestAfterMaxOnline { get; set; } = DrivingLimits.Default.Rest;
    /// <summary>How often every replica looks for drivers who reached <see cref="MaxOnline"/>.</summary>
    public TimeSpan DrivingLimitSweepInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long before <see cref="MaxOnline"/> the driver is told the limit is near (once per working period).</summary>
    public TimeSpan DrivingLimitWarning { get; set; } = TimeSpan.FromMinutes(30);

    public DrivingLimits DrivingLimits => new(MaxOnline, RestAfterMaxOnline);
    /// <summary>How many destinations ("heading home") a driver may set in a day (UTC), as production apps allow.</summary>
    public int DestinationsPerDay { get; set; } = 2;
    /// <summary>The ETA model: great-circle distance × road factor at an average urban speed.</summary>
    public double RoadFactor { get; set; } = 1.3;
    public double AverageSpeedMetersPerSecond { get; set; } = 8.33;

    /// <summary>How long a search that is over (assigned, cancelled, no drivers found) is kept after it began, then deleted.</summary>
    public TimeSpan ClosedSearchRetention { get; set; } = TimeSpan.FromDays(7);

    public int EtaSeconds(GeoPoint from, GeoPoint to) =>
        (int)Math.Round(Contracts.Geo.DistanceMeters(from, to) * RoadFactor / AverageSpeedMetersPerSecond);

    /// <summary>Throws a message naming the setting when a value cannot work (checked when the service starts).</summary>
    public void Validate(string section = "Dispatch")
    {
        foreach (var (name, value) in new[] { (nameof(OfferTimeout), OfferTimeout), (nameof(SearchTimeout), SearchTimeout),
                     (nameof(RetryInterval), RetryInterval), (nameof(SweepInterval), SweepInterval), (nameof(LocationFreshness), LocationFreshness),
                     (nameof(SweepTakeoverAfter), SweepTakeoverAfter), (nameof(StoredPositionInterval), StoredPositionInterval),
                     (nameof(OfflineAfterSilence), OfflineAfterSilence), (nameof(ClosedSearchRetention), ClosedSearchRetention),
                     (nameof(MaxOnline), MaxOnline), (nameof(RestAfterMaxOnline), RestAfterMaxOnline), (nameof(DrivingLimitSweepInterval), DrivingLimitSweepInterval),
                     (nameof(DrivingLimitWarning), DrivingLimitWarning) })
        {
            if (value <= TimeSpan.Zero) throw new InvalidOperationException($"{section}:{name} must be positive (got {value}).");
        }
        if (OfflineAfterSilence < LocationFreshness)
            throw new InvalidOperationException($"{section}:OfflineAfterSilence ({OfflineAfterSilence}) must be at least {section}:LocationFreshness ({LocationFreshness}).");
        if (RadiiMeters is not { Length: > 0 } || RadiiMeters.Any(r => !(r > 0)))
            throw new InvalidOperationException($"{section}:RadiiMeters must list at least one positive radius (got [{string.Join(", ", RadiiMeters ?? [])}]).");
        if (DrivingLimitWarning >= MaxOnline)
            throw new InvalidOperationException($"{section}:DrivingLimitWarning ({DrivingLimitWarning}) must be shorter than {section}:MaxOnline ({MaxOnline}).");
        if (CandidatesPerSearch < 1) throw new InvalidOperationException($"{section}:CandidatesPerSearch must be at least 1 (got {CandidatesPerSearch}).");
        if (!(RoadFactor >= 1)) throw new InvalidOperationException($"{section}:RoadFactor must be at least 1 (got {RoadFactor}).");
        if (!(AverageSpeedMetersPerSecond > 0)) throw new InvalidOperationException($"{section}:AverageSpeedMetersPerSecond must be positive (got {AverageSpeedMetersPerSecond}).");
    }

    public double RadiusFor(int emptySearches) => RadiiMeters[Math.Min(emptySearches, RadiiMeters.Length - 1)];
}
