using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>The rider changes where the ride ends while the driver is on the way or riding; the upfront fare follows.</summary>
public class DestinationChangeTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Farther = new(52.47, 13.50);
    private static readonly RouteEstimate LongerRoute = new(9_000, 1_000);
    private static readonly FareBreakdown HigherFare = new(250, 1_260, 583, 0, 0, 200);

    private static Trip Assigned() => TestTrips.InProgress() with
    {
        Status = TripStatus.DriverAssigned, ArrivedAt = null, StartedAt = null, Driver = new AssignedDriver("d1", null, Now),
    };

    [Fact]
    public void Before_the_ride_the_new_fare_is_priced_from_the_pickup_and_becomes_the_trips_fare()
    {
        var trip = Assigned();

        var legs = trip.DestinationChangeLegs("r1", Farther, TestTrips.Rules);
        var changed = trip.ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor, TestTrips.Rules, Now.AddMinutes(1));

        Assert.Equal([(TestTrips.Pickup, Farther)], legs);
        Assert.Equal(Farther, changed.Dropoff);
        Assert.Equal(HigherFare.TotalMinor, changed.FareMinor);
        Assert.Equal(HigherFare, changed.Breakdown);
        Assert.Equal((9_000, 1_000), (changed.DistanceMeters, changed.DurationSeconds));
        Assert.Equal([new DestinationChange(trip.Dropoff, Farther, 1_500, HigherFare.TotalMinor, Now.AddMinutes(1))], changed.DestinationChanges);
        Assert.Equal(TripStatus.DriverAssigned, changed.Status);
    }

    [Fact]
    public void The_card_holds_the_new_price_once_raised_or_says_the_bank_declined_and_a_trip_over_is_left_alone()
    {
        var held = Assigned() with { PaymentHold = new TripPaymentHold("Visa •••• 4242", 1_500), PaymentHoldVersion = 10 };
        var changed = held.ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor, TestTrips.Rules, Now.AddMinutes(1));
        Assert.Equal(1_500, changed.PaymentHold!.AmountMinor); // the change itself does not touch what is held

        var raised = changed.HoldAnswered(new TripPaymentHold("Visa •••• 4242", changed.UpfrontPriceMinor), 20, Now.AddMinutes(1));
        Assert.Equal((new TripPaymentHold("Visa •••• 4242", HigherFare.TotalMinor), 20L), (raised.PaymentHold, raised.PaymentHoldVersion));
        var declined = changed.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500, "insufficient_funds"), 20, Now.AddMinutes(1));
        Assert.Equal(new TripPaymentHold("Visa •••• 4242", 1_500, "insufficient_funds"), declined.PaymentHold);

        var over = changed with { Status = TripStatus.Completed };
        Assert.Same(over, over.HoldAnswered(new TripPaymentHold("Visa •••• 4242", HigherFare.TotalMinor), 20, Now.AddMinutes(30)));
    }

    [Fact]
    public void A_hold_answered_late_shows_on_the_trip_and_an_answer_older_than_the_one_shown_changes_nothing()
    {
        // Booked without a hold (payments answered after trips stopped waiting): the late answer shows it.
        var booked = Assigned();
        var late = booked.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500), 10, Now.AddSeconds(5));
        Assert.Equal((new TripPaymentHold("Visa •••• 4242", 1_500), 10L, Now.AddSeconds(5)), (late.PaymentHold, late.PaymentHoldVersion, late.UpdatedAt));

        // Answers can cross: one no newer than the one shown is not applied, the same one again neither.
        Assert.Same(late, late.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 900), 9, Now.AddSeconds(6)));
        Assert.Same(late, late.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500), 10, Now.AddSeconds(6)));
        // A newer answer saying the same moves the version only (the trip did not change for the rider).
        var same = late.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500), 11, Now.AddSeconds(7));
        Assert.Equal((11L, Now.AddSeconds(5)), (same.PaymentHoldVersion, same.UpdatedAt));
        // Let go while riding: nothing shows as held any more, and an older "held" cannot bring it back.
        var released = same.HoldAnswered(null, 12, Now.AddSeconds(8));
        Assert.Null(released.PaymentHold);
        Assert.Null(released.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500), 11, Now.AddSeconds(9)).PaymentHold);
    }

    [Fact]
    public void Once_riding_the_way_already_driven_is_priced_too()
    {
        var trip = TestTrips.InProgress(); // the car's last position: where it arrived, by the pickup
        var car = trip.Driver!.Location!;

        Assert.Equal([(TestTrips.Pickup, car), (car, Farther)], trip.DestinationChangeLegs("r1", Farther, TestTrips.Rules));
        // Riding back to where the ride began is a ride like any other once under way.
        Assert.Equal(2, trip.DestinationChangeLegs("r1", new GeoPoint(52.5200, 13.4001), TestTrips.Rules).Count);
    }

    [Fact]
    public void The_completed_ride_charges_the_new_fare_and_the_driver_earns_from_it()
    {
        var completed = TestTrips.InProgress()
            .ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor, TestTrips.Rules, Now.AddMinutes(10))
            .Complete("d1", TestTrips.Rules, Now.AddMinutes(30));

        Assert.Equal(HigherFare.TotalMinor, completed.AmountDueMinor);
        Assert.Equal(HigherFare.TotalMinor, completed.DriverEarnings!.AmountMinor);
        Assert.Equal(200, completed.DriverEarnings.BookingFeeMinor);
    }

    [Fact]
    public void A_fare_above_what_the_rider_accepted_changes_nothing()
    {
        var trip = Assigned();

        var refused = Assert.Throws<FareNotAcceptedException>(
            () => trip.ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor - 1, TestTrips.Rules, Now));

        Assert.Equal(HigherFare.TotalMinor, refused.FareMinor);
        Assert.Contains("is now $22.93, more than the $22.92 you accepted", refused.Message);
        // A lower fare than accepted is taken: the rider agreed to at most that much.
        var cheaper = new FareBreakdown(250, 300, 100, 0, 0, 200);
        Assert.Equal(850, trip.ChangeDestination("r1", Farther, new RouteEstimate(2_000, 300), cheaper, 5_000, TestTrips.Rules, Now).FareMinor);
    }

    [Fact]
    public void The_same_drop_off_again_changes_nothing()
    {
        var changed = Assigned().ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor, TestTrips.Rules, Now);

        Assert.Empty(changed.DestinationChangeLegs("r1", Farther, TestTrips.Rules));
        Assert.Same(changed, changed.ChangeDestination("r1", Farther, LongerRoute, HigherFare, HigherFare.TotalMinor, TestTrips.Rules, Now.AddMinutes(1)));
        Assert.Same(changed, changed.ChangeDestination("r1", Farther, LongerRoute, HigherFare, 1, TestTrips.Rules, Now.AddMinutes(1)));
    }

    [Fact]
    public void Only_the_rider_changes_it_and_only_while_a_driver_is_on_the_way_or_riding()
    {
        Assert.Throws<TripNotYoursException>(() => Assigned().DestinationChangeLegs("d1", Farther, TestTrips.Rules));
        var searching = Assigned() with { Status = TripStatus.Searching, Driver = null };
        Assert.Contains("cancel it", Assert.Throws<TripTransitionException>(() => searching.DestinationChangeLegs("r1", Farther, TestTrips.Rules)).Message);
        Assert.Throws<TripTransitionException>(() => TestTrips.Completed().DestinationChangeLegs("r1", Farther, TestTrips.Rules));
        Assert.Throws<TripTransitionException>(() => TestTrips.Completed().ChangeDestination("r1", Farther, LongerRoute, HigherFare, 99_999, TestTrips.Rules, Now));
    }

    [Fact]
    public void Before_the_ride_the_new_drop_off_is_not_the_pickup()
    {
        var refused = Assert.Throws<TripRuleException>(() => Assigned().DestinationChangeLegs("r1", new GeoPoint(52.5201, 13.4001), TestTrips.Rules));

        Assert.Contains("50 m from the pickup", refused.Message);
    }

    [Fact]
    public void A_trip_allows_a_limited_number_of_changes()
    {
        var rules = new TripRules { MaxDestinationChanges = 2 };
        var trip = Assigned()
            .ChangeDestination("r1", Farther, LongerRoute, HigherFare, 99_999, rules, Now)
            .ChangeDestination("r1", new GeoPoint(52.48, 13.47), LongerRoute, HigherFare, 99_999, rules, Now);

        Assert.Equal(2, trip.DestinationChanges.Count);
        Assert.Contains("changed 2 times", Assert.Throws<TripRuleException>(() => trip.DestinationChangeLegs("r1", new GeoPoint(52.49, 13.46), rules)).Message);
        Assert.Empty(trip.DestinationChangeLegs("r1", new GeoPoint(52.48, 13.47), rules)); // where it already ends: no change needed
    }
}
