namespace UberClone.Trips.Pricing;

/// <summary>
/// A fare split into what the receipt shows. The parts add up to <see cref="TotalMinor"/>. <see cref="WaitMinor"/>: what
/// the driver's wait at the pickup beyond the free minutes cost (added when the ride starts; 0 in a quote).
/// </summary>
public sealed record FareBreakdown(
    long BaseMinor, long DistanceMinor, long TimeMinor, long SurgeMinor, long MinimumFareAdjustmentMinor, long BookingFeeMinor, long WaitMinor = 0)
{
    public long TotalMinor => BaseMinor + DistanceMinor + TimeMinor + SurgeMinor + MinimumFareAdjustmentMinor + BookingFeeMinor + WaitMinor;
}

public static class FareCalculator
{
    /// <summary>
    /// booking fee + max(minimum, (base + per-km × km + per-minute × minutes) × surge), rounded to a minor unit.
    /// Inputs are metres and seconds; the conversion to the tariff's km and minutes happens here and only here.
    /// </summary>
    public static long Price(Tariff tariff, RouteEstimate route, double surgeMultiplier) => Breakdown(tariff, route, surgeMultiplier).TotalMinor;

    public static FareBreakdown Breakdown(Tariff tariff, RouteEstimate route, double surgeMultiplier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(surgeMultiplier, 1.0);
        var distance = (long)Math.Round(tariff.PerKmMinor * (route.DistanceMeters / 1000.0), MidpointRounding.AwayFromZero);
        var time = (long)Math.Round(tariff.PerMinuteMinor * (route.DurationSeconds / 60.0), MidpointRounding.AwayFromZero);
        var metered = tariff.BaseMinor + distance + time;
        var surged = (long)Math.Round(metered * surgeMultiplier, MidpointRounding.AwayFromZero);
        var minimumAdjustment = Math.Max(0, tariff.MinimumMinor - surged);
        return new FareBreakdown(tariff.BaseMinor, distance, time, surged - metered, minimumAdjustment, tariff.BookingFeeMinor);
    }
}
