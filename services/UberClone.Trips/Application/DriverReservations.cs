using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// Drivers reserve rides booked for later (ADR 0047): the listing of open rides near a driver, reserving one (a versioned
/// write of the trip: first come), releasing it, and what the rider and the driver are told, written with each change.
/// </summary>
public sealed class DriverReservations(
    TripRepository repository, IOptions<ReservationRules> rules, IOptions<TripRules> tripRules, IDriverLookup drivers, TimeProvider clock)
{
    /// <summary>The most open rides read from the index per cell near the driver (the soonest first), before distance and suitability.</summary>
    private const int OpenRidesRead = 500;

    public const string NoPosition = "lat and lng are required: your position is not known yet (go online, or say where to look from).";

    /// <summary>
    /// Open rides near <paramref name="near"/> (null: the driver's last known position) of <paramref name="classes"/>
    /// (the driver's permit now) that suit the driver's car and settings, as the drivers service knows them.
    /// </summary>
    public async Task<IReadOnlyList<Trip>> ListAsync(string driverId, IReadOnlyCollection<string> classes, GeoPoint? near, string order, int limit, CancellationToken ct)
    {
        var driver = await drivers.FindAsync(driverId, ct);
        var from = near ?? driver?.LastPosition ?? throw new TripRuleException(NoPosition);
        var now = clock.GetUtcNow();
        var until = now + tripRules.Value.MaxScheduleAhead;
        // The cells the driver's radius touches, the soonest rides of each: a busy city elsewhere does not hide these.
        var open = new List<Trip>();
        foreach (var cell in ReservableCells.Around(from, rules.Value.RadiusMeters))
        {
            var (min, max) = ReservableCells.Range(cell, now, until);
            open.AddRange((await repository.Trips.QueryBetweenAsync(Trip.ReservableCellAtField, min, max, OpenRidesRead, ct)).Select(t => t.Document));
        }
        // Rides booked before the cell index existed carry no cell key until they are written again: they are found as
        // before, among the soonest open rides anywhere, until they have all passed (TripRules.MaxScheduleAhead later).
        open.AddRange((await repository.Trips.QueryBetweenAsync(Trip.ReservableAtField, now.ToUnixTimeMilliseconds(), until.ToUnixTimeMilliseconds(),
            OpenRidesRead, ct)).Select(t => t.Document));
        return ReservableRides.For(open.DistinctBy(t => t.Id), driverId, from, classes, driver?.Suits ?? DriverSuitability.Default, rules.Value, order, limit, now);
    }

    /// <summary>The rides the driver reserved that wait for their time, soonest first.</summary>
    public async Task<IReadOnlyList<Trip>> MineAsync(string driverId, CancellationToken ct) =>
        (await repository.Trips.QueryAsync(Trip.ReservedByField, driverId, 100, ct)).Select(t => t.Document)
            .Where(t => t.ReservedBy == driverId).OrderBy(t => t.ScheduledFor).ToList();

    /// <summary>
    /// The driver reserves the ride (<see cref="Trip.ReserveForDriver"/>), if their permit covers its class and their car
    /// suits it; trip.event.reserved goes with the write. Two drivers at once: the versioned write lets one win.
    /// </summary>
    public async Task<Trip> ReserveAsync(string driverId, IReadOnlyCollection<string> classes, string tripId, CancellationToken ct)
    {
        var ride = (await repository.Trips.GetAsync(tripId, ct))?.Document ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        if (!classes.Contains(ride.VehicleClass)) throw new TripRuleException($"You are not approved to drive {ride.VehicleClass} rides now.");
        if (ride.Reservation?.DriverId != driverId && !((await drivers.FindAsync(driverId, ct))?.Suits ?? DriverSuitability.Default).Takes(ride))
        {
            throw new TripRuleException("This ride needs what your car or settings do not take (a pet, cash or a wheelchair-accessible vehicle).");
        }
        var now = clock.GetUtcNow();
        var (mine, claimed) = await ClaimAsync(driverId, ride, now, ct);
        try
        {
            return await repository.Trips.UpdateAsync(tripId, t => t.ReserveForDriver(driverId, mine, rules.Value, now),
                    t => [OutboxMessages.Create(Topics.TripReserved, t.Id, new TripReservedIntegrationEvent(t.Id, t.RiderId, driverId, t.ScheduledFor!.Value, now))], ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        catch when (claimed)
        {
            await GiveBackAsync(driverId, tripId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Claims <paramref name="ride"/> in the driver's ledger (<see cref="DriverReservationLedger"/>): the limits are checked
    /// against their live claims and the claim written in one versioned write, so two reservations at once cannot both
    /// pass them; the one whose write lost reads the ledger again and decides anew.
    /// </summary>
    /// <returns>The rides the driver holds now, and whether this call wrote the claim (false: it was there already).</returns>
    private async Task<(IReadOnlyList<Trip> Mine, bool Claimed)> ClaimAsync(string driverId, Trip ride, DateTimeOffset now, CancellationToken ct)
    {
        if (ride.ScheduledFor is not { } pickupAt) return (await MineAsync(driverId, ct), false); // ReserveForDriver refuses it
        while (true)
        {
            var stored = await repository.ReservationLedgers.GetAsync(driverId, ct);
            var ledger = stored?.Document ?? DriverReservationLedger.For(driverId);
            var mine = await MineAsync(driverId, ct);
            Dictionary<string, Trip> trips = ledger.Claims.Count == 0 ? [] : (await repository.Trips.GetManyAsync([.. ledger.Claims.Select(c => c.TripId)], ct)).ToDictionary(t => t.Id, t => t.Document);
            var live = ledger.Live(trips, mine, now);
            var next = live.Claim(ride.Id, pickupAt, rules.Value, now);
            if (ReferenceEquals(next, ledger)) return (mine, false);
            try
            {
                if (stored is null) await repository.ReservationLedgers.InsertAsync(driverId, next, ct: ct);
                else await repository.ReservationLedgers.ReplaceAsync(driverId, next, stored.Version, ct: ct);
                return (mine, next.Claims.Count > live.Claims.Count);
            }
            catch (Exception ex) when (ex is DuplicateDocumentException or ConcurrencyConflictException)
            {
                // Another reservation of this driver claimed first: decide again on what it claimed.
            }
        }
    }

    /// <summary>What the driver's strikes say now (ADR 0050): until when their reserving is paused and why (null: not), and their recent strikes.</summary>
    public async Task<ReservingStanding> StandingAsync(string driverId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var strikes = new ReservationStrikes((await repository.ReservationLedgers.GetAsync(driverId, ct))?.Document.Strikes ?? [], rules.Value);
        var until = strikes.Pause(now);
        return new ReservingStanding(until, until is { } at ? strikes.PausedMessage(at, now) : null, strikes.Recent(now));
    }

    /// <summary>
    /// Support removes the driver's strike for <paramref name="tripId"/> (<see cref="DriverReservationLedger.WithoutStrike"/>):
    /// kept as removed, by <paramref name="operatorId"/> for <paramref name="reason"/>; a pause it made lifts at once when the
    /// strikes left are under the limit. The driver is told (trip.event.reservation_strike_removed) in the same write.
    /// Removed already: nothing changes, nothing is sent again. No such strike: <see cref="ReservationStrikeNotFoundException"/>.
    /// </summary>
    public async Task<ReservingStanding> RemoveStrikeAsync(string driverId, string tripId, string operatorId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var updated = await repository.ReservationLedgers.UpdateAsync(driverId, l => l.WithoutStrike(tripId, operatorId, reason, now), l =>
            {
                var removed = l.Strikes!.First(s => s.TripId == tripId);
                return [OutboxMessages.Create(Topics.TripReservationStrikeRemoved, driverId, new TripReservationStrikeRemovedIntegrationEvent(
                    driverId, tripId, removed.Why, removed.At, now, new ReservationStrikes(l.Strikes!, rules.Value).Pause(now)))];
            }, ct);
        if (updated is null) throw new ReservationStrikeNotFoundException($"Driver {driverId} has no strike for trip {tripId}.");
        return await StandingAsync(driverId, ct);
    }

    /// <summary>
    /// The strikes <paramref name="trip"/> gives the drivers who reserved it (<see cref="ReservationStrike.For"/>), written to
    /// their ledgers, once per ride whatever writes it again (a redelivered message, a repeated request).
    /// </summary>
    public static async Task RecordStrikesAsync(TripRepository repository, Trip trip, ReservationRules rules, CancellationToken ct)
    {
        foreach (var driverId in trip.DriverReservations.Select(r => r.DriverId).Distinct())
        {
            if (ReservationStrike.For(trip, driverId, rules) is not { } strike) continue;
            while (true)
            {
                try
                {
                    if (await repository.ReservationLedgers.UpdateAsync(driverId, l => l.With(strike), ct: ct) is null)
                    {
                        await repository.ReservationLedgers.InsertAsync(driverId, DriverReservationLedger.For(driverId).With(strike), ct: ct);
                    }
                    break;
                }
                catch (DuplicateDocumentException)
                {
                    // The driver's first claim came in between: add the strike to it.
                }
            }
        }
    }

    /// <summary>A claim whose trip write lost (another driver first, the ride no longer waits) is taken back at once.</summary>
    private async Task GiveBackAsync(string driverId, string tripId, CancellationToken ct) =>
        await repository.ReservationLedgers.UpdateAsync(driverId, l => l.Without(tripId), ct: ct);

    /// <summary>
    /// The driver (<see cref="Trip.ReleaseByDriver"/>) or support (<paramref name="driverId"/> null) releases the ride's
    /// reservation; the driver releasing it within <see cref="ReservationRules.LateReleaseWindow"/> of the pickup earns a strike.
    /// </summary>
    public async Task<Trip> ReleaseAsync(string? driverId, string tripId, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            var trip = await repository.Trips.UpdateAsync(tripId,
                    t => driverId is null ? t.ReleaseBySupport(reason!, now) : t.ReleaseByDriver(driverId, rules.Value, now), t => [.. Told(t, now)], ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
            if (driverId is not null) await RecordStrikesAsync(repository, trip, rules.Value, ct);
            return trip;
        }
        catch (TripNotYoursException ex)
        {
            throw new TripNotFoundException(ex.Message);
        }
    }

    /// <summary>
    /// Reminds drivers of their reserved rides whose reminder time came (at most <paramref name="limit"/>; ADR 0050):
    /// trip.event.reservation_driver_reminder, written with the reservation's <see cref="DriverReservation.RemindedAt"/>, so
    /// each is reminded once whichever replica finds it, and not at all once released or cancelled. Returns how many were looked at.
    /// </summary>
    public async Task<int> RemindDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.DriverRemindAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var ride in due.Select(d => d.Document))
        {
            await repository.Trips.UpdateAsync(ride.Id, t => t.RemindDriver(now), t => [OutboxMessages.Create(Topics.TripReservationDriverReminder, t.Id,
                new TripReservationDriverReminderIntegrationEvent(t.Id, t.RiderId, t.Reservation!.DriverId, t.VehicleClass, ReservableRides.Area(t.Pickup),
                    t.ScheduledFor!.Value, t.DispatchAt!.Value, now, t.Passenger?.Name))], ct);
        }
        return due.Count;
    }

    /// <summary>
    /// What the reserving driver and the rider are told of a change of <paramref name="trip"/> made at <paramref name="now"/>:
    /// its reservation released then (by the driver, support, or the rider moving the ride), or the ride cancelled while
    /// reserved. Nothing otherwise. For every write that can end a reservation, in the same write.
    /// </summary>
    public static IEnumerable<OutboxMessage> Told(Trip trip, DateTimeOffset now)
    {
        if (trip.ScheduledFor is not { } pickupAt || trip.DriverReservations.Count == 0) yield break;
        var last = trip.DriverReservations[^1];
        var cancelledNow = trip.Status == TripStatus.Cancelled && trip.Cancellation is { } c && c.At == now;
        if (cancelledNow && (last.IsHeld || last.ReleasedAt == now))
        {
            yield return Released(trip, last.DriverId, trip.Cancellation!.By, trip.Cancellation.Reason, pickupAt, now, cancelled: true);
        }
        else if (last.ReleasedAt == now)
        {
            yield return Released(trip, last.DriverId, last.ReleasedBy!, last.ReleaseReason ?? "", pickupAt, now, cancelled: false);
        }
    }

    private static OutboxMessage Released(Trip trip, string driverId, string by, string reason, DateTimeOffset pickupAt, DateTimeOffset now, bool cancelled) =>
        OutboxMessages.Create(Topics.TripReservationReleased, trip.Id,
            new TripReservationReleasedIntegrationEvent(trip.Id, trip.RiderId, driverId, by, reason, pickupAt, now, cancelled));
}

/// <summary>A driver's reserving now (ADR 0050): paused until when and why (null: not paused), and their strikes in the window.</summary>
public sealed record ReservingStanding(DateTimeOffset? PausedUntil, string? PausedReason, IReadOnlyList<ReservationStrike> Strikes);
