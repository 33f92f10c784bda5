namespace UberClone.Trips.Pricing;

/// <summary>
/// Tariff per vehicle class, in integer minor units of <see cref="PricingOptions.Currency"/>. <see cref="WaitPerMinuteMinor"/>:
/// what a minute of the driver's wait at the pickup costs once the free minutes (<c>Trips:FreeWait</c>) are over.
/// </summary>
public sealed record Tariff(long BaseMinor, long PerKmMinor, long PerMinuteMinor, long MinimumMinor, long BookingFeeMinor, long WaitPerMinuteMinor = 0);

/// <summary>Bound from configuration section "Pricing"; defaults are a plausible city tariff.</summary>
public sealed class PricingOptions
{
    public string Currency { get; set; } = "USD";

    /// <summary>Roads are longer than the great circle; typical urban detour factor.</summary>
    public double RoadFactor { get; set; } = 1.3;

    /// <summary>Average urban driving speed used when no routing service is configured.</summary>
    public double AverageSpeedMetersPerSecond { get; set; } = 8.33;

    public TimeSpan QuoteValidity { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an expired quote is kept (a booking copies what it needs into the trip), then deleted.</summary>
    public TimeSpan QuoteRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Base URL of an OSRM-compatible routing service; unset = great circle × road factor.</summary>
    public string? RoutingUrl { get; set; }

    public TimeSpan RoutingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public SurgeOptions Surge { get; set; } = new();

    public Dictionary<string, Tariff> Tariffs { get; set; } = new()
    {
        ["economy"] = new(BaseMinor: 250, PerKmMinor: 120, PerMinuteMinor: 25, MinimumMinor: 700, BookingFeeMinor: 200, WaitPerMinuteMinor: 30),
        ["comfort"] = new(350, 160, 35, 1000, 200, 40),
        ["xl"] = new(450, 210, 45, 1300, 250, 50),
        ["premium"] = new(700, 300, 60, 2000, 300, 70),
    };
}
