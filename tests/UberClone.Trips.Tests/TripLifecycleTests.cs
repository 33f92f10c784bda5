using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

public class TripLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Pickup = new(52.52, 13.40);
    private static readonly TripRules Rules = new();

    private static Trip Searching()
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now);
    }

    private static Trip Assigned() => Searching().AssignDriver("d1", null, Now.AddSeconds(10));

    private static Trip Arrived() => Assigned().Arrive("d1", NorthOfPickup(30), Rules, Now.AddMinutes(3));

    private static Trip InProgress() => Arrived().Start("d1", "4321", Now.AddMinutes(4), out _);

    private static Trip Completed() => InProgress().Complete("d1", Rules, Now.AddMinutes(20));

    private static GeoPoint NorthOfPickup(double meters) => new(Pickup.Lat + meters / 111_195, Pickup.Lng);

    [Fact]
    public void Pin_must_be_four_digits() =>
        Assert.Throws<ArgumentException>(() => Trip.Request("t", "r", new Quote
        {
            Id = "q", RiderId = "r", Pickup = Pickup, Dropoff = Pickup, DistanceMeters = 1, DurationSeconds = 1,
            CreatedAt = Now, ExpiresAt = Now, Options = [],
        }, new QuoteOption("economy", 1, "USD", 1), "12a4", Now));

    [Fact]
    public void Driver_arrives_within_100_m_of_the_pickup()
    {
        var arrived = Arrived();
        Assert.Equal(TripStatus.DriverArrived, arrived.Status);
        Assert.Equal(Now.AddMinutes(3), arrived.ArrivedAt);
    }

    [Fact]
    public void Arriving_far_from_the_pickup_is_refused()
    {
        var ex = Assert.Throws<TripRuleException>(() => Assigned().Arrive("d1", NorthOfPickup(400), Rules, Now));
        Assert.Contains("400 m", ex.Message);
    }

    [Fact]
    public void Arriving_uses_the_last_streamed_position_when_none_is_given()
    {
        var near = Assigned().MoveDriver("d1", NorthOfPickup(20), Now.AddSeconds(20)).Arrive("d1", null, Rules, Now);
        Assert.Equal(TripStatus.DriverArrived, near.Status);
        Assert.Throws<TripRuleException>(() => Assigned().Arrive("d1", null, Rules, Now));
    }

    [Fact]
    public void Only_the_assigned_driver_can_arrive() =>
        Assert.Throws<TripNotYoursException>(() => Assigned().Arrive("d2", NorthOfPickup(10), Rules, Now));

    [Fact]
    public void Arriving_again_changes_nothing()
    {
        var arrived = Arrived();
        Assert.Same(arrived, arrived.Arrive("d1", NorthOfPickup(10), Rules, Now.AddMinutes(5)));
    }

    [Fact]
    public void Arriving_before_assignment_is_refused_as_not_yours() =>
        Assert.Throws<TripNotYoursException>(() => Searching().Arrive("d1", Pickup, Rules, Now));

    [Fact]
    public void Start_with_the_riders_pin_begins_the_ride()
    {
        var started = Arrived().Start("d1", "4321", Now.AddMinutes(4), out var accepted);
        Assert.True(accepted);
        Assert.Equal(TripStatus.InProgress, started.Status);
        Assert.Equal(Now.AddMinutes(4), started.StartedAt);
    }

    [Fact]
    public void Wrong_pin_is_refused_and_counted()
    {
        var once = Arrived().Start("d1", "0000", Now, out var first);
        var twice = once.Start("d1", "1111", Now, out var second);
        Assert.False(first);
        Assert.False(second);
        Assert.Equal(TripStatus.DriverArrived, twice.Status);
        Assert.Equal(2, twice.WrongPinAttempts);
    }

    [Fact]
    public void Start_before_arriving_is_refused() =>
        Assert.Throws<TripTransitionException>(() => Assigned().Start("d1", "4321", Now, out _));

    [Fact]
    public void Starting_again_changes_nothing()
    {
        var started = InProgress();
        Assert.Same(started, started.Start("d1", "4321", Now.AddMinutes(6), out var accepted));
        Assert.True(accepted);
    }

    [Fact]
    public void Completing_makes_the_upfront_price_due()
    {
        var done = Completed();
        Assert.Equal(TripStatus.Completed, done.Status);
        Assert.Equal(1_500, done.AmountDueMinor);
        Assert.Equal(PaymentStatus.Pending, done.PaymentStatus);
        Assert.Equal(1, done.PaymentAttempt);
        Assert.False(done.IsActive);
    }

    [Fact]
    public void Completing_again_changes_nothing()
    {
        var done = Completed();
        Assert.Same(done, done.Complete("d1", Rules, Now.AddHours(1)));
    }

    [Fact]
    public void Completing_a_ride_that_has_not_started_is_refused() =>
        Assert.Throws<TripTransitionException>(() => Arrived().Complete("d1", Rules, Now));

    [Fact]
    public void A_rider_cannot_act_as_the_driver() =>
        Assert.Throws<TripNotYoursException>(() => InProgress().Complete("r1", Rules, Now));

    [Fact]
    public void Rider_cancels_for_free_while_searching()
    {
        var cancelled = Searching().CancelByRider("r1", "changed my mind", Rules, Now.AddMinutes(30));
        Assert.Equal(TripStatus.Cancelled, cancelled.Status);
        Assert.Equal(0, cancelled.Cancellation!.FeeMinor);
        Assert.Equal(PaymentStatus.None, cancelled.PaymentStatus);
    }

    [Fact]
    public void Rider_cancels_for_free_within_two_minutes_of_assignment()
    {
        var cancelled = Assigned().CancelByRider("r1", "", Rules, Now.AddSeconds(10) + TimeSpan.FromMinutes(2));
        Assert.Equal(0, cancelled.AmountDueMinor);
    }

    [Fact]
    public void Rider_pays_the_fee_after_the_free_window()
    {
        var cancelled = Assigned().CancelByRider("r1", "", Rules, Now.AddMinutes(3));
        Assert.Equal(Rules.CancellationFeeMinor, cancelled.Cancellation!.FeeMinor);
        Assert.Equal(Rules.CancellationFeeMinor, cancelled.AmountDueMinor);
        Assert.Equal(PaymentStatus.Pending, cancelled.PaymentStatus);
        Assert.Equal("d1", cancelled.DriverId);
    }

    [Fact]
    public void The_rider_is_shown_what_cancelling_costs_before_and_after_the_free_window()
    {
        var searching = Searching().CancellationTermsFor(Rules, Now.AddMinutes(30))!;
        Assert.Equal(new CancellationTerms(0, null, Rules.CancellationFeeMinor, Rules.FreeCancellationWindow), searching);

        var freeUntil = Now.AddSeconds(10) + Rules.FreeCancellationWindow;
        Assert.Equal(new CancellationTerms(0, freeUntil, Rules.CancellationFeeMinor, Rules.FreeCancellationWindow),
            Assigned().CancellationTermsFor(Rules, freeUntil));
        Assert.Equal(Rules.CancellationFeeMinor, Assigned().CancellationTermsFor(Rules, freeUntil.AddTicks(1))!.FeeNowMinor);
        // Arriving does not restart the window: it runs from the assignment.
        Assert.Equal(freeUntil, Arrived().CancellationTermsFor(Rules, Now)!.FreeUntil);
    }

    [Fact]
    public void Once_the_rider_can_no_longer_cancel_there_are_no_terms()
    {
        Assert.Null(InProgress().CancellationTermsFor(Rules, Now));
        Assert.Null(Completed().CancellationTermsFor(Rules, Now));
        Assert.Null(Searching().CancelByRider("r1", "", Rules, Now).CancellationTermsFor(Rules, Now));
    }

    [Fact]
    public void Support_cancels_before_the_ride_starts_without_a_fee_even_after_the_free_window()
    {
        var lateForTheRider = Now.AddMinutes(10);
        Assert.Equal(Rules.CancellationFeeMinor, Arrived().FeeForRiderCancellation(Rules, lateForTheRider));

        foreach (var trip in new[] { Searching(), Assigned(), Arrived() })
        {
            var cancelled = trip.CancelBySupport("rider called: booked by mistake", lateForTheRider);
            Assert.Equal(TripStatus.Cancelled, cancelled.Status);
            Assert.Equal(new Cancellation(TripActors.Operator, "rider called: booked by mistake", 0, lateForTheRider), cancelled.Cancellation);
            Assert.Equal((0L, PaymentStatus.None, 0), (cancelled.AmountDueMinor, cancelled.PaymentStatus, cancelled.PaymentAttempt));
            Assert.Null(cancelled.DriverEarnings);
            Assert.False(cancelled.IsActive);
            // A repeat, or support cancelling what the rider already cancelled, changes nothing.
            Assert.Same(cancelled, cancelled.CancelBySupport("again", lateForTheRider.AddMinutes(1)));
        }
        var byRider = Assigned().CancelByRider("r1", "", Rules, lateForTheRider);
        Assert.Same(byRider, byRider.CancelBySupport("too late", lateForTheRider));
    }

    [Fact]
    public void Support_cannot_cancel_a_ride_under_way_or_over()
    {
        foreach (var trip in new[] { InProgress(), Completed() })
        {
            var refused = Assert.Throws<TripTransitionException>(() => trip.CancelBySupport("rider called", Now.AddMinutes(30)));
            Assert.Contains("only before the ride starts", refused.Message);
        }
    }

    [Fact]
    public void Support_ends_a_ride_its_driver_cannot_at_the_upfront_fare_and_the_driver_earns_from_it()
    {
        var riding = InProgress();
        var at = Now.AddMinutes(25);

        var ended = riding.CompleteBySupport("ops1", "driver's phone died", Rules, at);

        Assert.Equal((TripStatus.Completed, at), (ended.Status, ended.CompletedAt!.Value));
        Assert.Equal(new SupportCompletion("ops1", "driver's phone died", at), ended.CompletedBySupport);
        Assert.Equal(riding.Complete("d1", Rules, at) with { CompletedBySupport = ended.CompletedBySupport }, ended);
        Assert.Equal((riding.FareMinor, PaymentStatus.Pending, 1), (ended.AmountDueMinor, ended.PaymentStatus, ended.PaymentAttempt));
        Assert.Same(ended, ended.CompleteBySupport("ops2", "again", Rules, at.AddMinutes(1)));
        var byDriver = riding.Complete("d1", Rules, at);
        Assert.Same(byDriver, byDriver.CompleteBySupport("ops1", "too late", Rules, at));
        Assert.Null(byDriver.CompletedBySupport);
    }

    [Fact]
    public void Support_ends_only_a_ride_under_way()
    {
        foreach (var trip in new[] { Searching(), Assigned(), Arrived() })
        {
            var refused = Assert.Throws<TripTransitionException>(() => trip.CompleteBySupport("ops1", "rider called", Rules, Now.AddMinutes(30)));
            Assert.Contains("support cancels the trip", refused.Message);
        }
    }

    [Fact]
    public void A_rider_who_agreed_to_cancel_for_free_is_not_charged_when_the_window_ended_meanwhile()
    {
        var assigned = Assigned();
        var late = Now.AddSeconds(10) + Rules.FreeCancellationWindow + TimeSpan.FromMilliseconds(1);

        var refused = Assert.Throws<CancellationFeeNotAcceptedException>(() => assigned.CancelByRider("r1", "", Rules, late, maxFeeMinor: 0));

        Assert.Equal(Rules.CancellationFeeMinor, refused.FeeMinor);
        Assert.Contains("maxFeeMinor of at least 500", refused.Message);
        Assert.Equal(TripStatus.DriverAssigned, assigned.Status);
        var agreed = assigned.CancelByRider("r1", "", Rules, late, maxFeeMinor: Rules.CancellationFeeMinor);
        Assert.Equal(Rules.CancellationFeeMinor, agreed.Cancellation!.FeeMinor);
        Assert.Equal(0, assigned.CancelByRider("r1", "", Rules, Now.AddSeconds(20), maxFeeMinor: 0).Cancellation!.FeeMinor);
        // A retried request of a cancellation that went through is answered with it, whatever it accepted.
        Assert.Same(agreed, agreed.CancelByRider("r1", "", Rules, late.AddMinutes(1), maxFeeMinor: 0));
    }

    [Fact]
    public void Cancelling_twice_changes_nothing()
    {
        var cancelled = Assigned().CancelByRider("r1", "", Rules, Now.AddMinutes(3));
        Assert.Same(cancelled, cancelled.CancelByRider("r1", "", Rules, Now.AddMinutes(9)));
    }

    [Fact]
    public void Another_rider_cannot_cancel() =>
        Assert.Throws<TripNotYoursException>(() => Searching().CancelByRider("r2", "", Rules, Now));

    [Fact]
    public void A_ride_in_progress_cannot_be_cancelled_by_the_rider() =>
        Assert.Throws<TripTransitionException>(() => InProgress().CancelByRider("r1", "", Rules, Now));

    [Fact]
    public void Driver_who_gives_up_puts_the_trip_back_to_searching_without_them()
    {
        var back = Arrived().CancelByDriver("d1", Now.AddMinutes(5));
        Assert.Equal(TripStatus.Searching, back.Status);
        Assert.Null(back.Driver);
        Assert.Null(back.ArrivedAt);
        Assert.Equal(["d1"], back.DriversWhoCancelled);
        Assert.Same(back, back.CancelByDriver("d1", Now.AddMinutes(6)));
        Assert.Throws<TripTransitionException>(() => back.AssignDriver("d1", null, Now.AddMinutes(6)));
        Assert.Equal("d2", back.AssignDriver("d2", null, Now.AddMinutes(6)).DriverId);
        Assert.True(back.AssignDriver("d2", null, Now.AddMinutes(6)).WasGivenUpBy("d1"));
        Assert.False(back.WasGivenUpBy("d2"));
        Assert.False(Arrived().WasGivenUpBy("d1"));
    }

    [Fact]
    public void A_driver_cannot_give_up_a_ride_in_progress() =>
        Assert.Throws<TripTransitionException>(() => InProgress().CancelByDriver("d1", Now));

    [Fact]
    public void An_unassigned_driver_cannot_give_the_trip_up() =>
        Assert.Throws<TripNotYoursException>(() => Assigned().CancelByDriver("d2", Now));

    [Fact]
    public void Both_sides_rate_each_other_once_after_completion()
    {
        var rated = Completed().Rate("r1", 5, "great", Now).Rate("d1", 4, null, Now);
        Assert.Equal(5, rated.DriverRating!.Stars);
        Assert.Equal(4, rated.RiderRating!.Stars);
        Assert.Same(rated, rated.Rate("r1", 5, "great", Now.AddMinutes(1)));
        Assert.Throws<TripTransitionException>(() => rated.Rate("r1", 1, null, Now));
    }

    [Fact]
    public void Rating_before_completion_is_refused() =>
        Assert.Throws<TripTransitionException>(() => InProgress().Rate("r1", 5, null, Now));

    [Fact]
    public void Only_the_trips_rider_and_driver_can_rate() =>
        Assert.Throws<TripNotYoursException>(() => Completed().Rate("someone", 5, null, Now));

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Stars_are_one_to_five(int stars) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Completed().Rate("r1", stars, null, Now));

    [Fact]
    public void Payment_success_marks_the_trip_paid_once()
    {
        var paid = Completed().MarkPaid(1_500, Now);
        Assert.Equal(PaymentStatus.Paid, paid.PaymentStatus);
        Assert.Same(paid, paid.MarkPaid(1_500, Now));
    }

    [Fact]
    public void A_late_failure_never_overrides_a_success()
    {
        var paid = Completed().MarkPaid(1_500, Now);
        Assert.Same(paid, paid.MarkPaymentFailed(1, Now));
    }

    [Fact]
    public void Rider_retries_a_failed_payment_with_a_new_attempt()
    {
        var failed = Completed().MarkPaymentFailed(1, Now);
        Assert.Equal(PaymentStatus.Failed, failed.PaymentStatus);
        var retried = failed.RetryPayment("r1", Now);
        Assert.Equal(PaymentStatus.Pending, retried.PaymentStatus);
        Assert.Equal(2, retried.PaymentAttempt);
        Assert.Throws<TripTransitionException>(() => retried.RetryPayment("r1", Now));
        Assert.Throws<TripNotYoursException>(() => failed.RetryPayment("r2", Now));
    }

    [Fact]
    public void A_payment_that_was_not_requested_is_not_recorded()
    {
        var searching = Searching();
        Assert.Same(searching, searching.MarkPaid(1_500, Now));
        Assert.Same(searching, searching.MarkPaymentFailed(1, Now));
    }

    [Fact]
    public void Assigned_trip_follows_the_drivers_stream_but_a_finished_one_does_not()
    {
        var moved = Assigned().MoveDriver("d1", NorthOfPickup(500), Now.AddSeconds(20));
        Assert.Equal(NorthOfPickup(500), moved.Driver!.Location);
        var done = Completed();
        Assert.Same(done, done.MoveDriver("d1", Pickup, Now.AddHours(1)));
        Assert.Same(moved, moved.MoveDriver("d2", Pickup, Now.AddSeconds(40)));
    }

    [Fact]
    public void A_driver_move_under_ten_metres_does_not_rewrite_the_trip()
    {
        var moved = Assigned().MoveDriver("d1", NorthOfPickup(500), Now.AddSeconds(20));
        Assert.Same(moved, moved.MoveDriver("d1", NorthOfPickup(505), Now.AddSeconds(40)));
        Assert.Equal(NorthOfPickup(520), moved.MoveDriver("d1", NorthOfPickup(520), Now.AddSeconds(40)).Driver!.Location);
    }

    [Fact]
    public void Far_from_the_pickup_the_trip_keeps_its_drivers_position_at_most_every_10_s_and_near_it_every_move()
    {
        // Pings every 4 s, driving 30 m each, from 3 km out towards the pickup.
        var trip = Assigned().MoveDriver("d1", NorthOfPickup(3_000), Now.AddSeconds(20));
        var kept = new List<int>();
        for (var ping = 1; ping <= 100; ping++)
        {
            var next = trip.MoveDriver("d1", NorthOfPickup(3_000 - 30 * ping), Now.AddSeconds(20 + 4 * ping));
            if (!ReferenceEquals(next, trip)) kept.Add(ping);
            trip = next;
        }
        // Far out: pings 3, 6, 9, … (12 s apart); within 300 m of the pickup (ping 91 on): every one.
        var far = kept.Where(p => p < 91).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => 3 * i).ToList(), far);
        Assert.Equal(Enumerable.Range(91, 10), kept.Where(p => p >= 91));
        Assert.Equal(NorthOfPickup(0), trip.Driver!.Location);
        Assert.Equal(Now.AddSeconds(420), trip.Driver.LocationAt);
    }

    [Fact]
    public void A_late_ping_never_puts_the_driver_back_where_they_were()
    {
        var trip = Assigned().MoveDriver("d1", NorthOfPickup(100), Now.AddSeconds(30));
        Assert.Same(trip, trip.MoveDriver("d1", NorthOfPickup(2_000), Now.AddSeconds(25)));
        Assert.Same(trip, trip.MoveDriver("d1", NorthOfPickup(2_000), Now.AddSeconds(30)));
    }

    [Fact]
    public void A_phone_whose_clock_lags_the_services_still_moves_the_driver_after_the_accept_and_after_arriving()
    {
        // Accepted at Now + 10 s (the service's clock) from 500 m out; the phone's clock is a minute behind.
        var assigned = Searching().AssignDriver("d1", NorthOfPickup(500), Now.AddSeconds(10));
        var moved = assigned.MoveDriver("d1", NorthOfPickup(400), Now.AddSeconds(-40));
        Assert.Equal(NorthOfPickup(400), moved.Driver!.Location);

        var arrived = moved.MoveDriver("d1", NorthOfPickup(50), Now.AddSeconds(-20)).Arrive("d1", NorthOfPickup(30), Rules, Now.AddSeconds(50));
        Assert.Equal(NorthOfPickup(80), arrived.Start("d1", arrived.Pin, Now.AddSeconds(60), out _).MoveDriver("d1", NorthOfPickup(80), Now.AddSeconds(5)).Driver!.Location);
    }
}
