namespace UberClone.Trips.Pricing;

/// <summary>
/// A fare split into what the receipt shows. The parts add up to <see cref="TotalMinor"/>. <see cref="WaitMinor"/>: what
/// the driver's wait at the pickup beyond the free minutes cost (added when the ride starts; 0 in a quote).
/// <see cref="PlaceFees"/>: what places charge on the ride (ADR 0037), added after surge and the minimum fare.
/// <see cref="PetFeeMinor"/>: the flat fee of a ride with a pet (ADR 0041), added after surge and the minimum fare too.
/// </summary>
public sealed record FareBreakdown(
    long BaseMinor, long DistanceMinor, long TimeMinor, long SurgeMinor, long MinimumFareAdjustmentMinor, long BookingFeeMinor, long WaitMinor = 0)
{
    public IReadOnlyList<PlaceFeeCharge> PlaceFees { get; init; } = [];

    public long PlaceFeesMinor => PlaceFees.Sum(f => f.AmountMinor);

    /// <summary>The rider brings a pet (ADR 0041): the driver's, like the metered parts, so not in <see cref="PassedOnMinor"/>; 0 without.</summary>
    public long PetFeeMinor { get; init; }

    public long TotalMinor => BaseMinor + DistanceMinor + TimeMinor + SurgeMinor + MinimumFareAdjustmentMinor + BookingFeeMinor + WaitMinor + PlaceFeesMinor + PetFeeMinor;

    /// <summary>
    /// The part of the fare that is neither the driver's nor discounted: the booking fee (the platform's) and the place
    /// fees (passed on to the places). Promotions discount the rest, and the driver's service fee is a share of it.
    /// </summary>
    public long PassedOnMinor => BookingFeeMinor + PlaceFeesMinor;

    // Value equality also for the fee lines (a list compares by reference): a breakdown read back from storage equals the one written.
    public bool Equals(FareBreakdown? other) =>
        other is not null && (BaseMinor, DistanceMinor, TimeMinor, SurgeMinor, MinimumFareAdjustmentMinor, BookingFeeMinor, WaitMinor)
            == (other.BaseMinor, other.DistanceMinor, other.TimeMinor, other.SurgeMinor, other.MinimumFareAdjustmentMinor, other.BookingFeeMinor, other.WaitMinor)
        && PetFeeMinor == other.PetFeeMinor && PlaceFees.SequenceEqual(other.PlaceFees);

    public override int GetHashCode() => HashCode.Combine(BaseMinor, DistanceMinor, TimeMinor, SurgeMinor, MinimumFareAdjustmentMinor, BookingFeeMinor, WaitMinor, PlaceFeesMinor + PetFeeMinor);
}

public static class FareCalculator
{
    /// <summary>
    /// booking fee + max(minimum, (base + per-km × km + per-minute × minutes) × surge), rounded to a minor unit.
    /// Inputs are metres and seconds; the conversion to the tariff's km and minutes happens here and only here.
    /// </summary>
    public static long Price(Tariff tariff, RouteEstimate route, double surgeMultiplier) => Breakdown(tariff, route, surgeMultiplier).TotalMinor;

    /// <summary>
    /// <see cref="Breakdown(Tariff, RouteEstimate, double)"/> plus <paramref name="placeFees"/> (ADR 0037): added as they
    /// are, after surge and the minimum fare, so neither multiplies nor absorbs them.
    /// </summary>
    public static FareBreakdown Breakdown(Tariff tariff, RouteEstimate route, double surgeMultiplier, IReadOnlyList<PlaceFeeCharge> placeFees) =>
        Breakdown(tariff, route, surgeMultiplier) with { PlaceFees = placeFees };

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
