using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Tests;

/// <summary>
/// Repeating rides (ADR 0043): weekly local times in the rider's zone through daylight saving, the occurrence booked a
/// day ahead, claimed once, recorded, and the next one after it; pausing, resuming, and an occurrence found too late.
/// </summary>
public sealed class RideScheduleTests
{
    // Friday 4 Dec 2026, 10:00 in Berlin.
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly RideScheduleRules Rules = new();
    private static readonly TripRules Trips = new();
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static RideSchedule Commute(DateTimeOffset now, IEnumerable<DayOfWeek>? days = null, string time = "08:15", string zone = "Europe/Berlin") =>
        RideSchedule.Create("s1", "r1", days ?? Weekdays, TimeOnly.Parse(time), zone, new GeoPoint(52.52, 13.40), new GeoPoint(52.50, 13.45),
            "Home", "Office", "economy", null, null, false, RideProfile.PersonalRide, Rules, Trips, now);

    [Fact]
    public void The_first_occurrence_is_the_next_chosen_weekday_at_the_local_time_and_is_booked_a_day_before()
    {
        var commute = Commute(Now);
        // Friday 10:00: today's 08:15 is gone, the weekend is not chosen → Monday 7 Dec 08:15 CET (07:15 UTC).
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 15, 0, TimeSpan.FromHours(1)), commute.NextPickupAt);
        Assert.Equal(commute.NextPickupAt.AddDays(-1), commute.BookAt);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], commute.Days);
        Assert.False(commute.IsDue(Now));
        Assert.True(commute.IsDue(commute.BookAt));
        Assert.Equal(commute.BookAt.ToUnixTimeMilliseconds(), commute.BookAtMs);

        // Today's occurrence still counts when it is at least 30 minutes ahead, not when it is closer.
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 30, 0, TimeSpan.FromHours(1)), Commute(Now, time: "10:30").NextPickupAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 20, 0, TimeSpan.FromHours(1)), Commute(Now, time: "10:20").NextPickupAt);
        // Sunday only, in New York: Sunday 6 Dec 07:00 EST.
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.FromHours(-5)), Commute(Now, [DayOfWeek.Sunday], "07:00", "America/New_York").NextPickupAt);
    }

    [Fact]
    public void Local_time_stays_the_same_across_daylight_saving_and_a_skipped_time_is_taken_an_hour_later()
    {
        var zone = Occurrences.Zone("Europe/Berlin")!;
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 8, 15, 0, TimeSpan.FromHours(2)),
            Occurrences.Next([DayOfWeek.Monday], new TimeOnly(8, 15), zone, new DateTimeOffset(2027, 3, 27, 0, 0, 0, TimeSpan.Zero)));
        // 28 March 2027: the clock goes from 02:00 to 03:00; 02:30 does not exist that day → 03:30 CEST.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 3, 30, 0, TimeSpan.FromHours(2)),
            Occurrences.Next([DayOfWeek.Sunday], new TimeOnly(2, 30), zone, new DateTimeOffset(2027, 3, 27, 0, 0, 0, TimeSpan.Zero)));
        // 31 October 2027: 02:30 happens twice → the first time (CEST).
        Assert.Equal(new DateTimeOffset(2027, 10, 31, 2, 30, 0, TimeSpan.FromHours(2)),
            Occurrences.Next([DayOfWeek.Sunday], new TimeOnly(2, 30), zone, new DateTimeOffset(2027, 10, 30, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("Mars/Olympus", "08:15", "timeZone")]
    [InlineData("", "08:15", "timeZone")]
    [InlineData("Europe/Berlin", "08:15:30", "pickupTime")]
    public void Bad_input_is_refused_naming_the_field(string zone, string time, string field)
    {
        var refused = Assert.Throws<RideScheduleInvalidException>(() => Commute(Now, time: time, zone: zone));
        Assert.StartsWith(field, refused.Message);
        Assert.StartsWith("days", Assert.Throws<RideScheduleInvalidException>(() => Commute(Now, days: [])).Message);
        var label = new string('x', RideSchedule.MaxLabelLength + 1);
        Assert.StartsWith("dropoffLabel", Assert.Throws<RideScheduleInvalidException>(() => RideSchedule.Create("s1", "r1", Weekdays, new TimeOnly(8, 0),
            "Europe/Berlin", new GeoPoint(52.52, 13.40), new GeoPoint(52.50, 13.45), null, label, "economy", null, null, false, RideProfile.PersonalRide, Rules, Trips, Now)).Message);
    }

    [Fact]
    public void An_occurrence_is_claimed_once_recorded_once_and_the_next_one_follows()
    {
        var commute = Commute(Now);
        var due = commute.BookAt;
        var claimed = commute.Claim("q1", due);
        Assert.Equal(new PendingBooking("q1", commute.NextPickupAt, due), claimed.Pending);
        // Another replica's quote does not replace the claim: both book q1, which is one trip.
        Assert.Same(claimed, claimed.Claim("q2", due.AddSeconds(1)));

        var booked = claimed.Booked(commute.NextPickupAt, "tq1", null, Rules, due.AddSeconds(2));
        Assert.Null(booked.Pending);
        Assert.Equal(new ScheduledBooking(commute.NextPickupAt, "tq1", null, due.AddSeconds(2)), booked.LastBooking);
        Assert.Equal(commute.NextPickupAt.AddDays(1), booked.NextPickupAt); // Tuesday
        Assert.Equal(booked.NextPickupAt.AddDays(-1), booked.BookAt);
        // Recording the same occurrence again (another replica) changes nothing.
        Assert.Same(booked, booked.Booked(commute.NextPickupAt, "tq1", null, Rules, due.AddSeconds(3)));

        // A refusal moves on too, saying why.
        var refused = booked.Booked(booked.NextPickupAt, null, "You already have 5 rides booked for later", Rules, booked.BookAt);
        Assert.Equal("You already have 5 rides booked for later", refused.LastBooking!.Refusal);
        Assert.Equal(booked.NextPickupAt.AddDays(1), refused.NextPickupAt);
        // Friday's ride is followed by Monday's.
        var friday = Commute(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(DayOfWeek.Friday, friday.NextPickupAt.DayOfWeek);
        Assert.Equal(friday.NextPickupAt.AddDays(3), friday.Booked(friday.NextPickupAt, "t", null, Rules, Now).NextPickupAt);
    }

    [Fact]
    public void An_occurrence_found_too_late_is_skipped_not_booked_late()
    {
        var commute = Commute(Now);
        var late = commute.NextPickupAt.AddMinutes(-10);
        Assert.False(commute.CanStillBook(Trips, late));
        Assert.True(commute.CanStillBook(Trips, commute.NextPickupAt.AddMinutes(-30)));
        var skipped = commute.SkipMissed(Rules, Trips, late);
        Assert.Equal(commute.NextPickupAt.AddDays(1), skipped.NextPickupAt);
        Assert.Null(skipped.LastBooking);
    }

    [Fact]
    public void Paused_books_nothing_and_resuming_starts_from_the_next_occurrence_not_one_already_booked()
    {
        var commute = Commute(Now);
        var booked = commute.Claim("q1", commute.BookAt).Booked(commute.NextPickupAt, "tq1", null, Rules, commute.BookAt);
        var paused = booked.Pause();
        Assert.True(paused.Paused);
        Assert.Null(paused.BookAtMs);
        Assert.False(paused.IsDue(paused.BookAt.AddDays(3)));
        Assert.Same(paused, paused.Pause());
        Assert.Same(paused, paused.Claim("q9", paused.BookAt));

        // Resumed on the Monday morning before 07:45: Monday's ride was booked already, so Tuesday's is next.
        var resumed = paused.Resume(Rules, Trips, commute.NextPickupAt.AddHours(-1));
        Assert.False(resumed.Paused);
        Assert.Equal(commute.NextPickupAt.AddDays(1), resumed.NextPickupAt);
        Assert.Same(resumed, resumed.Resume(Rules, Trips, Now));
        // Resumed two weeks later: the next weekday from then.
        var later = paused.Resume(Rules, Trips, new DateTimeOffset(2026, 12, 18, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 8, 15, 0, TimeSpan.FromHours(1)), later.NextPickupAt);
    }

    [Fact]
    public void Skipping_the_next_ride_books_the_one_after_it_and_only_the_one_the_rider_saw()
    {
        var commute = Commute(Now); // next: Monday 7 Dec 08:15
        var skipped = commute.Skip(commute.NextPickupAt, Rules);
        Assert.Equal(commute.NextPickupAt.AddDays(1), skipped.NextPickupAt);
        Assert.Equal(skipped.NextPickupAt - Rules.BookAhead, skipped.BookAt);
        Assert.False(skipped.IsDue(commute.BookAt)); // Sunday's booking of Monday's ride does not happen
        Assert.Null(skipped.LastBooking);

        // A second tap from the same screen skips nothing more.
        Assert.Contains("not this repeating ride's next ride", Assert.Throws<RideScheduleClosedException>(() => skipped.Skip(commute.NextPickupAt, Rules)).Message);
        // Friday's ride skipped: the weekend is not chosen, Monday's is next.
        var friday = new DateTimeOffset(2026, 12, 11, 8, 15, 0, TimeSpan.FromHours(1));
        var week = skipped.Skip(skipped.NextPickupAt, Rules).Skip(skipped.NextPickupAt.AddDays(1), Rules).Skip(skipped.NextPickupAt.AddDays(2), Rules);
        Assert.Equal(friday, week.NextPickupAt);
        Assert.Equal(friday.AddDays(3), week.Skip(friday, Rules).NextPickupAt);
    }

    [Fact]
    public void A_ride_being_booked_booked_already_or_paused_is_not_skipped()
    {
        var commute = Commute(Now);
        var claimed = commute.Claim("q1", commute.BookAt);
        Assert.Contains("being booked right now", Assert.Throws<RideScheduleClosedException>(() => claimed.Skip(commute.NextPickupAt, Rules)).Message);
        var booked = claimed.Booked(commute.NextPickupAt, "tq1", null, Rules, commute.BookAt);
        Assert.Contains("booked already", Assert.Throws<RideScheduleClosedException>(() => booked.Skip(commute.NextPickupAt, Rules)).Message);
        Assert.Contains("paused", Assert.Throws<RideScheduleClosedException>(() => commute.Pause().Skip(commute.NextPickupAt, Rules)).Message);

        // Skipped between a look's read and its claim: the claim, made on the schedule as it is now, claims nothing early.
        var skipped = commute.Skip(commute.NextPickupAt, Rules);
        Assert.Same(skipped, skipped.Claim("q2", commute.BookAt.AddSeconds(1)));
    }

    [Fact]
    public void A_business_schedule_keeps_its_profile_and_memo_and_one_stored_before_is_personal()
    {
        var work = RideSchedule.Create("s1", "r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", new GeoPoint(52.52, 13.40), new GeoPoint(52.50, 13.45),
            "Home", "Office", "economy", null, null, false, RideProfile.Of("business", " Client visits "), Rules, Trips, Now);
        Assert.Equal(new RideProfile(RideProfile.Business, "Client visits"), work.Profile);
        var booked = work.Claim("q1", work.BookAt).Booked(work.NextPickupAt, "tq1", null, Rules, work.BookAt);
        Assert.Equal(work.Profile, booked.Profile);

        var stored = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Commute(Now), UberClone.Storage.StorageJson.Options))!.AsObject();
        Assert.True(stored.Remove("profile"));
        var storedBefore = System.Text.Json.JsonSerializer.Deserialize<RideSchedule>(stored, UberClone.Storage.StorageJson.Options)!;
        Assert.Equal(RideProfile.PersonalRide, storedBefore.Profile);
    }
    [Fact]
    public void A_schedule_with_an_end_books_up_to_that_day_then_ends_and_a_later_end_books_on()
    {
        // Friday 4 Dec: weekdays until Tuesday 8 Dec → Monday's and Tuesday's rides, then it has ended.
        var commute = RideSchedule.Create("s1", "r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", new GeoPoint(52.52, 13.40), new GeoPoint(52.50, 13.45),
            "Home", "Office", "economy", null, null, false, RideProfile.PersonalRide, Rules, Trips, Now, endsOn: new DateOnly(2026, 12, 8));
        var monday = commute.NextPickupAt;
        var afterMonday = commute.Claim("q1", commute.BookAt).Booked(monday, "tq1", null, Rules, commute.BookAt);
        Assert.False(afterMonday.Ended);
        var afterTuesday = afterMonday.Claim("q2", afterMonday.BookAt).Booked(monday.AddDays(1), "tq2", null, Rules, afterMonday.BookAt);

        Assert.True(afterTuesday.Ended);
        Assert.Null(afterTuesday.BookAtMs); // no look finds it any more
        Assert.False(afterTuesday.IsDue(afterTuesday.BookAt.AddDays(30)));
        Assert.Same(afterTuesday, afterTuesday.Claim("q3", afterTuesday.BookAt));
        Assert.Contains("has ended", Assert.Throws<RideScheduleClosedException>(() => afterTuesday.Skip(afterTuesday.NextPickupAt, Rules)).Message);

        // A later end on Tuesday evening: Wednesday's ride is booked, as it would have been.
        var tuesdayEvening = monday.AddDays(1).AddHours(10);
        var extended = afterTuesday.EndOn(new DateOnly(2026, 12, 18), tuesdayEvening);
        Assert.False(extended.Ended);
        Assert.Equal((monday.AddDays(2), true), (extended.NextPickupAt, extended.IsDue(tuesdayEvening)));
        // No end at all: the same; an end set earlier than the next ride ends it at once.
        Assert.False(afterTuesday.EndOn(null, tuesdayEvening).Ended);
        Assert.True(extended.EndOn(new DateOnly(2026, 12, 8), tuesdayEvening).Ended);
    }

    [Fact]
    public void The_ride_booked_before_the_end_is_its_last_and_an_end_moved_before_a_booked_ride_names_that_ride()
    {
        // Friday 4 Dec: weekdays until Tuesday 8 Dec. Monday's ride is not the last; Tuesday's is.
        var commute = RideSchedule.Create("s1", "r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", new GeoPoint(52.52, 13.40), new GeoPoint(52.50, 13.45),
            "Home", "Office", "economy", null, null, false, RideProfile.PersonalRide, Rules, Trips, Now, endsOn: new DateOnly(2026, 12, 8));
        var monday = commute.NextPickupAt;
        var afterMonday = commute.Claim("q1", commute.BookAt).Booked(monday, "tq1", null, Rules, commute.BookAt);
        Assert.Null(afterMonday.LastRide);
        var afterTuesday = afterMonday.Claim("q2", afterMonday.BookAt).Booked(monday.AddDays(1), "tq2", null, Rules, afterMonday.BookAt);
        Assert.Equal((monday.AddDays(1), "tq2"), (afterTuesday.LastRide!.PickupAt, afterTuesday.LastRide.TripId));
        Assert.Null(afterTuesday.BookedPastEnd); // Tuesday is the last day: nothing booked past it

        // A last occurrence refused is no last ride to announce; a schedule without an end has none.
        var refused = afterMonday.Claim("q2", afterMonday.BookAt).Booked(monday.AddDays(1), null, "The card was declined.", Rules, afterMonday.BookAt);
        Assert.True(refused.Ended);
        Assert.Null(refused.LastRide);
        var endless = Commute(Now);
        Assert.Null(endless.Claim("q1", endless.BookAt).Booked(endless.NextPickupAt, "tq1", null, Rules, endless.BookAt).LastRide);

        // Monday evening, with Tuesday's ride booked, the rider moves the end to Monday: Tuesday's stays booked, and is named.
        var mondayEvening = monday.AddHours(10);
        var endsMonday = afterTuesday.EndOn(new DateOnly(2026, 12, 7), mondayEvening);
        Assert.True(endsMonday.Ended);
        Assert.Equal((monday.AddDays(1), "tq2"), (endsMonday.BookedPastEnd!.PickupAt, endsMonday.BookedPastEnd.TripId));
        Assert.Null(endsMonday.LastRide); // Tuesday's is past the end now: not "the last ride"
        Assert.Null(endsMonday.PendingPastEnd);

        // An end moved before a ride being booked right now: that one is booked all the same, and named too.
        var claimingTuesday = afterMonday.Claim("q2", afterMonday.BookAt);
        var endsBeforeIt = claimingTuesday.EndOn(new DateOnly(2026, 12, 7), afterMonday.BookAt);
        Assert.Equal((monday.AddDays(1), "q2"), (endsBeforeIt.PendingPastEnd!.PickupAt, endsBeforeIt.PendingPastEnd.QuoteId));
        Assert.Null(endsBeforeIt.BookedPastEnd); // Monday's ride is on the last day
    }

    [Fact]
    public void An_end_before_the_first_ride_in_the_past_or_over_a_year_ahead_is_refused_naming_it()
    {
        RideSchedule Ending(DateOnly endsOn) => RideSchedule.Create("s1", "r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", new GeoPoint(52.52, 13.40),
            new GeoPoint(52.50, 13.45), "Home", "Office", "economy", null, null, false, RideProfile.PersonalRide, Rules, Trips, Now, endsOn);

        // Friday 4 Dec 10:00: the first ride is Monday's, so an end on Saturday books nothing.
        Assert.StartsWith("endsOn (2026-12-05) is before the first ride it would book, Mon 7 Dec",
            Assert.Throws<RideScheduleInvalidException>(() => Ending(new DateOnly(2026, 12, 5))).Message);
        Assert.Equal(new DateOnly(2026, 12, 7), Ending(new DateOnly(2026, 12, 7)).EndsOn); // that one ride
        Assert.Contains("in the past", Assert.Throws<RideScheduleInvalidException>(() => Commute(Now).EndOn(new DateOnly(2026, 12, 3), Now)).Message);
        Assert.Contains("at most a year ahead", Assert.Throws<RideScheduleInvalidException>(() => Commute(Now).EndOn(new DateOnly(2028, 1, 1), Now)).Message);
        Assert.Equal(new DateOnly(2026, 12, 4), Commute(Now).EndOn(new DateOnly(2026, 12, 4), Now).EndsOn); // today is allowed: it ends now
        Assert.True(Commute(Now).EndOn(new DateOnly(2026, 12, 4), Now).Ended);
    }
}
