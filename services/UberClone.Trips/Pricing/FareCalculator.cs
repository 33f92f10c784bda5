namespace UberClone.Trips.Pricing;

public static class FareCalculator
{
    /// <summary>
    /// booking fee + max(minimum, (base + per-km × km + per-minute × minutes) × surge), rounded to a minor unit.
    /// Inputs are metres and seconds; the conversion to the tariff's km and minutes happens here and only here.
    /// </summary>
    public static long Price(Tariff tariff, RouteEstimate route, double surgeMultiplier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(surgeMultiplier, 1.0);
        var km = route.DistanceMeters / 1000.0;
        var minutes = route.DurationSeconds / 60.0;
        var metered = (tariff.BaseMinor + tariff.PerKmMinor * km + tariff.PerMinuteMinor * minutes) * surgeMultiplier;
        return tariff.BookingFeeMinor + Math.Max(tariff.MinimumMinor, (long)Math.Round(metered, MidpointRounding.AwayFromZero));
    }
}
