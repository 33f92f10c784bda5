using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Tests;

/// <summary>
/// Repeating rides booked by the application on trips' own storage (ADR 0043): each occurrence becomes one ordinary
/// ride booked for later however many replicas look at once, a refusal is recorded and mailed once, a claim whose quote
/// expired is quoted again, and a rider reads and changes only their own schedules.
/// </summary>
public sealed class RideSchedulesTests : IDisposable
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly GeoPoint Home = new(52.52, 13.40);
    private static readonly GeoPoint Office = new(52.50, 13.45);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero)); // Friday
    private readonly CardChecks _cards = new();
    private readonly TripRules _tripRules = new() { MaxScheduledRides = 2 };
    private readonly TestMeters _meters = new();

    public RideSchedulesTests() => _repository = new TripRepository(_file.Database);

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One replica's application (each look has its own, as each replica does).</summary>
    private RideSchedules Replica()
    {
        var pricing = Options.Create(new PricingOptions());
        var trips = TestApplications.Trips(_repository, _file.Database, pricing, _clock, _meters, _cards, Options.Create(_tripRules));
        return new RideSchedules(_repository, trips, _cards, Options.Create(new RideScheduleRules()), Options.Create(_tripRules), pricing, _clock,
            NullLogger<RideSchedules>.Instance);
    }

    private Task<RideSchedule> CommuteAsync(string riderId = "r1", string? cardId = null) =>
        Replica().CreateAsync(riderId, Weekdays, new TimeOnly(8, 15), "Europe/Berlin", Home, Office, "Home", "Office", "economy", cardId, "Gate 3", false, RideProfile.PersonalRide, false, Ct);

    private async Task<List<Trip>> BookedForLaterAsync(string riderId) =>
        (await _repository.Trips.QueryAsync("riderId", riderId, 100, Ct)).Select(t => t.Document).Where(t => t.Status == TripStatus.Scheduled).ToList();

    [Fact]
    public async Task Each_occurrence_is_booked_once_as_a_ride_for_later_whichever_replicas_look()
    {
        var commute = await CommuteAsync(cardId: "card_ok");
        Assert.Equal([("r1", "card_ok")], _cards.Checked);
        Assert.Equal(0, await Replica().BookDueAsync(50, Ct)); // Monday's is booked on Sunday

        _clock.SetUtcNow(commute.BookAt.AddSeconds(5));
        var looks = await Task.WhenAll(Replica().BookDueAsync(50, Ct), Replica().BookDueAsync(50, Ct), Replica().BookDueAsync(50, Ct));
        Assert.Contains(1, looks);

        var booked = Assert.Single(await BookedForLaterAsync("r1"));
        Assert.Equal((commute.NextPickupAt, "card_ok", "Gate 3", "economy"), (booked.ScheduledFor, booked.CardId, booked.PickupNote, booked.VehicleClass));
        Assert.Equal((Home, Office), (booked.Pickup, booked.Dropoff));
        var stored = (await _repository.RideSchedules.GetAsync(commute.Id, Ct))!.Document;
        Assert.Equal(new ScheduledBooking(commute.NextPickupAt, booked.Id, null, commute.BookAt.AddSeconds(5)), stored.LastBooking);
        Assert.Equal(commute.NextPickupAt.AddDays(1), stored.NextPickupAt);
        Assert.Null(stored.Pending);
        // The rider's confirmation went as for any ride booked for later; no refusal.
        Assert.Single(await _file.PublishedAsync<TripScheduledIntegrationEvent>(Topics.TripScheduled));
        Assert.Empty(await _file.PublishedAsync<TripScheduleRefusedIntegrationEvent>(Topics.TripScheduleRefused));

        // Looking again before Tuesday's is due books nothing more.
        Assert.Equal(0, await Replica().BookDueAsync(50, Ct));
        Assert.Single(await BookedForLaterAsync("r1"));
    }

    [Fact]
    public async Task A_restricted_riders_occurrence_is_refused_saying_why_and_the_next_one_is_tried()
    {
        var commute = await CommuteAsync();
        // Drivers' ratings restricted the rider (ADR 0056): trips books nothing new for them, a repeating ride's included.
        await _file.Database.Collection<RatingTally>("rider_ratings").InsertAsync("r1", new RatingTally(20, 60,
            [.. Enumerable.Range(0, 20).Select(i => new RatedTrip($"t{i}", 3))], RatingStandings.Restricted), ct: Ct);

        _clock.SetUtcNow(commute.BookAt.AddSeconds(1));
        await Replica().BookDueAsync(50, Ct);

        var stored = (await _repository.RideSchedules.GetAsync(commute.Id, Ct))!.Document;
        Assert.Null(stored.LastBooking!.TripId);
        Assert.StartsWith("Your rating 3.00 over your last 20 rated trips is below 4.00", stored.LastBooking.Refusal);
        Assert.Equal(commute.NextPickupAt.AddDays(1), stored.NextPickupAt);
        Assert.Equal(stored.LastBooking.Refusal, Assert.Single(await _file.PublishedAsync<TripScheduleRefusedIntegrationEvent>(Topics.TripScheduleRefused)).Refusal);
        Assert.Empty(await BookedForLaterAsync("r1"));
    }

    [Fact]
    public async Task An_occurrence_that_cannot_be_booked_is_recorded_mailed_once_and_the_next_one_is_tried()
    {
        var commute = await CommuteAsync();
        // The rider has as many rides booked for later as allowed (2 here): Monday's cannot be booked.
        for (var i = 0; i < 2; i++)
        {
            await Replica().CreateAsync("r1", [DayOfWeek.Saturday], new TimeOnly(10, 0), "Europe/Berlin", Home, Office, null, null, "economy", null, null, false, RideProfile.PersonalRide, false, Ct);
        }
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        await Replica().BookDueAsync(50, Ct); // Saturday's two rides (both schedules) are booked
        Assert.Equal(2, (await BookedForLaterAsync("r1")).Count);

        _clock.SetUtcNow(commute.BookAt.AddSeconds(1));
        await Task.WhenAll(Replica().BookDueAsync(50, Ct), Replica().BookDueAsync(50, Ct));
        var stored = (await _repository.RideSchedules.GetAsync(commute.Id, Ct))!.Document;
        Assert.Null(stored.LastBooking!.TripId);
        Assert.Contains("rides booked for later", stored.LastBooking.Refusal);
        Assert.Equal(commute.NextPickupAt.AddDays(1), stored.NextPickupAt);

        var told = Assert.Single(await _file.PublishedAsync<TripScheduleRefusedIntegrationEvent>(Topics.TripScheduleRefused));
        Assert.Equal((commute.Id, "r1", commute.NextPickupAt, stored.NextPickupAt, "Europe/Berlin", "Home", "Office"),
            (told.ScheduleId, told.RiderId, told.PickupAt, told.NextPickupAt, told.TimeZone, told.PickupLabel, told.DropoffLabel));
        Assert.Equal(stored.LastBooking.Refusal, told.Refusal);
        Assert.Equal(2, (await BookedForLaterAsync("r1")).Count);
    }

    [Fact]
    public async Task The_last_ride_before_the_end_is_mailed_once_and_an_end_moved_before_a_booked_ride_names_it()
    {
        // Weekdays until Tuesday 8 Dec: Monday's and Tuesday's rides.
        var commute = await Replica().CreateAsync("r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", Home, Office, "Home", "Office", "economy", null, null,
            false, RideProfile.PersonalRide, false, Ct, endsOn: new DateOnly(2026, 12, 8));
        var monday = commute.NextPickupAt;
        _clock.SetUtcNow(commute.BookAt.AddSeconds(5));
        await Replica().BookDueAsync(50, Ct);
        Assert.Empty(await _file.PublishedAsync<TripScheduleEndedIntegrationEvent>(Topics.TripScheduleEnded)); // Monday's is not the last

        _clock.SetUtcNow(monday.AddSeconds(5)); // Tuesday's is booked, by two looks at once
        await Task.WhenAll(Replica().BookDueAsync(50, Ct), Replica().BookDueAsync(50, Ct));
        var tuesday = (await BookedForLaterAsync("r1")).Single(t => t.ScheduledFor == monday.AddDays(1));
        var told = Assert.Single(await _file.PublishedAsync<TripScheduleEndedIntegrationEvent>(Topics.TripScheduleEnded));
        Assert.Equal((commute.Id, "r1", tuesday.Id, monday.AddDays(1), new DateOnly(2026, 12, 8), "Europe/Berlin", "Home", "Office"),
            (told.ScheduleId, told.RiderId, told.TripId, told.LastPickupAt, told.EndsOn, told.TimeZone, told.PickupLabel, told.DropoffLabel));
        // Before Tuesday's ride, the rider moves the end to Monday: Tuesday's stays booked, and is named.
        _clock.SetUtcNow(monday.AddHours(10));
        var endsMonday = await Replica().SetEndAsync("r1", commute.Id, new DateOnly(2026, 12, 7), Ct);
        var stays = Assert.Single(await Replica().BookedPastEndAsync(endsMonday, Ct));
        Assert.Equal((tuesday.Id, monday.AddDays(1)), (stays.TripId, stays.PickupAt));
        Assert.Equal(TripStatus.Scheduled, (await _repository.Trips.GetAsync(tuesday.Id, Ct))!.Document.Status);
        // Once the rider cancelled it, it is not named any more.
        await _repository.Trips.UpdateAsync(tuesday.Id, t => t.CancelByRider("r1", "", _tripRules, monday.AddHours(10)), ct: Ct);
        Assert.Empty(await Replica().BookedPastEndAsync(endsMonday, Ct));

        // Ended: later looks book nothing and say nothing more.
        _clock.SetUtcNow(monday.AddDays(2));
        Assert.Equal(0, await Replica().BookDueAsync(50, Ct));
        Assert.Single(await _file.PublishedAsync<TripScheduleEndedIntegrationEvent>(Topics.TripScheduleEnded));
    }

    [Fact]
    public async Task A_claim_left_by_a_stopped_look_books_its_quote_or_quotes_again_once_it_expired()
    {
        var commute = await CommuteAsync();
        _clock.SetUtcNow(commute.BookAt);
        // A look quoted and claimed, then stopped before booking.
        var firstQuote = Guid.NewGuid().ToString("N");
        await _repository.RideSchedules.UpdateAsync(commute.Id, s => s.Claim(firstQuote, commute.BookAt), ct: Ct);

        // Its quote does not exist (or expired) and no trip was booked with it: quoted again and booked.
        _clock.SetUtcNow(commute.BookAt.AddMinutes(1));
        await Replica().BookNextAsync(commute.Id, Ct);
        var booked = Assert.Single(await BookedForLaterAsync("r1"));
        Assert.NotEqual("t" + firstQuote, booked.Id);
        Assert.Equal(booked.Id, (await _repository.RideSchedules.GetAsync(commute.Id, Ct))!.Document.LastBooking!.TripId);
    }

    [Fact]
    public async Task An_occurrence_found_too_late_is_skipped_and_a_paused_schedule_books_nothing()
    {
        var commute = await CommuteAsync();
        _clock.SetUtcNow(commute.NextPickupAt.AddMinutes(-20)); // trips was down all Sunday
        await Replica().BookDueAsync(50, Ct);
        Assert.Empty(await BookedForLaterAsync("r1"));
        var stored = (await _repository.RideSchedules.GetAsync(commute.Id, Ct))!.Document;
        Assert.Equal(commute.NextPickupAt.AddDays(1), stored.NextPickupAt);

        await Replica().PauseAsync("r1", commute.Id, Ct);
        _clock.SetUtcNow(stored.BookAt.AddMinutes(1));
        Assert.Equal(0, await Replica().BookDueAsync(50, Ct));
        Assert.Empty(await BookedForLaterAsync("r1"));

        var resumed = await Replica().ResumeAsync("r1", commute.Id, Ct);
        Assert.Equal(stored.NextPickupAt, resumed.NextPickupAt); // still 30 minutes or more ahead
        await Replica().BookDueAsync(50, Ct);
        Assert.Single(await BookedForLaterAsync("r1"));
    }

    [Fact]
    public async Task A_rider_sees_and_changes_only_their_own_and_at_most_five()
    {
        var commute = await CommuteAsync();
        await Assert.ThrowsAsync<TripNotFoundException>(() => Replica().PauseAsync("r2", commute.Id, Ct));
        await Assert.ThrowsAsync<TripNotFoundException>(() => Replica().DeleteAsync("r2", commute.Id, Ct));
        Assert.Empty(await Replica().OfRiderAsync("r2", Ct));

        for (var i = 0; i < 4; i++) await CommuteAsync();
        var sixth = await Assert.ThrowsAsync<TripRuleException>(() => CommuteAsync());
        Assert.Contains("5 repeating rides", sixth.Message);
        // A card the rider cannot pay with is refused when the schedule is made.
        await Assert.ThrowsAsync<TripRuleException>(() => CommuteAsync("r3", "card_stolen"));

        await Replica().DeleteAsync("r1", commute.Id, Ct);
        Assert.Equal(4, (await Replica().OfRiderAsync("r1", Ct)).Count);
        Assert.Equal(4, await Replica().DeleteAllAsync("r1", Ct));
        Assert.Empty(await Replica().OfRiderAsync("r1", Ct));
    }

    [Fact]
    public async Task A_business_schedule_books_business_rides_and_a_skipped_ride_is_not_booked()
    {
        var work = await Replica().CreateAsync("r1", Weekdays, new TimeOnly(8, 15), "Europe/Berlin", Home, Office, "Home", "Office", "economy", null, null,
            false, RideProfile.Of("business", "Client visits"), false, Ct);
        var monday = work.NextPickupAt;
        var skipped = await Replica().SkipAsync("r1", work.Id, monday, Ct);
        Assert.Equal(monday.AddDays(1), skipped.NextPickupAt);
        await Assert.ThrowsAsync<TripNotFoundException>(() => Replica().SkipAsync("r2", work.Id, skipped.NextPickupAt, Ct));
        await Assert.ThrowsAsync<RideScheduleClosedException>(() => Replica().SkipAsync("r1", work.Id, monday, Ct));

        _clock.SetUtcNow(work.BookAt.AddSeconds(5)); // when Monday's would have been booked
        Assert.Equal(0, await Replica().BookDueAsync(50, Ct));
        Assert.Empty(await BookedForLaterAsync("r1"));

        _clock.SetUtcNow(skipped.BookAt.AddSeconds(5));
        Assert.Equal(1, await Replica().BookDueAsync(50, Ct));
        var tuesday = Assert.Single(await BookedForLaterAsync("r1"));
        Assert.Equal((monday.AddDays(1), new RideProfile(RideProfile.Business, "Client visits")), (tuesday.ScheduledFor, tuesday.Profile));
    }
}
