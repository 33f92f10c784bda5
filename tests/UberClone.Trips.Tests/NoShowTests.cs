using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>A rider who does not come to the pickup: after the wait the driver cancels and the rider pays the fee, which the driver earns.</summary>
public sealed class NoShowTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly TripRules Rules = new();

    private static Trip Arrived(DateTimeOffset at)
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = TestTrips.Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now)
            .AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), Rules, at);
    }

    [Fact]
    public void After_waiting_five_minutes_the_driver_cancels_and_the_rider_owes_the_fee_the_driver_earns()
    {
        var arrived = Arrived(Now.AddMinutes(3));
        Assert.Equal(Now.AddMinutes(8), arrived.NoShowFrom(Rules));

        var cancelled = arrived.ReportNoShow("d1", Rules, Now.AddMinutes(8));
        Assert.Equal((TripStatus.Cancelled, TripActors.Driver, Trip.NoShowReason, 500L),
            (cancelled.Status, cancelled.Cancellation!.By, cancelled.Cancellation.Reason, cancelled.Cancellation.FeeMinor));
        Assert.Equal((500L, PaymentStatus.Pending, 1), (cancelled.AmountDueMinor, cancelled.PaymentStatus, cancelled.PaymentAttempt));
        Assert.Equal((DriverEarnings.CancellationFee, 375L), (cancelled.DriverEarnings!.Kind, cancelled.DriverEarnings.EarningsMinor)); // less 25 %
        Assert.Null(cancelled.NoShowFrom(Rules));
        Assert.Same(cancelled, cancelled.ReportNoShow("d1", Rules, Now.AddMinutes(9)));
    }

    [Fact]
    public void Too_early_not_waiting_or_not_their_trip_is_refused()
    {
        var arrived = Arrived(Now.AddMinutes(3));
        var early = Assert.Throws<TripRuleException>(() => arrived.ReportNoShow("d1", Rules, Now.AddMinutes(7)));
        Assert.Contains("5 min after arriving", early.Message);
        Assert.Throws<TripNotYoursException>(() => arrived.ReportNoShow("d2", Rules, Now.AddMinutes(9)));
        var riding = arrived.Start("d1", "4321", Now.AddMinutes(4), out _);
        Assert.Throws<TripTransitionException>(() => riding.ReportNoShow("d1", Rules, Now.AddMinutes(9)));
        Assert.Null(riding.NoShowFrom(Rules));
    }
}
