using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

public class DriverEarningsTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Pickup = TestTrips.Pickup;
    private static readonly TripRules Rules = TestTrips.Rules;

    [Fact]
    public void Completing_fixes_what_the_driver_earns_the_fare_less_the_booking_fee_and_the_service_fee()
    {
        var done = TestTrips.InProgress().Complete("d1", Rules, Now.AddMinutes(20));

        // 1,500 paid; 200 booking fee; 25 % of the other 1,300 is 325; the driver earns 975.
        Assert.Equal(new DriverEarnings(DriverEarnings.Fare, 1_500, 200, 25, 325, 975, Now.AddMinutes(20)), done.DriverEarnings);
    }

    [Fact]
    public void A_later_change_of_the_service_fee_does_not_rewrite_earnings_already_made()
    {
        var done = TestTrips.InProgress().Complete("d1", Rules, Now.AddMinutes(20));
        var again = done.Complete("d1", new TripRules { ServiceFeePercent = 40 }, Now.AddMinutes(21));
        Assert.Equal(975, again.DriverEarnings!.EarningsMinor);
    }

    [Theory]
    [InlineData(0, 1_300)]
    [InlineData(100, 0)]
    [InlineData(33.3, 867)] // 432.9 rounds to 433
    [InlineData(12.5, 1_137)] // 162.5 rounds away from zero, to 163
    public void The_service_fee_is_the_configured_share_rounded_to_a_minor_unit(double percent, long earned) =>
        Assert.Equal(earned, TestTrips.InProgress().Complete("d1", new TripRules { ServiceFeePercent = percent }, Now).DriverEarnings!.EarningsMinor);

    [Fact]
    public void A_late_cancellations_fee_is_earned_by_the_driver_who_was_assigned_a_free_one_earns_nothing()
    {
        var quote = new Quote
        {
            Id = "q", RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(52.50, 13.45), DistanceMeters = 5_000,
            DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10), Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        var assigned = Trip.Request("t", "r1", quote, quote.Options[0], "4321", Now).AssignDriver("d1", null, Now);

        var late = assigned.CancelByRider("r1", "", Rules, Now.AddMinutes(3));
        var free = assigned.CancelByRider("r1", "", Rules, Now.AddMinutes(1));

        Assert.Equal(new DriverEarnings(DriverEarnings.CancellationFee, 500, 0, 25, 125, 375, Now.AddMinutes(3)), late.DriverEarnings);
        Assert.Equal("d1", late.DriverId);
        Assert.Null(free.DriverEarnings);
        Assert.Null(assigned.CancelByDriver("d1", Now.AddMinutes(3)).DriverEarnings);
    }

    [Fact]
    public void A_summary_counts_what_was_earned_in_the_period_newest_first_with_a_total_per_currency()
    {
        var before = TestTrips.InProgress("t0").Complete("d1", Rules, Now.AddHours(-1));
        var first = TestTrips.InProgress("t1").Complete("d1", Rules, Now.AddMinutes(1));
        var eur = TestTrips.InProgress("t2", "EUR").Complete("d1", Rules, Now.AddMinutes(30));
        var last = TestTrips.InProgress("t3").Complete("d1", Rules, Now.AddHours(24).AddTicks(-1));
        var after = TestTrips.InProgress("t4").Complete("d1", Rules, Now.AddHours(24));
        var unfinished = TestTrips.InProgress("t5");

        var summary = EarningsSummary.Of([before, first, eur, last, after, unfinished], Now, Now.AddHours(24));

        Assert.Equal(["t3", "t2", "t1"], summary.Earned.Select(t => t.Id));
        Assert.Equal(new Dictionary<string, long> { ["USD"] = 1_950, ["EUR"] = 975 }, summary.TotalsByCurrency);
        Assert.Equal((3, 0), (summary.Trips, summary.CancellationFees));
    }
}
