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
}
