using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Drivers reserve rides booked for later (ADR 0047): first come, a few at a time and an hour apart, released until an
/// hour before the pickup, released when the rider moves the ride; the listing shows open rides near the driver that suit them.
/// </summary>
public sealed class DriverReservationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TripRules Rules = new();
    private static readonly ReservationRules Reservations = new();

    private static readonly Quote Quote = new()
    {
        Id = "q1", RiderId = "r1", Pickup = new GeoPoint(47.80, 13.04), Dropoff = new GeoPoint(47.79, 13.00),
        DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
        Options = [new QuoteOption("economy", 1_500, "EUR", 1.0)],
    };

    private static Trip Later(string id, double hoursAhead, string riderId = "r1") =>
        Trip.Reserve(id, riderId, Quote, Quote.Options[0], "", Now.AddHours(hoursAhead), Rules, Now) with { RiderId = riderId };

    [Fact]
    public void The_first_driver_reserves_the_ride_and_a_second_is_refused_as_a_conflict()
    {
        var ride = Later("t1", 20);
        Assert.Equal(ride.ScheduledFor!.Value.ToUnixTimeMilliseconds(), ride.ReservableAtMs);

        var reserved = ride.ReserveForDriver("d1", [], Reservations, Now.AddMinutes(1));

        Assert.Equal(("d1", Now.AddMinutes(1)), (reserved.Reservation!.DriverId, reserved.Reservation.ReservedAt));
        Assert.Equal("d1", reserved.ReservedBy);
        Assert.Null(reserved.ReservableAtMs); // no longer listed
        Assert.Same(reserved, reserved.ReserveForDriver("d1", [], Reservations, Now.AddMinutes(2)));
        var second = Assert.Throws<ReservationConflictException>(() => reserved.ReserveForDriver("d2", [], Reservations, Now.AddMinutes(2)));
        Assert.Contains("Another driver reserved", second.Message);
    }

    [Fact]
    public void A_driver_holds_at_most_three_and_none_closer_than_an_hour_apart()
    {
        var held = new[] { Later("a", 10), Later("b", 12), Later("c", 14) }.Select(t => t.ReserveForDriver("d1", [], Reservations, Now)).ToList();

        var fourth = Assert.Throws<ReservationConflictException>(() => Later("t4", 20).ReserveForDriver("d1", held, Reservations, Now));
        Assert.Contains("3 reservations already", fourth.Message);

        var close = Assert.Throws<ReservationConflictException>(() => Later("t5", 12.75).ReserveForDriver("d1", held.Take(2).ToList(), Reservations, Now));
        Assert.Contains("at least 60 minutes apart", close.Message);
        // An hour after another one's pickup is fine, and other drivers' reservations do not count.
        Assert.Equal("d1", Later("t6", 13).ReserveForDriver("d1", held.Take(2).ToList(), Reservations, Now).ReservedBy);
        Assert.Equal("d2", Later("t7", 12.5).ReserveForDriver("d2", held, Reservations, Now).ReservedBy);
    }

    [Fact]
    public void Only_a_ride_that_waits_for_its_time_can_be_reserved_and_not_by_its_own_rider()
    {
        var searching = Later("t1", 20).StartDispatch(Now.AddHours(19));
        Assert.Throws<ReservationConflictException>(() => searching.ReserveForDriver("d1", [], Reservations, Now));
        Assert.Throws<TripRuleException>(() => Later("t1", 20).ReserveForDriver("r1", [], Reservations, Now));
    }

    [Fact]
    public void The_driver_releases_until_an_hour_before_the_pickup_then_only_support_can()
    {
        var reserved = Later("t1", 5).ReserveForDriver("d1", [], Reservations, Now);

        var released = reserved.ReleaseByDriver("d1", Reservations, Now.AddHours(3));
        Assert.Null(released.Reservation);
        Assert.Equal((TripActors.Driver, Now.AddHours(3)), (released.DriverReservations[0].ReleasedBy, released.DriverReservations[0].ReleasedAt));
        Assert.NotNull(released.ReservableAtMs); // listed again
        Assert.Same(released, released.ReleaseByDriver("d1", Reservations, Now.AddHours(3)));
        Assert.Throws<TripNotYoursException>(() => reserved.ReleaseByDriver("d2", Reservations, Now));

        var late = Assert.Throws<ReservationConflictException>(() => reserved.ReleaseByDriver("d1", Reservations, Now.AddHours(4.5)));
        Assert.Contains("support can release it", late.Message);
        var bySupport = reserved.ReleaseBySupport("Car broke down", Now.AddHours(4.5));
        Assert.Equal((TripActors.Operator, "Car broke down"), (bySupport.DriverReservations[0].ReleasedBy, bySupport.DriverReservations[0].ReleaseReason));

        // Released, another driver may take it; the history keeps both.
        var again = released.ReserveForDriver("d2", [], Reservations, Now.AddHours(3));
        Assert.Equal(["d1", "d2"], again.DriverReservations.Select(r => r.DriverId));
    }

    [Fact]
    public void The_rider_moving_the_ride_to_another_time_releases_the_reservation()
    {
        var reserved = Later("t1", 5).ReserveForDriver("d1", [], Reservations, Now);

        var moved = reserved.Reschedule("r1", Now.AddHours(8), Rules, Now.AddMinutes(5));

        Assert.Null(moved.Reservation);
        Assert.Equal((TripActors.Rider, Trip.MovedReleaseReason), (moved.DriverReservations[0].ReleasedBy, moved.DriverReservations[0].ReleaseReason));
    }

    [Fact]
    public void The_reserving_driver_is_reminded_once_an_hour_before_the_pickup_unless_released_or_reserved_closer()
    {
        var reserved = Later("t1", 5).ReserveForDriver("d1", [], Reservations, Now);
        var remindAt = Now.AddHours(4);
        Assert.Equal((remindAt, remindAt.ToUnixTimeMilliseconds()), (reserved.Reservation!.RemindAt, reserved.DriverRemindAtMs));

        Assert.Same(reserved, reserved.RemindDriver(remindAt.AddSeconds(-1)));
        var reminded = reserved.RemindDriver(remindAt);
        Assert.Equal(remindAt, reminded.Reservation!.RemindedAt);
        Assert.Null(reminded.DriverRemindAtMs); // no longer due
        Assert.Same(reminded, reminded.RemindDriver(remindAt.AddMinutes(1)));

        Assert.Null(reserved.ReleaseByDriver("d1", Reservations, Now.AddHours(1)).DriverRemindAtMs);
        Assert.Null(reserved.CancelByRider("r1", "plans changed", Rules, Now.AddHours(1)).DriverRemindAtMs);
        Assert.Null(Later("t2", 5).ReserveForDriver("d1", [], Reservations, Now.AddHours(4.5)).Reservation!.RemindAt); // reserved within the hour
        Assert.Null(Later("t3", 5).ReserveForDriver("d1", [], new ReservationRules { RemindBefore = TimeSpan.Zero }, Now).Reservation!.RemindAt);
    }

    [Fact]
    public void Releasing_within_twelve_hours_of_the_pickup_or_not_taking_the_reserved_ride_is_a_strike()
    {
        var reserved = Later("t1", 20).ReserveForDriver("d1", [], Reservations, Now);

        Assert.Null(ReservationStrike.For(reserved.ReleaseByDriver("d1", Reservations, Now.AddHours(7)), "d1", Reservations)); // 13 h ahead
        Assert.Equal(new ReservationStrike("t1", ReservationStrike.LateRelease, Now.AddHours(9)),
            ReservationStrike.For(reserved.ReleaseByDriver("d1", Reservations, Now.AddHours(9)), "d1", Reservations));
        Assert.Null(ReservationStrike.For(reserved.ReleaseBySupport("car broke down", Now.AddHours(19)), "d1", Reservations));

        var searching = reserved.StartDispatch(Now.AddHours(19.75));
        Assert.Null(ReservationStrike.For(searching, "d1", Reservations));
        Assert.Null(ReservationStrike.For(searching.AssignDriver("d1", null, Now.AddHours(19.8)), "d1", Reservations));
        Assert.Equal(new ReservationStrike("t1", ReservationStrike.Missed, Now.AddHours(19.8)),
            ReservationStrike.For(searching.AssignDriver("d2", null, Now.AddHours(19.8)), "d1", Reservations));
        Assert.Equal(ReservationStrike.Missed, ReservationStrike.For(searching.MarkNoDriversFound(Now.AddHours(20)), "d1", Reservations)!.Why);
        Assert.Null(ReservationStrike.For(searching.CancelByRider("r1", "late", Rules, Now.AddHours(19.8)), "d1", Reservations));
    }

    [Fact]
    public void Two_strikes_within_thirty_days_pause_reserving_for_seven_days_from_the_second()
    {
        var one = new ReservationStrike("a", ReservationStrike.LateRelease, Now);
        var strikes = new ReservationStrikes([one, new ReservationStrike("b", ReservationStrike.LateRelease, Now.AddDays(3))], Reservations);

        Assert.Null(new ReservationStrikes([one], Reservations).Pause(Now.AddDays(1)));
        Assert.Equal(Now.AddDays(10), strikes.Pause(Now.AddDays(3)));
        Assert.Null(strikes.Pause(Now.AddDays(10)));
        Assert.Equal("You can reserve again on Mon, Dec 14: you released 2 reserved rides late in 30 days", strikes.PausedMessage(Now.AddDays(10), Now.AddDays(4)));
        var paused = Assert.Throws<ReservingPausedException>(() => strikes.RequireNotPaused(Now.AddDays(4)));
        Assert.Equal(Now.AddDays(10), paused.Until);
        // Thirty days apart, two strikes are not two within thirty days; and the ledger refuses a claim while paused.
        Assert.Null(new ReservationStrikes([one, one with { TripId = "c", At = Now.AddDays(31) }], Reservations).Pause(Now.AddDays(31)));
        var ledger = DriverReservationLedger.For("d1").With(strikes.All[0]).With(strikes.All[1]).With(strikes.All[1]);
        Assert.Equal(2, ledger.Strikes!.Count);
        Assert.Throws<ReservingPausedException>(() => ledger.Claim("t9", Now.AddDays(5), Reservations, Now.AddDays(4)));
        Assert.Contains("did not take 1 when offered", new ReservationStrikes([one, one with { TripId = "m", Why = ReservationStrike.Missed }], Reservations).PausedMessage(Now.AddDays(7), Now));
    }

    [Fact]
    public void Support_removing_a_strike_keeps_it_as_removed_and_lifts_the_pause_it_made_once_only()
    {
        var ledger = DriverReservationLedger.For("d1")
            .With(new ReservationStrike("a", ReservationStrike.LateRelease, Now))
            .With(new ReservationStrike("b", ReservationStrike.Missed, Now.AddDays(1)));
        Assert.NotNull(new ReservationStrikes(ledger.Strikes!, Reservations).Pause(Now.AddDays(2)));

        var removed = ledger.WithoutStrike("b", "o1", "the rider asked them to drop it", Now.AddDays(2));

        var strike = Assert.Single(removed.Strikes!, s => s.TripId == "b");
        Assert.Equal((Now.AddDays(2), "o1", "the rider asked them to drop it"), (strike.RemovedAt, strike.RemovedBy, strike.RemovedReason));
        Assert.Equal(2, removed.Strikes!.Count);
        var strikes = new ReservationStrikes(removed.Strikes!, Reservations);
        Assert.Null(strikes.Pause(Now.AddDays(2)));
        Assert.Equal(["a", "b"], strikes.Recent(Now.AddDays(2)).Select(s => s.TripId)); // support still sees it, marked removed
        Assert.Equal("t9", removed.Claim("t9", Now.AddDays(5), Reservations, Now.AddDays(2)).Claims.Single().TripId);
        // Again: nothing changes. A message that made it, redelivered: it is not made again. None such: not found.
        Assert.Same(removed, removed.WithoutStrike("b", "o2", "again", Now.AddDays(3)));
        Assert.Same(removed, removed.With(new ReservationStrike("b", ReservationStrike.Missed, Now.AddDays(1))));
        Assert.Throws<ReservationStrikeNotFoundException>(() => removed.WithoutStrike("c", "o1", "no such", Now.AddDays(2)));
        // The strike left still counts: another within the window pauses again, from that one.
        Assert.Equal(Now.AddDays(10),
            new ReservationStrikes(removed.With(new ReservationStrike("c", ReservationStrike.LateRelease, Now.AddDays(3))).Strikes!, Reservations).Pause(Now.AddDays(3)));
    }

    [Fact]
    public void A_driver_on_another_ride_when_the_reserved_rides_search_starts_is_excused_and_not_struck()
    {
        var reserved = Later("t1", 20).ReserveForDriver("d1", [], Reservations, Now);
        var start = Now.AddHours(19.75);
        var driving = Later("t2", 19.5, riderId: "r2").StartDispatch(Now.AddHours(19.25)).AssignDriver("d1", null, Now.AddHours(19.3));

        var excused = reserved.ExcuseBusyReservedDriver([driving], start);

        Assert.Null(excused.Reservation); // the normal search: no driver offered it first
        var history = Assert.Single(excused.DriverReservations);
        Assert.Equal((TripActors.System, Trip.OnAnotherRideReleaseReason, start), (history.ReleasedBy, history.ReleaseReason, history.ReleasedAt));
        var taken = excused.StartDispatch(start).AssignDriver("d2", null, start.AddMinutes(1));
        Assert.Null(ReservationStrike.For(taken, "d1", Reservations));
        Assert.Null(ReservationStrike.For(excused.StartDispatch(start).MarkNoDriversFound(start.AddMinutes(5)), "d1", Reservations));
        // Not on a ride (the other one ended, or is another driver's), or the ride no longer waits: unchanged, a miss is a strike.
        Assert.Same(reserved, reserved.ExcuseBusyReservedDriver([driving.CancelByDriver("d1", Now.AddHours(19.4))], start));
        Assert.Same(reserved, reserved.ExcuseBusyReservedDriver([driving with { Driver = driving.Driver! with { DriverId = "d3" } }], start));
        var searching = reserved.StartDispatch(start);
        Assert.Same(searching, searching.ExcuseBusyReservedDriver([driving], start));
        Assert.NotNull(ReservationStrike.For(reserved.ExcuseBusyReservedDriver([], start).StartDispatch(start).AssignDriver("d2", null, start.AddMinutes(1)), "d1", Reservations));
    }

    [Fact]
    public void Cancelling_a_waiting_reserved_ride_marks_its_reservation_released_by_whoever_cancelled()
    {
        var reserved = Later("t1", 5).ReserveForDriver("d1", [], Reservations, Now);
        var at = Now.AddMinutes(5);

        var byRider = reserved.CancelByRider("r1", "plans changed", Rules, at).DriverReservations[0];
        var bySupport = reserved.CancelBySupport("duplicate", at).DriverReservations[0];
        var bySystem = reserved.CancelReservation("rider on another trip", at).DriverReservations[0];

        Assert.Equal((TripActors.Rider, Trip.CancelledReleaseReason, at), (byRider.ReleasedBy, byRider.ReleaseReason, byRider.ReleasedAt));
        Assert.Equal((TripActors.Operator, Trip.CancelledReleaseReason), (bySupport.ReleasedBy, bySupport.ReleaseReason));
        Assert.Equal(TripActors.System, bySystem.ReleasedBy);
        // Once its search started the reservation was used, not released.
        Assert.True(reserved.StartDispatch(Now.AddHours(4.75)).CancelByRider("r1", "late", Rules, Now.AddHours(4.8)).DriverReservations[0].IsHeld);
    }

    [Fact]
    public void The_ledger_claims_within_the_limits_and_counts_only_claims_their_trips_still_hold_or_may_soon()
    {
        var held = new[] { Later("a", 10), Later("b", 12) }.Select(t => t.ReserveForDriver("d1", [], Reservations, Now)).ToList();
        var inFlight = Later("c", 14);
        var trips = held.Append(inFlight).ToDictionary(t => t.Id);
        var ledger = DriverReservationLedger.For("d1")
            .Claim("a", held[0].ScheduledFor!.Value, Reservations, Now)
            .Claim("c", inFlight.ScheduledFor!.Value, Reservations, Now);

        // "b" was reserved before claims existed: it counts too; "c" is being written.
        var live = ledger.Live(trips, held, Now.AddSeconds(30));
        Assert.Equal(["a", "c", "b"], live.Claims.Select(c => c.TripId));
        Assert.Contains("3 reservations already", Assert.Throws<ReservationConflictException>(() => live.Claim("d", Now.AddHours(20), Reservations, Now)).Message);
        Assert.Contains("60 minutes apart", Assert.Throws<ReservationConflictException>(() => live.Without("c").Claim("d", Now.AddHours(12.5), Reservations, Now)).Message);
        Assert.Same(live, live.Claim("a", held[0].ScheduledFor!.Value, Reservations, Now));

        // A minute on, "c"'s trip never showed it: it no longer counts. Nor does "a" once released.
        trips["a"] = held[0].ReleaseByDriver("d1", Reservations, Now.AddSeconds(40));
        Assert.Equal(["b"], ledger.Live(trips, [held[1]], Now.AddMinutes(1)).Claims.Select(c => c.TripId));
        Assert.Equal(["c", "b"], ledger.Live(trips, [held[1]], Now.AddSeconds(59)).Claims.Select(c => c.TripId));
    }

    [Fact]
    public void The_listing_shows_open_rides_near_the_driver_of_their_classes_that_suit_them_soonest_first()
    {
        var near = new GeoPoint(47.81, 13.05);
        var open = new[]
        {
            Later("later", 30),
            Later("sooner", 10),
            Later("taken", 12).ReserveForDriver("d2", [], Reservations, Now),
            Later("pet", 14) with { WithPet = true },
            Later("cash", 15) with { PayInCash = true },
            Later("comfort", 16) with { VehicleClass = "comfort" },
            Later("far", 17) with { Pickup = new GeoPoint(48.20, 16.37) },
            Later("mine", 18, riderId: "d1"),
        };

        var listed = ReservableRides.For(open, "d1", near, ["economy"], DriverSuitability.Default with { AcceptsCash = false }, Reservations,
            ReservableRides.SoonestFirst, 10, Now);

        Assert.Equal(["sooner", "later"], listed.Select(t => t.Id));
        var petsAndCash = new DriverSuitability(PetsWelcome: true, AcceptsCash: true, CashPaused: false, WheelchairAccessible: false);
        Assert.Equal(["sooner", "pet", "cash", "later"], ReservableRides.For(open, "d1", near, ["economy"], petsAndCash, Reservations, ReservableRides.SoonestFirst, 10, Now).Select(t => t.Id));
        Assert.Equal(["sooner"], ReservableRides.For(open, "d1", near, ["economy"], petsAndCash with { CashPaused = true }, Reservations, ReservableRides.SoonestFirst, 1, Now).Select(t => t.Id));
        Assert.Empty(ReservableRides.For(open, "d1", near, [], petsAndCash, Reservations, ReservableRides.SoonestFirst, 10, Now));
        Assert.Equal(new GeoPoint(47.8, 13.04), ReservableRides.Area(new GeoPoint(47.80412, 13.04388)));
    }
}
