namespace UberClone.Trips.Domain;

/// <summary>
/// What a driver earns from a trip: what the rider pays (<see cref="AmountMinor"/>: the fare, or a late cancellation's
/// fee) less the booking fee (the platform's), the place fees (<see cref="PlaceFeesMinor"/>: passed on to an airport or
/// a zone, ADR 0037) and the service fee (<see cref="ServiceFeePercent"/> of the rest). Fixed
/// when earned, at completion or at the late cancellation, so a later change of the share does not rewrite past
/// earnings. Earned whether or not the rider's payment has gone through yet: collecting it is the platform's risk.
/// </summary>
/// <remarks>
/// A fare adjustment (<see cref="FareAdjustmentMinor"/>: money given back to the rider because the fare was more than
/// the ride was worth) is taken from the fare first, then from the tip, and the driver earns as if the rider had paid
/// that much less: the service fee is a share of the lowered fare, the booking fee stays the platform's and the place
/// fees the places'. It is counted
/// in the period the trip was earned in.
/// </remarks>
public sealed record DriverEarnings(
    string Kind, long AmountMinor, long BookingFeeMinor, double ServiceFeePercent, long ServiceFeeMinor, long EarningsMinor, DateTimeOffset EarnedAt,
    long TipMinor = 0, long FareAdjustmentMinor = 0, long ItemReturnMinor = 0, long PlaceFeesMinor = 0)
{
    /// <summary>
    /// What the driver collected in cash from the rider (ADR 0042): what the rider paid of the fare; 0 for a ride paid in
    /// the app. The driver holds it, so the ledger owes them <see cref="OwedMinor"/>, not <see cref="EarningsMinor"/>.
    /// </summary>
    public long CashCollectedMinor { get; init; }

    /// <summary>What the ledger owes the driver for the trip (ADR 0025): the earnings less the cash they hold (negative: they owe the platform).</summary>
    public long OwedMinor => EarningsMinor - CashCollectedMinor;

    /// <summary>The ledger line of a ride paid in cash's completion (ADR 0042): −(what the rider paid − the driver's earnings).</summary>
    public const string CashCollected = "cash_collected";

    /// <summary>The same earnings with the fee the rider paid for a lost item the driver returned (ADR 0035), all of it the driver's.</summary>
    public DriverEarnings WithItemReturn(long feeMinor) => Computed(this with { ItemReturnMinor = feeMinor });

    /// <summary>The same earnings with the rider's tip (all of it the driver's) instead of the one they had.</summary>
    public DriverEarnings WithTip(long tipMinor) => Computed(this with { TipMinor = tipMinor });

    /// <summary>The same earnings after <paramref name="totalMinor"/> of fare adjustments in all (not this one's amount: the total so far).</summary>
    public DriverEarnings WithFareAdjustment(long totalMinor) => Computed(this with { FareAdjustmentMinor = Math.Max(0, totalMinor) });

    public const string Fare = "fare";
    public const string CancellationFee = "cancellation_fee";

    public static DriverEarnings For(string kind, long amountMinor, long bookingFeeMinor, double serviceFeePercent, DateTimeOffset earnedAt, long placeFeesMinor = 0)
    {
        var bookingFee = Math.Min(bookingFeeMinor, amountMinor);
        return Computed(new DriverEarnings(kind, amountMinor, bookingFee, serviceFeePercent, 0, 0, earnedAt,
            PlaceFeesMinor: Math.Min(placeFeesMinor, amountMinor - bookingFee)));
    }

    private static DriverEarnings Computed(DriverEarnings e)
    {
        var fromFare = Math.Min(e.FareAdjustmentMinor, e.AmountMinor);
        var fromTip = Math.Min(e.TipMinor, e.FareAdjustmentMinor - fromFare);
        var shared = Math.Max(0, e.AmountMinor - fromFare - e.BookingFeeMinor - e.PlaceFeesMinor);
        var serviceFee = (long)Math.Round(shared * e.ServiceFeePercent / 100, MidpointRounding.AwayFromZero);
        return e with { ServiceFeeMinor = serviceFee, EarningsMinor = shared - serviceFee + e.TipMinor - fromTip + e.ItemReturnMinor };
    }
}

/// <summary>A driver's earnings over a period: a total per currency, how many trips and fees, and each earning, newest first.</summary>
public sealed record EarningsSummary(
    DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, long> TotalsByCurrency, int Trips, int CancellationFees, IReadOnlyList<Trip> Earned)
{
    /// <summary>
    /// The longest period one request may ask for: a calendar year in the driver's time zone (366 days, and an hour more
    /// or less where the clocks change), for the year's earnings a tax return asks for.
    /// </summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(367);

    /// <summary>
    /// The longest a trip may run from booking to completion: a trip booked this long before a period cannot have been
    /// earned in it, so reading a driver's trips newest first stops there.
    /// </summary>
    public static readonly TimeSpan LongestTrip = TimeSpan.FromDays(1);

    /// <summary>The earnings of <paramref name="trips"/> (a driver's, any order) earned from <paramref name="from"/> until before <paramref name="to"/>.</summary>
    public static EarningsSummary Of(IEnumerable<Trip> trips, DateTimeOffset from, DateTimeOffset to)
    {
        var earned = trips
            .Where(t => t.DriverEarnings is { } e && e.EarnedAt >= from && e.EarnedAt < to)
            .OrderByDescending(t => t.DriverEarnings!.EarnedAt)
            .ToList();
        var totals = earned.GroupBy(t => t.Currency).ToDictionary(g => g.Key, g => g.Sum(t => t.DriverEarnings!.EarningsMinor));
        return new EarningsSummary(from, to, totals,
            earned.Count(t => t.DriverEarnings!.Kind == DriverEarnings.Fare),
            earned.Count(t => t.DriverEarnings!.Kind == DriverEarnings.CancellationFee),
            earned);
    }
}

/// <summary>
/// What payments was told a driver earns from a trip (<see cref="EarningsMinor"/>, up from <see cref="PreviousMinor"/>),
/// the trip's <see cref="Revision"/>-th such change (ADR 0025).
/// </summary>
public sealed record EarningsPublication(string DriverId, long EarningsMinor, long PreviousMinor, int Revision, string Kind);
