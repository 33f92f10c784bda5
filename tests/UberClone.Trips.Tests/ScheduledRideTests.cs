using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>Rides booked for later: when they may be booked, waiting without being active, dispatch, cancelling.</summary>
public sealed class ScheduledRideTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TripRules Rules = new();

    private static readonly Quote Quote = new()
    {
        Id = "q1", RiderId = "r1", Pickup = new GeoPoint(52.52, 13.40), Dropoff = new GeoPoint(52.50, 13.45),
        DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
        Options = [new QuoteOption("economy", 1_500, "USD", 1.2)],
    };

    private static Trip Reserve(DateTimeOffset pickupAt) => Trip.Reserve("t1", "r1", Quote, Quote.Options[0], "4321", pickupAt, Rules, Now);

    [Fact]
    public void A_ride_booked_for_later_waits_at_the_quotes_price_and_is_dispatched_fifteen_minutes_before_its_pickup()
    {
        var ride = Reserve(Now.AddHours(9));
        Assert.Equal((TripStatus.Scheduled, Now.AddHours(9), Now.AddHours(9).AddMinutes(-15)), (ride.Status, ride.ScheduledFor, ride.DispatchAt));
        Assert.Equal((1_500L, "USD", 1.2), (ride.FareMinor, ride.Currency, ride.SurgeMultiplier));
        Assert.Equal(Now.AddHours(9).AddMinutes(-15).ToUnixTimeMilliseconds(), ride.DispatchAtMs);
        // Not under way: it takes no booking claim, cannot be shared or rated, and costs nothing to cancel.
        Assert.False(ride.IsActive);
        Assert.Equal(0, ride.FeeForRiderCancellation(Rules, Now.AddHours(8)));
    }

    [Theory]
    [InlineData(29, "at least 30 minutes ahead")]
    [InlineData(-5, "at least 30 minutes ahead")]
    [InlineData(60 * 24 * 30 + 1, "at most 30 days ahead")]
    public void A_pickup_time_too_soon_or_too_far_is_refused_saying_the_bounds(int minutesAhead, string says)
    {
        var refused = Assert.Throws<TripRuleException>(() => Reserve(Now.AddMinutes(minutesAhead)));
        Assert.Contains(says, refused.Message);
    }

    [Fact]
    public void Dispatch_makes_it_a_searching_trip_once_and_repeating_it_changes_nothing()
    {
        var ride = Reserve(Now.AddHours(1));
        var searching = ride.StartDispatch(Now.AddMinutes(45));
        Assert.Equal((TripStatus.Searching, Now.AddMinutes(45)), (searching.Status, searching.UpdatedAt));
        Assert.True(searching.IsActive);
        Assert.Null(searching.DispatchAtMs); // no longer due
        Assert.Same(searching, searching.StartDispatch(Now.AddMinutes(46)));
        // A trip booked now was never waiting for a dispatch.
        var now = Trip.Request("t2", "r1", Quote, Quote.Options[0], "4321", Now);
        Assert.Throws<TripTransitionException>(() => now.StartDispatch(Now));
        Assert.Null(now.DispatchAtMs);
    }

    [Fact]
    public void The_rider_cancels_for_free_and_a_cancelled_ride_is_not_dispatched()
    {
        var cancelled = Reserve(Now.AddHours(1)).CancelByRider("r1", "plans changed", Rules, Now.AddMinutes(5), maxFeeMinor: 0);
        Assert.Equal((TripStatus.Cancelled, 0L, TripActors.Rider), (cancelled.Status, cancelled.Cancellation!.FeeMinor, cancelled.Cancellation.By));
        Assert.Null(cancelled.DispatchAtMs);
        Assert.Same(cancelled, cancelled.StartDispatch(Now.AddMinutes(45)));
        Assert.Throws<TripNotYoursException>(() => Reserve(Now.AddHours(1)).CancelByRider("r2", "", Rules, Now));
    }

    [Fact]
    public void A_ride_that_cannot_be_dispatched_is_cancelled_by_trips_saying_why_without_a_fee()
    {
        var ride = Reserve(Now.AddHours(1));
        var cancelled = ride.CancelReservation("you were on another trip", Now.AddMinutes(45));
        Assert.Equal((TripStatus.Cancelled, TripActors.System, "you were on another trip", 0L),
            (cancelled.Status, cancelled.Cancellation!.By, cancelled.Cancellation.Reason, cancelled.AmountDueMinor));
        Assert.Same(cancelled, cancelled.CancelReservation("again", Now.AddMinutes(46)));
        Assert.Throws<TripTransitionException>(() => ride.StartDispatch(Now.AddMinutes(45)).CancelReservation("late", Now.AddMinutes(46)));
    }

    [Fact]
    public void A_deleted_riders_ride_booked_for_later_or_not_started_is_cancelled_by_trips_without_a_fee_but_not_a_ride_under_way()
    {
        const string reason = "The rider deleted their account.";
        var booked = Reserve(Now.AddHours(1)).CancelBySupport(reason, Now.AddMinutes(5), by: TripActors.System);
        var searching = Trip.Request("t2", "r1", Quote, Quote.Options[0], "4321", Now).CancelBySupport(reason, Now.AddMinutes(1), by: TripActors.System);

        foreach (var cancelled in new[] { booked, searching })
        {
            Assert.Equal((TripStatus.Cancelled, TripActors.System, reason, 0L), (cancelled.Status, cancelled.Cancellation!.By, cancelled.Cancellation.Reason, cancelled.AmountDueMinor));
        }
        Assert.Null(booked.DispatchAtMs);
        Assert.Throws<TripTransitionException>(() => TestTrips.InProgress().CancelBySupport(reason, Now.AddMinutes(5), by: TripActors.System));
    }

    [Fact]
    public void A_ride_booked_two_hours_or_more_ahead_is_reminded_of_an_hour_before_its_pickup_once()
    {
        var ride = Reserve(Now.AddHours(9));
        Assert.Equal(Now.AddHours(8), ride.RemindAt);
        Assert.Equal(Now.AddHours(8).ToUnixTimeMilliseconds(), ride.RemindAtMs);
        Assert.Same(ride, ride.Remind(Now.AddHours(8).AddSeconds(-1))); // not yet

        var reminded = ride.Remind(Now.AddHours(8).AddSeconds(2));
        Assert.Equal(Now.AddHours(8).AddSeconds(2), reminded.RemindedAt);
        Assert.Null(reminded.RemindAtMs); // no longer due
        Assert.Equal(ride.UpdatedAt, reminded.UpdatedAt); // not a change of state
        Assert.Same(reminded, reminded.Remind(Now.AddHours(8).AddSeconds(3)));
        // Still dispatched at its time.
        Assert.Equal(TripStatus.Searching, reminded.StartDispatch(Now.AddHours(9).AddMinutes(-15)).Status);
    }

    [Theory]
    [InlineData(119)] // the confirmation came less than an hour before the reminder would
    [InlineData(31)]
    public void A_ride_booked_less_than_two_hours_ahead_gets_no_reminder(int minutesAhead)
    {
        var ride = Reserve(Now.AddMinutes(minutesAhead));
        Assert.Null(ride.RemindAt);
        Assert.Null(ride.RemindAtMs);
        Assert.Same(ride, ride.Remind(Now.AddMinutes(minutesAhead)));
        Assert.NotNull(Reserve(Now.AddMinutes(120)).RemindAt);
    }

    [Fact]
    public void A_ride_cancelled_or_dispatched_before_its_reminder_is_not_reminded_and_no_reminder_is_planned_when_they_are_off()
    {
        var ride = Reserve(Now.AddHours(9));
        var cancelled = ride.CancelByRider("r1", "plans changed", Rules, Now.AddHours(1), maxFeeMinor: 0);
        Assert.Null(cancelled.RemindAtMs);
        Assert.Same(cancelled, cancelled.Remind(Now.AddHours(8)));
        var dispatched = ride.StartDispatch(Now.AddHours(8).AddMinutes(50));
        Assert.Same(dispatched, dispatched.Remind(Now.AddHours(8).AddMinutes(51)));

        var off = Trip.Reserve("t1", "r1", Quote, Quote.Options[0], "4321", Now.AddHours(9), new TripRules { ReservationReminderLead = TimeSpan.Zero }, Now);
        Assert.Null(off.RemindAt);
        // A trip booked now has none.
        Assert.Null(Trip.Request("t2", "r1", Quote, Quote.Options[0], "4321", Now).RemindAtMs);
    }

    [Fact]
    public void The_rider_moves_a_waiting_ride_within_the_booking_bounds_at_the_same_price_and_its_search_and_reminder_follow()
    {
        var ride = Reserve(Now.AddHours(9)).Remind(Now.AddHours(8)); // reminded already
        Assert.NotNull(ride.RemindedAt);

        var moved = ride.Reschedule("r1", Now.AddHours(12), Rules, Now.AddHours(8).AddMinutes(5));

        Assert.Equal((TripStatus.Scheduled, Now.AddHours(12), Now.AddHours(12).AddMinutes(-15)), (moved.Status, moved.ScheduledFor, moved.DispatchAt));
        Assert.Equal((Now.AddHours(11), (DateTimeOffset?)null), (moved.RemindAt, moved.RemindedAt)); // reminded again, of the new time
        Assert.Equal((ride.FareMinor, Now.AddHours(8).AddMinutes(5)), (moved.FareMinor, moved.UpdatedAt));
        Assert.Equal(Now.AddHours(12).AddMinutes(-15).ToUnixTimeMilliseconds(), moved.DispatchAtMs);
        Assert.Same(moved, moved.Reschedule("r1", Now.AddHours(12), Rules, Now.AddHours(9))); // the same time: nothing

        // Moved to under two hours away: no reminder planned.
        Assert.Null(ride.Reschedule("r1", Now.AddHours(9).AddMinutes(30), Rules, Now.AddHours(8)).RemindAt);
    }

    [Fact]
    public void A_ride_is_not_moved_too_soon_too_far_by_someone_else_once_its_search_started_or_if_it_was_booked_for_now()
    {
        var ride = Reserve(Now.AddHours(9));
        Assert.Contains("at least 30 minutes ahead", Assert.Throws<TripRuleException>(() => ride.Reschedule("r1", Now.AddMinutes(20), Rules, Now)).Message);
        Assert.Contains("at most 30 days ahead", Assert.Throws<TripRuleException>(() => ride.Reschedule("r1", Now.AddDays(31), Rules, Now)).Message);
        Assert.Throws<TripNotYoursException>(() => ride.Reschedule("r2", Now.AddHours(10), Rules, Now));
        var searching = ride.StartDispatch(Now.AddHours(9).AddMinutes(-15));
        Assert.Contains("can no longer change", Assert.Throws<TripTransitionException>(() => searching.Reschedule("r1", Now.AddHours(12), Rules, Now.AddHours(9))).Message);
        Assert.Throws<TripTransitionException>(() => ride.CancelByRider("r1", "", Rules, Now, 0).Reschedule("r1", Now.AddHours(12), Rules, Now));
        Assert.Throws<TripTransitionException>(() => Trip.Request("t2", "r1", Quote, Quote.Options[0], "4321", Now).Reschedule("r1", Now.AddHours(2), Rules, Now));
    }

    [Fact]
    public void Support_cancels_a_ride_booked_for_later()
    {
        var cancelled = Reserve(Now.AddHours(1)).CancelBySupport("rider called", Now);
        Assert.Equal((TripStatus.Cancelled, TripActors.Operator), (cancelled.Status, cancelled.Cancellation!.By));
    }
}
