using UberClone.Contracts.Common;
using UberClone.Contracts.Trips;
using UberClone.Gateway.BusinessRides;

namespace UberClone.Gateway.Tests;

/// <summary>
/// A rider's business rides of a month as CSV (ADR 0034; no I/O): in the rider's zone, fare + tip - refunded = total, the memo, and
/// nothing a spreadsheet runs.
/// </summary>
public sealed class BusinessReportCsvTests
{
    private static Money Eur(long minor) => new() { AmountMinor = minor, Currency = "EUR" };

    private static Trip Ride(string id, string completedAt, long dueMinor, long tipMinor = 0, string tipStatus = "", string memo = "", long refundedMinor = 0) => new()
    {
        TripId = id, Status = "completed", Profile = "business", ExpenseMemo = memo, CompletedAt = completedAt, DistanceMeters = 5_240,
        Pickup = new LatLng { Lat = 52.52, Lng = 13.405 }, Dropoff = new LatLng { Lat = 52.5, Lng = 13.45 }, Fare = Eur(dueMinor),
        Receipt = new Receipt
        {
            AmountDue = Eur(dueMinor), PaymentStatus = "paid", Tip = tipMinor > 0 ? Eur(tipMinor) : null, TipPaymentStatus = tipStatus,
            Refunded = refundedMinor > 0 ? Eur(refundedMinor) : null,
        },
    };

    [Fact]
    public void Each_ride_is_a_row_in_the_riders_zone_with_fare_tip_and_total_in_major_units()
    {
        var csv = BusinessReportCsv.Render(
        [
            Ride("t1", "2026-11-02T08:15:00Z", dueMinor: 2_300, tipMinor: 300, memo: "Client visit ACME"),
            Ride("t2", "2026-11-30T23:30:00Z", dueMinor: 1_840, tipMinor: 200, tipStatus: "paid"),
            Ride("t3", "2026-11-15T12:00:00Z", dueMinor: 1_000, tipMinor: 500, tipStatus: "payment_failed", memo: "Offsite, day 2"),
            Ride("t4", "2026-11-20T07:00:00Z", dueMinor: 2_500, tipMinor: 400, tipStatus: "paid", refundedMinor: 900),
        ], TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(
            "ridden_at,pickup,dropoff,distance_km,fare,tip,refunded,total,currency,memo,trip_id\r\n"
            // A tip added before paying is part of what was due; one paid on its own is added; one that failed is not.
            + "2026-11-02T09:15:00+01:00,52.5200 13.4050,52.5000 13.4500,5.2,20.00,3.00,0.00,23.00,EUR,Client visit ACME,t1\r\n"
            + "2026-12-01T00:30:00+01:00,52.5200 13.4050,52.5000 13.4500,5.2,18.40,2.00,0.00,20.40,EUR,,t2\r\n"
            + "2026-11-15T13:00:00+01:00,52.5200 13.4050,52.5000 13.4500,5.2,10.00,0.00,0.00,10.00,EUR,\"Offsite, day 2\",t3\r\n"
            // What support gave back (of the fare and the tip) is taken off: the ride cost the rider 25.00 + 4.00 - 9.00.
            + "2026-11-20T08:00:00+01:00,52.5200 13.4050,52.5000 13.4500,5.2,25.00,4.00,9.00,20.00,EUR,,t4\r\n", csv);
    }

    [Fact]
    public void A_month_without_business_rides_is_the_header_alone_and_no_memo_is_a_formula()
    {
        Assert.Equal(BusinessReportCsv.Header + "\r\n", BusinessReportCsv.Render([], null));
        Assert.Contains(",'=1+2,t1\r\n", BusinessReportCsv.Render([Ride("t1", "2026-11-02T08:15:00Z", 700, memo: "=1+2")], null));
    }
}
