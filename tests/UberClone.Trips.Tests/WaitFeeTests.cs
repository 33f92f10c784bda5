using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Waiting at the pickup: free for Trips:FreeWait (2 minutes) after the driver arrived, then the booked tariff's price a
/// minute, by the second, added to the fare when the ride starts: on the receipt, in what the rider owes and in what the
/// driver earns; kept when the destination changes later.
/// </summary>
public sealed class WaitFeeTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly TripRules Rules = new();
    private static readonly FareBreakdown Fare = new(250, 700, 350, 0, 0, 200);

    private static Trip Arrived(long waitPerMinute = 30)
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = TestTrips.Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", Fare.TotalMinor, "USD", 1.0, Fare, waitPerMinute)],
        };
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now)
            .AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), Rules, Now.AddMinutes(5));
    }

    [Fact]
    public void Starting_within_the_free_minutes_costs_nothing_more()
    {
        var arrived = Arrived();
        Assert.Equal((Now.AddMinutes(7), 30L), (arrived.FreeWaitUntil, arrived.WaitPerMinuteMinor));
        var started = arrived.Start("d1", "4321", Now.AddMinutes(7), out _);
        Assert.Equal((1_500L, 0L), (started.FareMinor, started.Breakdown!.WaitMinor));
    }

    [Theory]
    [InlineData(60, 30)]   // a minute past the free ones: a minute's price
    [InlineData(90, 45)]   // by the second
    [InlineData(1, 1)]     // half a minor unit rounds up
    [InlineData(600, 300)]
    public void Each_second_past_the_free_minutes_costs_its_share_of_the_minutes_price_added_to_the_fare_and_the_receipt(int secondsPast, long fee)
    {
        var arrived = Arrived();
        var at = arrived.FreeWaitUntil!.Value.AddSeconds(secondsPast);
        Assert.Equal(fee, arrived.WaitFeeAt(at));

        var started = arrived.Start("d1", "4321", at, out var accepted);

        Assert.True(accepted);
        Assert.Equal(1_500 + fee, started.FareMinor);
        Assert.Equal(fee, started.Breakdown!.WaitMinor);
        Assert.Equal(started.FareMinor, started.Breakdown.TotalMinor);
        Assert.Same(started, started.Start("d1", "4321", at.AddMinutes(5), out _)); // started once: nothing added again
        var completed = started.Complete("d1", Rules, at.AddMinutes(15));
        Assert.Equal(1_500 + fee, completed.AmountDueMinor);
        // The driver earns it, less the service fee, like the rest of the fare.
        var shared = 1_500 + fee - 200;
        Assert.Equal(shared - (long)Math.Round(shared * 0.25, MidpointRounding.AwayFromZero), completed.DriverEarnings!.EarningsMinor);
    }

    [Fact]
    public void A_wrong_pin_adds_nothing_and_a_tariff_without_a_wait_price_never_charges()
    {
        var arrived = Arrived();
        var wrong = arrived.Start("d1", "0000", arrived.FreeWaitUntil!.Value.AddMinutes(3), out var accepted);
        Assert.False(accepted);
        Assert.Equal(1_500, wrong.FareMinor);

        var free = Arrived(waitPerMinute: 0);
        Assert.Equal(1_500, free.Start("d1", "4321", free.FreeWaitUntil!.Value.AddMinutes(30), out _).FareMinor);
    }

    [Fact]
    public void A_driver_who_gave_the_trip_up_after_arriving_leaves_no_wait_behind_for_the_next()
    {
        var searching = Arrived().CancelByDriver("d1", Now.AddMinutes(8));
        Assert.Null(searching.FreeWaitUntil);
        Assert.Equal(0, searching.WaitFeeAt(Now.AddMinutes(30)));
    }

    [Fact]
    public void A_new_destination_keeps_what_the_wait_cost()
    {
        var arrived = Arrived();
        var started = arrived.Start("d1", "4321", arrived.FreeWaitUntil!.Value.AddMinutes(2), out _);
        var newPrice = new FareBreakdown(250, 900, 400, 0, 0, 200);

        var repriced = started.Repriced(newPrice);

        Assert.Equal(60, repriced.WaitMinor);
        Assert.Equal(1_750 + 60, repriced.TotalMinor);
        var changed = started.ChangeDestination("r1", new GeoPoint(52.49, 13.46), new RouteEstimate(6_000, 700), repriced, maxFareMinor: 1_810, Rules, Now.AddMinutes(12));
        Assert.Equal((1_810L, 60L), (changed.FareMinor, changed.Breakdown!.WaitMinor));
    }
}
