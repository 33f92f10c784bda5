using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// RideCheck (ADR 0033): a ride whose car stands within 150 m for <see cref="SafetyRules.LongStopAfter"/> opens one safety
/// check; moving on allows the next; a stop the rider added allows longer; at most <see cref="SafetyRules.MaxPerTrip"/>;
/// repeated and older fixes change nothing; the first answer closes it for both; nobody answering is sent to support once.
/// </summary>
public class RideCheckTests
{
    private static readonly DateTimeOffset Start = TestTrips.Now.AddMinutes(4);
    private static readonly GeoPoint Jam = new(52.51, 13.42);
    private static readonly SafetyRules Rules = new() { LongStopAfter = TimeSpan.FromMinutes(4), UnansweredAfter = TimeSpan.FromMinutes(5), MaxPerTrip = 3 };

    /// <summary>Riding; the driver's fix at <paramref name="at"/> (its phone's time) heard at the same time.</summary>
    private static Trip Fix(Trip trip, GeoPoint location, DateTimeOffset at) =>
        trip.MoveDriver("d1", location, at).WatchForLongStop("d1", location, at, Rules, at);

    private static GeoPoint East(GeoPoint from, double meters) => new(from.Lat, Math.Round(from.Lng + meters / (111_195 * Math.Cos(from.Lat * Math.PI / 180)), 7));

    [Fact]
    public void A_car_standing_still_for_the_long_stop_time_opens_one_check_with_where_and_how_long()
    {
        var still = Fix(TestTrips.InProgress(), Jam, Start.AddMinutes(1));
        var drifting = Fix(still, East(Jam, 60), Start.AddMinutes(3)); // GPS wander, not a move
        Assert.Null(drifting.OpenSafetyCheck);
        Assert.Same(drifting, Fix(drifting, East(Jam, 55), Start.AddMinutes(4).AddSeconds(59))); // not yet: no write

        var asked = Fix(drifting, East(Jam, 40), Start.AddMinutes(5));
        var check = Assert.Single(asked.SafetyChecks);
        Assert.Equal((1, Jam, Start.AddMinutes(1), 4, Start.AddMinutes(5), Start.AddMinutes(10)),
            (check.Number, check.At, check.StoppedSince, check.StoppedMinutes, check.OpenedAt, check.AlertAt));
        Assert.Same(check, asked.OpenSafetyCheck);
        Assert.Equal(check.AlertAt.ToUnixTimeMilliseconds(), asked.SafetyAlertAtMs);

        // Standing on: the same standstill asks once.
        Assert.Same(asked, Fix(asked, East(Jam, 40), Start.AddMinutes(9)));
        var answered = asked.AnswerSafetyCheck("r1", SafetyAnswers.Ok, Start.AddMinutes(6));
        Assert.Same(answered, Fix(answered, East(Jam, 40), Start.AddMinutes(12)));
    }

    [Fact]
    public void Moving_on_allows_the_next_check_and_the_ride_has_at_most_three()
    {
        var trip = TestTrips.InProgress();
        var at = Start;
        var place = Jam;
        for (var i = 1; i <= 4; i++)
        {
            trip = Fix(trip, place, at);
            trip = Fix(trip, place, at.AddMinutes(4));
            if (trip.OpenSafetyCheck is not null) trip = trip.AnswerSafetyCheck("d1", SafetyAnswers.Ok, at.AddMinutes(5));
            Assert.Equal(Math.Min(i, 3), trip.SafetyChecks.Count);
            place = East(place, 400); // the car moved on, then stopped again
            at = at.AddMinutes(6);
        }
        Assert.Null(Fix(Fix(trip, place, at), place, at.AddMinutes(30)).OpenSafetyCheck);
    }

    [Fact]
    public void An_open_check_is_not_joined_by_another_until_it_is_answered()
    {
        var asked = Fix(Fix(TestTrips.InProgress(), Jam, Start), Jam, Start.AddMinutes(4));
        var elsewhere = East(Jam, 500);
        var stoppedAgain = Fix(Fix(asked, elsewhere, Start.AddMinutes(5)), elsewhere, Start.AddMinutes(10));
        Assert.Single(stoppedAgain.SafetyChecks);
        Assert.Equal(Jam, stoppedAgain.OpenSafetyCheck!.At);
    }

    [Fact]
    public void At_a_stop_the_rider_added_and_the_driver_reached_the_car_may_stand_the_allowance_longer()
    {
        var errand = new GeoPoint(52.515, 13.41);
        var trip = TestTrips.InProgress() with { Stops = [new TripStop(errand)] };
        var reached = Fix(trip, errand, Start.AddMinutes(1)).ReachStop("d1", 0, errand, TestTrips.Rules, Start.AddMinutes(1));
        var waiting = Fix(reached, East(errand, 20), Start.AddMinutes(12));
        Assert.Null(waiting.OpenSafetyCheck); // 11 of 4 + 10 minutes
        Assert.Equal(14, Fix(waiting, errand, Start.AddMinutes(15)).OpenSafetyCheck!.StoppedMinutes);

        // The same stop not reached (yet): the usual time.
        Assert.NotNull(Fix(Fix(trip, errand, Start), errand, Start.AddMinutes(4)).OpenSafetyCheck);
    }

    [Fact]
    public void Repeated_and_older_fixes_change_nothing()
    {
        var still = Fix(TestTrips.InProgress(), Jam, Start);
        Assert.Same(still, Fix(still, Jam, Start)); // the same fix again
        Assert.Same(still, Fix(still, East(Jam, 2_000), Start.AddSeconds(-30))); // an older fix elsewhere, redelivered
        var asked = Fix(still, Jam, Start.AddMinutes(4));
        Assert.Same(asked, Fix(asked, Jam, Start.AddMinutes(4)));
        Assert.Same(asked, Fix(asked, Jam, Start.AddMinutes(3)));
    }

    [Fact]
    public void Only_a_ride_under_way_and_its_own_driver_are_watched()
    {
        var riding = TestTrips.InProgress();
        Assert.Same(riding, riding.WatchForLongStop("d2", Jam, Start, Rules, Start));
        var arrived = riding with { Status = TripStatus.DriverArrived };
        Assert.Same(arrived, arrived.WatchForLongStop("d1", Jam, Start, Rules, Start));
        Assert.Null(Fix(Fix(riding, Jam, Start), Jam, Start.AddMinutes(4)).Complete("d1", TestTrips.Rules, Start.AddMinutes(5)).OpenSafetyCheck);
    }

    [Fact]
    public void The_first_answer_closes_the_check_for_both_and_a_repeat_by_the_same_person_changes_nothing()
    {
        var asked = Fix(Fix(TestTrips.InProgress(), Jam, Start), Jam, Start.AddMinutes(4));
        Assert.Throws<TripNotYoursException>(() => asked.AnswerSafetyCheck("someone", SafetyAnswers.Ok, Start.AddMinutes(5)));
        Assert.Throws<ArgumentException>(() => asked.AnswerSafetyCheck("r1", "maybe", Start.AddMinutes(5)));

        var answered = asked.AnswerSafetyCheck("r1", SafetyAnswers.Help, Start.AddMinutes(5));
        var check = Assert.Single(answered.SafetyChecks);
        Assert.Equal((SafetyAnswers.Help, TripActors.Rider, Start.AddMinutes(5)), (check.Answer, check.AnsweredBy, check.AnsweredAt));
        Assert.Null(answered.OpenSafetyCheck);
        Assert.Null(answered.SafetyAlertAtMs);

        Assert.Same(answered, answered.AnswerSafetyCheck("r1", SafetyAnswers.Help, Start.AddMinutes(6)));
        Assert.Throws<SafetyCheckClosedException>(() => answered.AnswerSafetyCheck("d1", SafetyAnswers.Ok, Start.AddMinutes(6)));
        Assert.Throws<SafetyCheckClosedException>(() => answered.AnswerSafetyCheck("r1", SafetyAnswers.Ok, Start.AddMinutes(6)));
        Assert.Throws<SafetyCheckClosedException>(() => TestTrips.InProgress().AnswerSafetyCheck("r1", SafetyAnswers.Ok, Start));
    }

    [Fact]
    public void A_check_nobody_answered_is_sent_to_support_once_when_due_and_may_still_be_answered()
    {
        var asked = Fix(Fix(TestTrips.InProgress(), Jam, Start), Jam, Start.AddMinutes(4));
        Assert.Same(asked, asked.SafetyCheckUnanswered(Start.AddMinutes(8)));

        var alerted = asked.SafetyCheckUnanswered(Start.AddMinutes(9));
        Assert.Equal(Start.AddMinutes(9), alerted.OpenSafetyCheck!.SupportAlertedAt);
        Assert.Null(alerted.SafetyAlertAtMs);
        Assert.Same(alerted, alerted.SafetyCheckUnanswered(Start.AddMinutes(10)));

        var answered = alerted.AnswerSafetyCheck("d1", SafetyAnswers.Ok, Start.AddMinutes(11));
        Assert.Equal((SafetyAnswers.Ok, TripActors.Driver), (answered.SafetyChecks[0].Answer, answered.SafetyChecks[0].AnsweredBy));
        Assert.Same(answered, answered.SafetyCheckUnanswered(Start.AddMinutes(20)));
    }

    [Fact]
    public void No_checks_when_the_ride_allows_none()
    {
        var off = new SafetyRules { MaxPerTrip = 0 };
        var trip = TestTrips.InProgress().WatchForLongStop("d1", Jam, Start, off, Start);
        Assert.Same(trip, trip.WatchForLongStop("d1", Jam, Start.AddHours(1), off, Start.AddHours(1)));
    }

    /// <summary>A fix as the location handler takes it: watched for a long stop and for a detour.</summary>
    private static Trip Drive(Trip trip, GeoPoint location, DateTimeOffset at) => Fix(trip, location, at).WatchForDetour("d1", location, at, Rules, at);

    private static GeoPoint North(GeoPoint from, double meters) => new(Math.Round(from.Lat + meters / 111_195, 7), from.Lng);

    [Fact]
    public void A_car_driven_two_km_farther_from_the_drop_off_than_it_had_come_opens_a_detour_check_and_the_next_needs_as_much_again()
    {
        var dropoff = TestTrips.InProgress().Dropoff;
        var trip = TestTrips.InProgress();
        var at = Start;
        // Towards the drop-off (from 3 km north of it to 1 km): nothing asked.
        foreach (var km in new[] { 3.0, 2.5, 2.0, 1.5, 1.0 })
        {
            trip = Drive(trip, North(dropoff, km * 1_000), at = at.AddMinutes(1));
        }
        Assert.Empty(trip.SafetyChecks);
        Assert.Equal(1_000, trip.Course!.ClosestMeters, 1);

        // Away again: 2.9 km off is still a detour of 1.9 km; 3.05 km of 2.05 km asks.
        trip = Drive(trip, North(dropoff, 2_900), at = at.AddMinutes(1));
        Assert.Empty(trip.SafetyChecks);
        var off = North(dropoff, 3_050);
        trip = Drive(trip, off, at = at.AddMinutes(1));
        var check = Assert.Single(trip.SafetyChecks);
        Assert.Equal((SafetyCheckKinds.Detour, 2_050, off, at, at.AddMinutes(5)), (check.Kind, check.DetourMeters, check.At, check.OpenedAt, check.AlertAt));
        Assert.Same(check, trip.OpenSafetyCheck);
        Assert.Equal("Ride went 2.1 km away from its destination at 52.52743, 13.45000", check.Describe());

        // Answered, the car goes on the same way: the next needs 2 km more than where the check was asked.
        trip = trip.AnswerSafetyCheck("r1", SafetyAnswers.Ok, at.AddSeconds(30));
        trip = Drive(trip, North(dropoff, 4_500), at = at.AddMinutes(1));
        Assert.Single(trip.SafetyChecks);
        trip = Drive(trip, North(dropoff, 5_100), at = at.AddMinutes(1));
        Assert.Equal((2, SafetyCheckKinds.Detour, 2_050), (trip.SafetyChecks.Count, trip.OpenSafetyCheck!.Kind, trip.OpenSafetyCheck.DetourMeters));
    }

    [Fact]
    public void A_new_target_a_stop_reached_or_a_new_destination_starts_the_course_again()
    {
        var errand = new GeoPoint(52.56, 13.40); // 4.4 km north of the pickup, away from the drop-off
        var trip = Drive(TestTrips.InProgress() with { Stops = [new TripStop(errand)] }, TestTrips.Pickup, Start);
        Assert.Equal(errand, trip.Course!.Target);
        trip = Drive(trip, errand, Start.AddMinutes(8)); // to the stop: farther from the drop-off, closer to the stop
        trip = trip.ReachStop("d1", 0, errand, TestTrips.Rules, Start.AddMinutes(8));
        trip = Drive(trip, North(errand, -300), Start.AddMinutes(9));
        Assert.Equal((TestTrips.InProgress().Dropoff, 0), (trip.Course!.Target, trip.SafetyChecks.Count));

        // The rider changes the destination to the far side: driving there is no detour.
        var far = new GeoPoint(52.62, 13.40);
        var moved = trip with { Dropoff = far };
        moved = Drive(Drive(moved, North(errand, 500), Start.AddMinutes(10)), North(errand, 3_000), Start.AddMinutes(13));
        Assert.Equal((far, 0), (moved.Course!.Target, moved.SafetyChecks.Count));
    }

    [Fact]
    public void Creeping_closer_and_repeated_or_older_fixes_write_nothing_and_one_open_check_or_the_rides_last_blocks_a_detour()
    {
        var dropoff = TestTrips.InProgress().Dropoff;
        var trip = Drive(TestTrips.InProgress(), North(dropoff, 1_000), Start);
        Assert.Same(trip, trip.WatchForDetour("d1", North(dropoff, 950), Start.AddMinutes(1), Rules, Start.AddMinutes(1))); // 50 m closer
        Assert.Same(trip, trip.WatchForDetour("d1", North(dropoff, 5_000), Start, Rules, Start)); // the same time again
        Assert.Same(trip, trip.WatchForDetour("d1", North(dropoff, 5_000), Start.AddSeconds(-10), Rules, Start)); // older
        Assert.Same(trip, trip.WatchForDetour("d2", North(dropoff, 5_000), Start.AddMinutes(1), Rules, Start.AddMinutes(1))); // not its driver

        // A long stop open: no detour joins it; the ride's last check used: none at all.
        var stood = Fix(Fix(trip, North(dropoff, 1_000), Start.AddMinutes(1)), North(dropoff, 1_000), Start.AddMinutes(6));
        Assert.Equal(SafetyCheckKinds.LongStop, stood.OpenSafetyCheck!.Kind);
        Assert.Single(Drive(stood, North(dropoff, 3_500), Start.AddMinutes(7)).SafetyChecks);
        var none = new SafetyRules { MaxPerTrip = 0 };
        var riding = TestTrips.InProgress().WatchForDetour("d1", North(dropoff, 1_000), Start, none, Start);
        Assert.Empty(riding.WatchForDetour("d1", North(dropoff, 5_000), Start.AddMinutes(1), none, Start.AddMinutes(1)).SafetyChecks);
    }

    [Fact]
    public void A_phone_silent_for_the_silent_time_opens_one_check_where_the_car_was_last_heard_of_and_a_fix_after_allows_the_next()
    {
        var rules = new SafetyRules { SilentAfter = TimeSpan.FromMinutes(5), UnansweredAfter = TimeSpan.FromMinutes(5), MaxPerTrip = 3 };
        var riding = TestTrips.InProgress(); // started at Start
        Assert.Equal(Start, riding.LastHeardAt); // no fix yet: since the start
        Assert.Same(riding, riding.WatchForSilence(rules, Start.AddMinutes(4).AddSeconds(59)));

        var heard = Fix(riding, Jam, Start.AddMinutes(2));
        Assert.Equal((Start.AddMinutes(2), Start.AddMinutes(2).ToUnixTimeMilliseconds()), (heard.LastHeardAt, heard.LastHeardAtMs));
        Assert.Same(heard, heard.WatchForSilence(rules, Start.AddMinutes(6)));
        var asked = heard.WatchForSilence(rules, Start.AddMinutes(8));
        var check = Assert.Single(asked.SafetyChecks);
        Assert.Equal((SafetyCheckKinds.Silent, Jam, Start.AddMinutes(2), 6, Start.AddMinutes(8), Start.AddMinutes(13)),
            (check.Kind, check.At, check.StoppedSince, check.StoppedMinutes, check.OpenedAt, check.AlertAt));
        Assert.Equal("No location from the driver's phone for 6 min; last at 52.51000, 13.42000", check.Describe());
        Assert.Null(asked.LastHeardAtMs); // handled: no longer found
        Assert.Same(asked, asked.WatchForSilence(rules, Start.AddMinutes(20)));

        // The phone comes back, is answered, and goes silent again: asked again.
        var back = Fix(asked.AnswerSafetyCheck("r1", SafetyAnswers.Ok, Start.AddMinutes(9)), East(Jam, 900), Start.AddMinutes(10));
        Assert.Equal(Start.AddMinutes(10).ToUnixTimeMilliseconds(), back.LastHeardAtMs);
        Assert.Equal((2, SafetyCheckKinds.Silent), (back.WatchForSilence(rules, Start.AddMinutes(15)).SafetyChecks.Count, back.WatchForSilence(rules, Start.AddMinutes(15)).OpenSafetyCheck!.Kind));
    }

    [Fact]
    public void A_silence_while_a_check_is_open_or_after_the_rides_last_is_handled_without_asking_and_a_ride_that_ended_is_not_watched()
    {
        var rules = new SafetyRules { SilentAfter = TimeSpan.FromMinutes(5), MaxPerTrip = 1 };
        var stood = Fix(Fix(TestTrips.InProgress(), Jam, Start), Jam, Start.AddMinutes(4));
        Assert.NotNull(stood.OpenSafetyCheck);
        var handled = stood.WatchForSilence(rules, Start.AddMinutes(10));
        Assert.Equal((1, (long?)null), (handled.SafetyChecks.Count, handled.LastHeardAtMs));

        var completed = TestTrips.InProgress().Complete("d1", TestTrips.Rules, Start.AddMinutes(1));
        Assert.Null(completed.LastHeardAtMs);
        Assert.Same(completed, completed.WatchForSilence(rules, Start.AddHours(1)));
    }

    [Fact]
    public void A_standing_cars_phone_is_kept_as_heard_once_a_minute_so_it_is_never_silent_while_it_sends()
    {
        var rules = new SafetyRules { SilentAfter = TimeSpan.FromMinutes(5), LongStopAfter = TimeSpan.FromHours(1) };
        Trip Heard(Trip trip, DateTimeOffset at) =>
            trip.MoveDriver("d1", Jam, at).WatchForLongStop("d1", Jam, at, rules, at).WatchForDetour("d1", Jam, at, rules, at).HearDriver("d1", at);

        var trip = Heard(TestTrips.InProgress(), Start.AddSeconds(3)); // the first fix is stored as the position
        for (var second = 6; second <= 20 * 60; second += 3)
        {
            var next = Heard(trip, Start.AddSeconds(second));
            // Fixes that change nothing are not written, except once a minute to say the phone is heard.
            if (!ReferenceEquals(next, trip)) Assert.Equal(Start.AddSeconds(second), next.DriverHeardAt);
            trip = next;
            Assert.Same(trip, trip.WatchForSilence(rules, Start.AddSeconds(second + 1)));
        }
        Assert.InRange((Start.AddMinutes(20) - trip.LastHeardAt!.Value).TotalSeconds, 0, 60);
        Assert.Empty(trip.SafetyChecks);

        // Not its driver, or not riding: nothing kept.
        Assert.Same(trip, trip.HearDriver("d2", Start.AddHours(1)));
        var done = trip.Complete("d1", TestTrips.Rules, Start.AddMinutes(21));
        Assert.Same(done, done.HearDriver("d1", Start.AddHours(1)));
    }

    [Fact]
    public void A_moving_ride_keeps_what_RideCheck_remembers_with_its_position_so_it_is_written_no_more_often_than_the_position()
    {
        // 30 km/h towards the drop-off, a fix every 3 s for 10 minutes: 25 m a fix.
        var dropoff = TestTrips.InProgress().Dropoff;
        var trip = TestTrips.InProgress();
        var (fixes, writes) = (0, 0);
        for (var second = 3; second <= 600; second += 3, fixes++)
        {
            var at = Start.AddSeconds(second);
            var next = trip.TakeDriverFix("d1", North(dropoff, 6_000 - 25 * second / 3.0), at, Rules, at);
            if (!ReferenceEquals(next, trip))
            {
                writes++;
                Assert.Equal(at, next.Driver!.LocationAt); // every write is a position's (the 10 s rule: every 4th fix)
                // and carries how close the car came as it is then (closer by 100 m or less is not remembered).
                Assert.InRange(next.Course!.ClosestMeters - Geo.DistanceMeters(next.Driver.Location!, dropoff), 0, SafetyRules.CourseStepMeters);
            }
            trip = next;
        }
        Assert.InRange(writes, fixes / 4, fixes / 4 + 1);
        Assert.Empty(trip.SafetyChecks);
    }

    [Fact]
    public void A_car_that_stops_is_asked_about_the_long_stop_within_a_few_seconds_of_when_it_would_be_were_every_fix_kept()
    {
        // 2 minutes at 30 km/h, then standing: asked 4 minutes after the standstill began.
        var dropoff = TestTrips.InProgress().Dropoff;
        DateTimeOffset? AskedAt(Func<Trip, GeoPoint, DateTimeOffset, Trip> take)
        {
            var trip = TestTrips.InProgress();
            for (var second = 3; second <= 8 * 60; second += 3)
            {
                var at = Start.AddSeconds(second);
                var next = take(trip, North(dropoff, 6_000 - 25 * Math.Min(second, 120) / 3.0), at);
                if (next.SafetyChecks.Count > trip.SafetyChecks.Count) return next.OpenSafetyCheck!.Kind == SafetyCheckKinds.LongStop ? at : null;
                trip = next;
            }
            return null;
        }
        // Every fix kept, the standstill begins at the last fix 150 m from the one before (up to 18 s before the car stops
        // at 30 km/h); kept with the positions, up to a fix more than 10 s after it stopped.
        var stopped = Start.AddMinutes(2) + Rules.LongStopAfter;
        var everyFixKept = AskedAt((trip, where, at) => trip.MoveDriver("d1", where, at).WatchForLongStop("d1", where, at, Rules, at)
            .WatchForDetour("d1", where, at, Rules, at).HearDriver("d1", at));
        Assert.InRange(everyFixKept!.Value, stopped.AddSeconds(-18), stopped);
        var coalesced = AskedAt((trip, where, at) => trip.TakeDriverFix("d1", where, at, Rules, at));
        Assert.InRange(coalesced!.Value, stopped.AddSeconds(-18), stopped.AddSeconds(13));
    }

    [Fact]
    public void A_new_course_of_a_standing_car_is_kept_at_once_unless_a_fix_was_kept_less_than_ten_seconds_before()
    {
        var dropoff = TestTrips.InProgress().Dropoff;
        var there = North(dropoff, 1_000);
        var standing = TestTrips.InProgress().TakeDriverFix("d1", there, Start, Rules, Start);
        Assert.Equal((Start, Start), (standing.Driver!.LocationAt, standing.Course!.LastFixAt));

        // The rider picks a new destination: the next fix 9 s after the last one kept waits, one 10 s after is kept.
        var far = new GeoPoint(52.62, 13.40);
        var moved = standing with { Dropoff = far };
        Assert.Same(moved, moved.TakeDriverFix("d1", there, Start.AddSeconds(9), Rules, Start.AddSeconds(9)));
        var kept = moved.TakeDriverFix("d1", there, Start.AddSeconds(10), Rules, Start.AddSeconds(10));
        Assert.Equal((far, Start.AddSeconds(10)), (kept.Course!.Target, kept.Course.LastFixAt));
        Assert.Equal(Start, kept.Driver!.LocationAt); // the car did not move: its position is not written again

        // Older or repeated fixes, or another driver's: nothing.
        Assert.Same(kept, kept.TakeDriverFix("d1", North(dropoff, 3_000), Start.AddSeconds(5), Rules, Start.AddSeconds(10)));
        Assert.Same(kept, kept.TakeDriverFix("d2", North(dropoff, 3_000), Start.AddMinutes(1), Rules, Start.AddMinutes(1)));
    }
}
