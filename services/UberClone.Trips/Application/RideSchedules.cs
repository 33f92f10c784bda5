using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Application;

/// <summary>
/// Repeating rides (ADR 0043): riders set, pause, resume and delete their schedules; <see cref="BookDueAsync"/> books
/// each occurrence as an ordinary ride for later when it comes due, once whichever replica finds it.
/// </summary>
public sealed class RideSchedules(
    TripRepository repository, TripsApplication trips, IFareHolds holds, IOptions<RideScheduleRules> rules, IOptions<TripRules> tripRules,
    IOptions<PricingOptions> pricing, TimeProvider clock, ILogger<RideSchedules> logger)
{
    public async Task<RideSchedule> CreateAsync(string riderId, IReadOnlyList<DayOfWeek> days, TimeOnly pickupTime, string timeZone,
        GeoPoint pickup, GeoPoint dropoff, string? pickupLabel, string? dropoffLabel, string vehicleClass, string? cardId, string? pickupNote,
        bool withPet, RideProfile profile, bool wheelchairAccessible, CancellationToken ct, DateOnly? endsOn = null)
    {
        var now = clock.GetUtcNow();
        var schedule = RideSchedule.Create(Guid.CreateVersion7().ToString("N"), riderId, days, pickupTime, timeZone, pickup, dropoff,
            pickupLabel, dropoffLabel, vehicleClass, cardId, pickupNote, withPet, profile, rules.Value, tripRules.Value, now, endsOn) with { WheelchairAccessible = wheelchairAccessible };
        var prices = pricing.Value.At(pickup)
            ?? throw new TripRuleException("UberClone does not run at this pickup yet: rides are available only in the cities it serves.");
        if (withPet && prices.PetFeeMinor <= 0) throw new TripRuleException(Trip.PetsNotTaken);
        if (wheelchairAccessible && !prices.WheelchairAccessible) throw new TripRuleException(Trip.WheelchairNotOffered);
        if (!prices.Tariffs.ContainsKey(vehicleClass)) throw new TripRuleException($"There is no {vehicleClass} at this pickup.");
        if ((await OfRiderAsync(riderId, ct)).Count >= rules.Value.MaxPerRider)
        {
            throw new TripRuleException($"You already have {rules.Value.MaxPerRider} repeating rides; delete one to add another.");
        }
        // Each ride checks it again when booked; a card the rider cannot pay with is refused now, while they can choose.
        if (cardId is not null) await holds.CheckCardAsync(riderId, cardId, ct);
        await repository.RideSchedules.InsertAsync(schedule.Id, schedule, ct: ct);
        return schedule;
    }

    /// <summary>The rider's schedules, oldest first.</summary>
    public async Task<IReadOnlyList<RideSchedule>> OfRiderAsync(string riderId, CancellationToken ct) =>
        (await repository.RideSchedules.QueryAsync(RideSchedule.RiderField, riderId, rules.Value.MaxPerRider * 4, ct))
            .Select(s => s.Document).OrderBy(s => s.CreatedAt).ToList();

    public Task<RideSchedule> PauseAsync(string riderId, string scheduleId, CancellationToken ct) => ChangeAsync(riderId, scheduleId, s => s.Pause(), ct);

    public Task<RideSchedule> ResumeAsync(string riderId, string scheduleId, CancellationToken ct) =>
        ChangeAsync(riderId, scheduleId, s => s.Resume(rules.Value, tripRules.Value, clock.GetUtcNow()), ct);

    /// <summary>Skips the occurrence at <paramref name="pickupAt"/>, the schedule's next one (a holiday): the one after it is booked instead.</summary>
    public Task<RideSchedule> SkipAsync(string riderId, string scheduleId, DateTimeOffset pickupAt, CancellationToken ct) =>
        ChangeAsync(riderId, scheduleId, s => s.Skip(pickupAt, rules.Value), ct);

    /// <summary>Sets or clears the last day the schedule books a ride for (<see cref="RideSchedule.EndOn"/>).</summary>
    public Task<RideSchedule> SetEndAsync(string riderId, string scheduleId, DateOnly? endsOn, CancellationToken ct) =>
        ChangeAsync(riderId, scheduleId, s => s.EndOn(endsOn, clock.GetUtcNow()), ct);

    /// <summary>
    /// The rides the schedule booked, or is booking right now, for after its end (an end moved earlier than them): they
    /// stay booked, and the rider is told which, to cancel them under "Booked for later" if they wish. A ride cancelled
    /// (or under way) meanwhile is not named. Soonest first.
    /// </summary>
    public async Task<IReadOnlyList<ScheduledBooking>> BookedPastEndAsync(RideSchedule schedule, CancellationToken ct)
    {
        var rides = new List<ScheduledBooking>();
        if (schedule.BookedPastEnd is { TripId: { } tripId } booked
            && (await repository.Trips.GetAsync(tripId, ct))?.Document.Status == TripStatus.Scheduled)
        {
            rides.Add(booked);
        }
        if (schedule.PendingPastEnd is { } pending) rides.Add(new ScheduledBooking(pending.PickupAt, TripIdOf(pending.QuoteId), null, pending.ClaimedAt));
        return rides.OrderBy(r => r.PickupAt).ToList();
    }

    /// <summary>Deletes the schedule; the rides it booked stay booked (the rider cancels them one by one).</summary>
    public async Task DeleteAsync(string riderId, string scheduleId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stored = await repository.RideSchedules.GetAsync(scheduleId, ct);
            if (stored?.Document.RiderId != riderId) throw new TripNotFoundException($"Repeating ride {scheduleId} was not found.");
            try
            {
                await repository.RideSchedules.DeleteAsync(scheduleId, stored.Version, ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 5)
            {
                // Booked or changed meanwhile: read it again.
            }
        }
    }

    /// <summary>The rider's account is closing or gone: every schedule of theirs goes. Safe to repeat.</summary>
    public async Task<int> DeleteAllAsync(string riderId, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var schedule in await OfRiderAsync(riderId, ct))
        {
            try
            {
                await DeleteAsync(riderId, schedule.Id, ct);
                deleted++;
            }
            catch (TripNotFoundException)
            {
                // Gone meanwhile.
            }
        }
        return deleted;
    }

    private async Task<RideSchedule> ChangeAsync(string riderId, string scheduleId, Func<RideSchedule, RideSchedule> change, CancellationToken ct)
    {
        var stored = await repository.RideSchedules.GetAsync(scheduleId, ct);
        if (stored?.Document.RiderId != riderId) throw new TripNotFoundException($"Repeating ride {scheduleId} was not found.");
        return (await repository.RideSchedules.UpdateAsync(scheduleId, change, ct: ct))
            ?? throw new TripNotFoundException($"Repeating ride {scheduleId} was not found.");
    }

    /// <summary>
    /// Books the occurrences that came due, up to <paramref name="limit"/> schedules: how many it handled (one that failed
    /// for a reason other than a refusal stays due, and is not counted, so a look does not spin on it).
    /// </summary>
    public async Task<int> BookDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.RideSchedules.QueryUpToAsync(RideSchedule.BookAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        var handled = 0;
        foreach (var schedule in due.Select(d => d.Document))
        {
            try
            {
                await BookNextAsync(schedule.Id, ct);
                handled++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not a refusal (payments or storage did not answer): left due, tried again at the next look.
                logger.LogWarning(ex, "Booking the next ride of schedule {ScheduleId} failed; trying again at the next look", schedule.Id);
            }
        }
        return handled;
    }

    /// <summary>
    /// Books the schedule's next occurrence: claims it with a quote in a versioned write, books that quote (the trip id
    /// derives from the quote's, so a second replica or a retry books the same trip), then records the result and moves on.
    /// </summary>
    public async Task BookNextAsync(string scheduleId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var schedule = (await repository.RideSchedules.GetAsync(scheduleId, ct))?.Document;
        if (schedule is null || !schedule.IsDue(now)) return;
        if (!schedule.CanStillBook(tripRules.Value, now))
        {
            var skipped = schedule.NextPickupAt;
            await repository.RideSchedules.UpdateAsync(scheduleId, s => s.NextPickupAt == skipped ? s.SkipMissed(rules.Value, tripRules.Value, now) : s, ct: ct);
            logger.LogWarning("Schedule {ScheduleId}'s ride at {PickupAt} was found too late to book; skipped", scheduleId, skipped);
            return;
        }

        var pending = schedule.Pending;
        if (pending is not null && !await CanStillBookAsync(pending, now, ct))
        {
            // Claimed by a look that stopped before booking, and its quote expired unbooked: quote again.
            schedule = await repository.RideSchedules.UpdateAsync(scheduleId, s => s.Unclaim(pending.QuoteId), ct: ct);
            pending = schedule?.Pending;
        }
        if (schedule is null) return;
        if (pending is null)
        {
            string? refusal = null;
            Quote? quote = null;
            try
            {
                quote = await trips.QuoteAsync(schedule.RiderId, schedule.Pickup, schedule.Dropoff, ct);
            }
            catch (TripRuleException ex)
            {
                refusal = ex.Message;
            }
            if (quote is null)
            {
                await RecordAsync(schedule, schedule.NextPickupAt, tripId: null, refusal!, now, ct);
                return;
            }
            schedule = await repository.RideSchedules.UpdateAsync(scheduleId, s => s.Claim(quote.Id, now), ct: ct);
            pending = schedule?.Pending;
            if (schedule is null || pending is null) return; // deleted or paused meanwhile
        }

        string? booked = null, refused = null;
        try
        {
            var trip = await trips.BookAsync(schedule.RiderId, pending.QuoteId, schedule.VehicleClass, pending.PickupAt, schedule.CardId,
                schedule.PickupNote, passenger: null, schedule.Profile, schedule.WithPet, payInCash: false,
                schedule.WheelchairAccessible, ct);
            booked = trip.Id;
        }
        // A restricted rider's repeating ride is refused like any of their bookings (ADR 0056), saying why.
        catch (Exception ex) when (ex is TripRuleException or TripNotFoundException or CardDeclinedException or CardAuthenticationRequiredException or RiderRatingTooLowException)
        {
            refused = ex.Message;
        }
        await RecordAsync(schedule, pending.PickupAt, booked, refused, now, ct);
    }

    /// <summary>Whether the claimed quote still books: its trip exists already (booking it again returns it), or it has not expired.</summary>
    private async Task<bool> CanStillBookAsync(PendingBooking pending, DateTimeOffset now, CancellationToken ct) =>
        await repository.Trips.GetAsync(TripIdOf(pending.QuoteId), ct) is not null
        || (await repository.Quotes.GetAsync(pending.QuoteId, ct))?.Document is { } quote && !quote.IsExpired(now);

    private static string TripIdOf(string quoteId) => "t" + quoteId;

    /// <summary>
    /// Records how the occurrence went and moves to the next; a refusal, or the last ride before the schedule's end, is
    /// mailed in the same write (once: only the write that records it says so).
    /// </summary>
    private async Task RecordAsync(RideSchedule schedule, DateTimeOffset pickupAt, string? tripId, string? refusal, DateTimeOffset now, CancellationToken ct)
    {
        var recorded = false;
        await repository.RideSchedules.UpdateAsync(schedule.Id, s =>
        {
            var next = s.Booked(pickupAt, tripId, refusal, rules.Value, now);
            recorded = !ReferenceEquals(next, s);
            return next;
        }, s => !recorded ? []
            : refusal is not null
            ? [OutboxMessages.Create(Topics.TripScheduleRefused, s.RiderId, new TripScheduleRefusedIntegrationEvent(
                s.Id, s.RiderId, pickupAt, refusal, s.Paused || s.Ended ? null : s.NextPickupAt, s.TimeZone, s.PickupLabel, s.DropoffLabel, now))]
            : s.LastRide is { TripId: { } last } && s.LastRide.PickupAt == pickupAt
            ? [OutboxMessages.Create(Topics.TripScheduleEnded, s.RiderId, new TripScheduleEndedIntegrationEvent(
                s.Id, s.RiderId, last, pickupAt, s.EndsOn!.Value, s.TimeZone, s.PickupLabel, s.DropoffLabel, now))]
            : [], ct);
        if (recorded && refusal is not null) logger.LogInformation("Schedule {ScheduleId}'s ride at {PickupAt} was not booked: {Refusal}", schedule.Id, pickupAt, refusal);
    }
}

/// <summary>
/// Books repeating rides' occurrences when they come due (<see cref="RideSchedules.BookDueAsync"/>), looking every
/// <c>RideSchedules:PollInterval</c> from an index, on every replica.
/// </summary>
public sealed class RideScheduleBooker(IServiceScopeFactory scopes, IOptions<RideScheduleRules> rules, ILogger<RideScheduleBooker> logger) : DuePoller(scopes, logger)
{
    protected override TimeSpan Interval => rules.Value.PollInterval;

    protected override string What => "repeating rides to book";

    protected override Task<int> LookAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<RideSchedules>().BookDueAsync(BatchSize, ct);
}
