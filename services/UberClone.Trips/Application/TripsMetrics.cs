using System.Diagnostics.Metrics;

namespace UberClone.Trips.Application;

/// <summary>Business metrics worth watching on the dashboard.</summary>
public sealed class TripsMetrics
{
    public const string MeterName = "UberClone.Trips";
    private readonly Counter<long> _requested;
    private readonly Histogram<double> _timeToMatch;
    private readonly Counter<long> _wrongPins;
    private readonly Counter<long> _promotionRides;
    private readonly Counter<long> _promotionDiscount;
    private readonly Counter<long> _declinedAtBooking;
    private readonly Counter<long> _authenticationAtBooking;

    public TripsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requested = meter.CreateCounter<long>("uberclone.trips.requested", unit: "{trip}", description: "Trips booked by riders.");
        // Seconds, so the SDK's default (millisecond-sized) buckets would put every match in the last one.
        _timeToMatch = meter.CreateHistogram<double>("uberclone.trips.time_to_match", unit: "s", description: "From booking to a driver assigned.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120] });
        _declinedAtBooking = meter.CreateCounter<long>("uberclone.trips.card_declined_at_booking", unit: "{booking}",
            description: "Bookings refused because the rider's card declined the hold of the upfront price (ADR 0027).");
        _authenticationAtBooking = meter.CreateCounter<long>("uberclone.trips.card_authentication_at_booking", unit: "{booking}",
            description: "Bookings sent to the rider's bank to confirm the hold first (3-D Secure, ADR 0028).");
        _wrongPins = meter.CreateCounter<long>("uberclone.trips.wrong_pins", unit: "{attempt}", description: "Starts refused for a wrong rider PIN.");
        _promotionRides = meter.CreateCounter<long>("uberclone.trips.promotion_rides", unit: "{trip}", description: "Rides completed with a promotion.");
        _promotionDiscount = meter.CreateCounter<long>("uberclone.trips.promotion_discount", unit: "{minor_unit}",
            description: "What promotions took off completed rides (the platform pays it), in minor units of the tagged currency.");
    }

    public void TripRequested(string vehicleClass) => _requested.Add(1, new KeyValuePair<string, object?>("vehicle_class", vehicleClass));

    public void DriverAssigned(TimeSpan sinceRequest) => _timeToMatch.Record(sinceRequest.TotalSeconds);

    public void WrongPin() => _wrongPins.Add(1);

    public void CardDeclinedAtBooking() => _declinedAtBooking.Add(1);

    public void CardAuthenticationAtBooking() => _authenticationAtBooking.Add(1);

    /// <summary>Tagged by kind (invite, reward, support's), not by code: codes are unbounded.</summary>
    public void PromotionRedeemed(string code, long discountMinor, string currency)
    {
        var kind = new KeyValuePair<string, object?>("kind", Promotions.Referrals.KindOf(code));
        _promotionRides.Add(1, kind);
        _promotionDiscount.Add(discountMinor, kind, new KeyValuePair<string, object?>("currency", currency));
    }
}
