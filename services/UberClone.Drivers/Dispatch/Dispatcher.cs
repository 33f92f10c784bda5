using System.Diagnostics;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Dispatch;

/// <summary>
/// Finds a driver for a trip: nearest available drivers of the class with a fresh position, one offer at a
/// time with a deadline, decliners and timeouts excluded, radius widening, and no_drivers_found at the end.
/// The dispatch record is written before the driver is reserved, so a trip never has two live offers.
/// </summary>
public sealed class Dispatcher(
    DriverRepository repository, DriverRegistry registry, IOptions<DispatchOptions> options,
    TimeProvider clock, KeyedLock locks, DriversMetrics metrics, WaitingSearches waiting, ILogger<Dispatcher> logger,
    PartitionOwnership? ownership = null, AirportQueues? airports = null)
{
    /// <summary>What the driver's screen says when an offer they did not answer is taken back.</summary>
    public const string OfferExpiredReason = "The offer expired before you answered; it goes to another driver.";

    private DispatchOptions Options => options.Value;

    public Task StartAsync(TripCreatedIntegrationEvent trip, CancellationToken ct) => StartAsync(trip, partition: null, ct);

    /// <param name="partition">The trip.event.created partition it came from: its holder runs the search's timers.</param>
    public async Task StartAsync(TripCreatedIntegrationEvent trip, int? partition, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dispatch = new TripDispatch
        {
            Id = trip.TripId,
            RiderId = trip.RiderId,
            VehicleClass = trip.VehicleClass,
            Pickup = trip.Pickup,
            Dropoff = trip.Dropoff,
            Stops = trip.Stops ?? [],
            PassengerName = trip.PassengerName,
            PickupNote = trip.PickupNote,
            WithPet = trip.WithPet,
            PayInCash = trip.PayInCash,
            WheelchairAccessible = trip.WheelchairAccessible,
            Preferences = trip.Preferences,
            FareMinor = trip.FareMinor,
            Currency = trip.Currency,
            DistanceMeters = trip.DistanceMeters,
            DurationSeconds = trip.DurationSeconds,
            RiderRatingAverage = trip.RiderRatingAverage,
            RiderRatingCount = trip.RiderRatingCount,
            // A rider and a driver who gave each other's pairing one star are never matched again.
            ExcludedDrivers = trip.AvoidDriverIds ?? [],
            ReservedDriverId = trip.ReservedDriverId,
            ScheduledFor = trip.ScheduledFor,
            Status = DispatchStatus.Searching,
            StartedAt = now,
            GiveUpAt = now + Options.SearchTimeout,
            // This handler tries at once, below; the sweeper only steps in if that never happened (a crash).
            NextAttemptAt = now + Options.RetryInterval,
            TraceParent = Activity.Current?.Id,
            Partition = partition,
        };
        try
        {
            await repository.Dispatches.InsertAsync(dispatch.Id, dispatch, ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            // Redelivered trip.event.created: the search already exists and goes on from where it is.
        }
        await OfferNextAsync(trip.TripId, ct);
    }

    public Task OfferNextAsync(string tripId, CancellationToken ct) => OfferNextAsync(tripId, woken: false, ct);

    /// <summary>
    /// A driver who became available woke this waiting search (<see cref="WaitingSearches"/>): it looks again at once,
    /// in the radius it waits with. Finding nobody (the driver was taken meanwhile) changes nothing: the search waits
    /// for its timer as before, its radius not widened by the extra look.
    /// </summary>
    public Task WakeAsync(string tripId, CancellationToken ct)
    {
        metrics.SearchWoken();
        return OfferNextAsync(tripId, woken: true, ct);
    }

    private async Task OfferNextAsync(string tripId, bool woken, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(tripId, ct);
        var dispatch = (await repository.Dispatches.GetAsync(tripId, ct))?.Document;
        if (dispatch is null || dispatch.Status != DispatchStatus.Searching)
        {
            waiting.Remove(tripId);
            return;
        }
        using var activity = woken ? ContinueTrace("dispatch woken by a driver", dispatch) : null;

        var now = clock.GetUtcNow();
        if (now >= dispatch.GiveUpAt)
        {
            waiting.Remove(tripId);
            await GiveUpAsync(dispatch, ct);
            return;
        }

        // Waiting before it looks, so a driver who becomes available while it looks still wakes it. With the radius
        // and until the time of its next attempt should it find nobody now.
        waiting.Wait(dispatch, Options.RadiusFor(woken ? dispatch.EmptySearches : dispatch.EmptySearches + 1),
            woken ? dispatch.NextAttemptAt : now + Options.RetryInterval);
        var waits = false;
        try
        {
            foreach (var candidate in FindCandidates(dispatch, now))
            {
                if (await TryOfferAsync(dispatch, candidate, now, ct)) return;
            }
            if (woken)
            {
                metrics.SearchWokenInVain();
            }
            else
            {
                await repository.Dispatches.UpdateAsync(tripId,
                    d => d.Status == DispatchStatus.Searching ? d.RetryLater(now + Options.RetryInterval) : d, ct: ct);
            }
            waits = true;
        }
        finally
        {
            if (!waits) waiting.Remove(tripId);
        }
    }

    /// <summary>
    /// Whom to offer the trip, in order: at an airport's pickup area, the drivers waiting in its queue, first come, first
    /// served (ADR 0036); then, and everywhere else, the nearest. A driver waiting in a queue is kept for its airport's
    /// trips and never offered another while they wait. A driver whose record this replica does not hold is offered only
    /// what <see cref="RideNeeds.TakenByDriversNotOnRecord"/> allows.
    /// </summary>
    private IEnumerable<string> FindCandidates(TripDispatch dispatch, DateTimeOffset now)
    {
        var excluded = dispatch.ExcludedDrivers.ToHashSet();
        if (ReservedDriverFirst(dispatch, excluded, now) is { } reserved) return [reserved];
        var queued = airports?.Serving(dispatch.Pickup) is { } queue ? QueuedCandidates(queue, dispatch, excluded, now) : [];
        var hits = registry.PositionsOf(dispatch.VehicleClass).Nearest(dispatch.Pickup, Options.CandidatesPerSearch, Options.RadiusFor(dispatch.EmptySearches), entry =>
            !excluded.Contains(entry.DriverId) && NearbySupply.IsOfferable(registry, entry, dispatch.VehicleClass, now, Options.LocationFreshness)
            && (registry.Get(entry.DriverId) is not { } driver ? dispatch.Needs.TakenByDriversNotOnRecord : driver.QueueId is null && Suits(driver, new GeoPoint(entry.Lat, entry.Lng), dispatch, now)));
        return queued.Concat(hits.Select(h => h.Entry.DriverId));
    }

    /// <summary>
    /// The driver who reserved the ride (ADR 0047), when they can take it now: not excluded (they did not decline or miss
    /// it), available with a fresh position in the ride's class, taking what it needs and with the time for it. Where they
    /// are heading now does not pass them over: they chose this very ride. Null: search as any.
    /// </summary>
    private string? ReservedDriverFirst(TripDispatch dispatch, HashSet<string> excluded, DateTimeOffset now) =>
        dispatch.ReservedDriverId is { } reserved && !excluded.Contains(reserved) && registry.Position(reserved) is { } at
        && NearbySupply.IsOfferable(registry, at, dispatch.VehicleClass, now, Options.LocationFreshness)
        && registry.Get(reserved) is { } driver && driver.Takes(dispatch.Needs) && HasTimeFor(driver, new GeoPoint(at.Lat, at.Lng), dispatch, now)
            ? reserved
            : null;

    /// <summary>The queue's drivers dispatch may offer this trip to, in the queue's order: the same rules as the nearest search's.</summary>
    private List<string> QueuedCandidates(AirportQueue queue, TripDispatch dispatch, HashSet<string> excluded, DateTimeOffset now)
    {
        var candidates = new List<string>();
        foreach (var driver in registry.Queue(queue.Id))
        {
            if (excluded.Contains(driver.Id) || registry.Position(driver.Id) is not { } at
                || !NearbySupply.IsOfferable(registry, at, dispatch.VehicleClass, now, Options.LocationFreshness)
                || !Suits(driver, new GeoPoint(at.Lat, at.Lng), dispatch, now)) continue;
            candidates.Add(driver.Id);
        }
        return candidates;
    }

    /// <summary>
    /// What this driver wants and may still do: they take what the ride needs (<see cref="Driver.Takes(RideNeeds)"/>), a
    /// driver heading somewhere takes only trips towards it, one near the driving limit only trips they can drive to and
    /// finish within it (ADR 0026).
    /// </summary>
    private bool Suits(Driver driver, GeoPoint at, TripDispatch dispatch, DateTimeOffset now) =>
        driver.Takes(dispatch.Needs)
        && driver.Takes(at, dispatch.Dropoff)
        && HasTimeFor(driver, at, dispatch, now);

    /// <summary>Whether the driver, at <paramref name="at"/>, can drive to the pickup and finish the ride within their driving limit (ADR 0026).</summary>
    private bool HasTimeFor(Driver driver, GeoPoint at, TripDispatch dispatch, DateTimeOffset now) =>
        driver.HasTimeFor(TimeSpan.FromSeconds(Options.EtaSeconds(at, dispatch.Pickup) + dispatch.DurationSeconds), now, Options.DrivingLimits);

    private async Task<bool> TryOfferAsync(TripDispatch dispatch, string driverId, DateTimeOffset now, CancellationToken ct)
    {
        var offer = new PendingOffer(Guid.CreateVersion7().ToString("N"), driverId, now + Options.OfferTimeout);
        var recorded = await repository.Dispatches.UpdateAsync(dispatch.Id,
            d => d.Status == DispatchStatus.Searching ? d.OfferTo(offer) : d, ct: ct);
        if (recorded?.Offer?.OfferId != offer.OfferId) return true; // someone else moved this search on

        var pickupMeters = registry.Position(driverId) is { } p ? (int)Math.Round(Contracts.Geo.DistanceMeters(p.Lat, p.Lng, dispatch.Pickup.Lat, dispatch.Pickup.Lng)) : 0;
        var shown = new Offer(offer.OfferId, dispatch.Id, dispatch.RiderId, offer.ExpiresAt, dispatch.Pickup, dispatch.Dropoff)
        {
            VehicleClass = dispatch.VehicleClass,
            FareMinor = dispatch.FareMinor,
            Currency = dispatch.Currency,
            PickupDistanceMeters = pickupMeters,
            TripDistanceMeters = dispatch.DistanceMeters,
            TripDurationSeconds = dispatch.DurationSeconds,
            RiderRatingAverage = dispatch.RiderRatingAverage,
            RiderRatingCount = dispatch.RiderRatingCount,
            Stops = dispatch.Stops.Count > 0 ? dispatch.Stops : null,
            PassengerName = dispatch.PassengerName,
            PickupNote = dispatch.PickupNote,
            WithPet = dispatch.WithPet,
            PayInCash = dispatch.PayInCash,
            WheelchairAccessible = dispatch.WheelchairAccessible,
            Preferences = dispatch.Preferences,
            Reserved = driverId == dispatch.ReservedDriverId,
        };
        try
        {
            // Offered from the airport's queue (ADR 0036): a decline may be within its allowance, and a short trip earns a pass back.
            var queueId = airports?.Serving(dispatch.Pickup)?.Id;
            var driver = await repository.Drivers.UpdateAsync(driverId,
                d => d.OfferTrip(queueId is not null && d.QueueId == queueId ? shown with { QueueId = queueId } : shown, now), _ => [TripRequest(shown, driverId)], ct);
            if (driver is null) throw new DriverTransitionException($"Driver {driverId} no longer exists.");
            registry.Remember(driver);
            metrics.OfferSent();
            logger.LogInformation("Trip {TripId} offered to driver {DriverId} until {ExpiresAt:O}", dispatch.Id, driverId, offer.ExpiresAt);
            return true;
        }
        catch (DriverTransitionException ex)
        {
            logger.LogDebug("Driver {DriverId} could not take trip {TripId}: {Reason}", driverId, dispatch.Id, ex.Message);
            await repository.Dispatches.UpdateAsync(dispatch.Id, d => d.RetractOffer(offer.OfferId, now), ct: ct);
            return false;
        }
    }

    /// <summary>The offer as the driver's app is sent it (driver.cmd.trip_request, forwarded to their socket).</summary>
    private static OutboxMessage TripRequest(Offer offer, string driverId) =>
        OutboxMessages.Create(Topics.DriverTripRequest, driverId, new DriverTripRequestCommand(
            offer.OfferId, offer.TripId, driverId, offer.RiderId, offer.VehicleClass, offer.Pickup!, offer.Dropoff!,
            offer.FareMinor, offer.Currency, offer.PickupDistanceMeters, offer.ExpiresAt, offer.TripDistanceMeters, offer.TripDurationSeconds,
            offer.RiderRatingAverage, offer.RiderRatingCount, offer.Stops, offer.PassengerName, offer.PickupNote, offer.WithPet, offer.PayInCash,
            offer.WheelchairAccessible, offer.Preferences, offer.Reserved));

    /// <summary>
    /// The rider changed their note for the driver (ADR 0031). The search offers it from then on; the driver it is offered
    /// to now is sent the same offer again with it (the same offer id and deadline: their app shows the new note). No
    /// search (a ride booked for later: it starts with the trip's note then), or one that ended: nothing to do here — an
    /// assigned driver's app hears of it from the trip's event itself.
    /// </summary>
    public async Task PickupNoteChangedAsync(TripPickupNoteChangedIntegrationEvent changed, CancellationToken ct)
    {
        PendingOffer? live = null;
        using (await locks.AcquireAsync(changed.TripId, ct))
        {
            var dispatch = await repository.Dispatches.UpdateAsync(changed.TripId, d =>
            {
                live = d.Status == DispatchStatus.Offered ? d.Offer : null;
                return d.WithPickupNote(changed.PickupNote);
            }, ct: ct);
            if (dispatch is null) return;
        }
        if (live is null) return;
        var driver = await repository.Drivers.UpdateAsync(live.DriverId, d => d.OfferNoteChanged(live.OfferId, changed.PickupNote, clock.GetUtcNow()),
            d => [TripRequest(d.Offer!, d.Id)], ct);
        if (driver is not null) registry.Remember(driver);
        logger.LogInformation("Trip {TripId}: the rider's new note goes with its offers", changed.TripId);
    }

    /// <summary>
    /// The rider changed the ride's preferences (ADR 0049), as <see cref="PickupNoteChangedAsync"/> does the note: the
    /// search offers them from then on, and the driver it is offered to now is sent the same offer again with them.
    /// No search, or one that ended: nothing to do here — an assigned driver's app hears of it from the trip's event itself.
    /// </summary>
    public async Task PreferencesChangedAsync(TripPreferencesChangedIntegrationEvent changed, CancellationToken ct)
    {
        PendingOffer? live = null;
        using (await locks.AcquireAsync(changed.TripId, ct))
        {
            var dispatch = await repository.Dispatches.UpdateAsync(changed.TripId, d =>
            {
                live = d.Status == DispatchStatus.Offered ? d.Offer : null;
                return d.WithPreferences(changed.Preferences);
            }, ct: ct);
            if (dispatch is null) return;
        }
        if (live is null) return;
        var driver = await repository.Drivers.UpdateAsync(live.DriverId, d => d.OfferPreferencesChanged(live.OfferId, changed.Preferences, clock.GetUtcNow()),
            d => [TripRequest(d.Offer!, d.Id)], ct);
        if (driver is not null) registry.Remember(driver);
        logger.LogInformation("Trip {TripId}: the rider's new preferences go with its offers", changed.TripId);
    }

    private async Task GiveUpAsync(TripDispatch dispatch, CancellationToken ct)
    {
        await repository.Dispatches.UpdateAsync(dispatch.Id, d => d.IsOpen ? d.GiveUp() : d,
            d => [OutboxMessages.Create(Topics.TripNoDriversFound, d.Id, new TripNoDriversFoundIntegrationEvent(d.Id, d.RiderId, clock.GetUtcNow(), d.ScheduledFor))],
            ct);
        logger.LogInformation("No driver found for trip {TripId}", dispatch.Id);
    }

    /// <summary>The driver accepted (their record already says on_trip with this trip): the search is over.</summary>
    public async Task AcceptedAsync(string tripId, string driverId, CancellationToken ct)
    {
        using var _ = await locks.AcquireAsync(tripId, ct);
        await repository.Dispatches.UpdateAsync(tripId, d => d.Assign(driverId), ct: ct);
    }

    /// <summary>The offer ended without an accept (declined): exclude that driver and offer the next one.</summary>
    public async Task OfferEndedAsync(string tripId, string offerId, CancellationToken ct)
    {
        using (await locks.AcquireAsync(tripId, ct))
        {
            await repository.Dispatches.UpdateAsync(tripId, d => d.OfferEnded(offerId, clock.GetUtcNow()), ct: ct);
        }
        await OfferNextAsync(tripId, ct);
    }

    /// <summary>
    /// The trip was cancelled: the search stops at once, a pending offer is withdrawn (the driver's screen is told)
    /// and a driver already holding the trip is released. Safe to repeat.
    /// </summary>
    public async Task TripCancelledAsync(TripCancelledIntegrationEvent cancelled, CancellationToken ct)
    {
        var drivers = new HashSet<string>();
        if (cancelled.DriverId is { } assigned) drivers.Add(assigned);
        using (await locks.AcquireAsync(cancelled.TripId, ct))
        {
            var dispatch = await repository.Dispatches.UpdateAsync(cancelled.TripId, d =>
            {
                if (d.Offer is { } pending) drivers.Add(pending.DriverId);
                if (d.AssignedDriverId is { } winner) drivers.Add(winner);
                return d.Cancel();
            }, ct: ct);
            if (dispatch is null)
            {
                // Should trip.event.created insert first after all, this throws and the redelivered event cancels that search.
                await repository.Dispatches.InsertAsync(cancelled.TripId,
                    TripDispatch.CancelledBeforeStart(cancelled.TripId, cancelled.RiderId, clock.GetUtcNow()), ct: ct);
            }
        }
        foreach (var driverId in drivers)
        {
            // The driver who cancelled (a rider who did not come) knows why; the others are told who did.
            var reason = cancelled.CancelledBy switch
            {
                Roles.Operator => "Support cancelled the trip.",
                Roles.Driver when driverId == cancelled.DriverId => null,
                _ => "The rider cancelled the trip.",
            };
            await ReleaseAsync(driverId, cancelled.TripId, cancelled.RiderId, reason, ct);
        }
        logger.LogInformation("Trip {TripId} cancelled: search stopped, {Count} driver(s) released", cancelled.TripId, drivers.Count);
    }

    /// <summary>The assigned driver gave the trip up: release them and search again without them.</summary>
    public async Task DriverGaveUpAsync(TripDriverCancelledIntegrationEvent gaveUp, CancellationToken ct)
    {
        await ReleaseAsync(gaveUp.DriverId, gaveUp.TripId, gaveUp.RiderId, reason: null, ct);
        using (await locks.AcquireAsync(gaveUp.TripId, ct))
        {
            await repository.Dispatches.UpdateAsync(gaveUp.TripId, d => d.Reopen(gaveUp.DriverId, clock.GetUtcNow(), Options.SearchTimeout), ct: ct);
        }
        await OfferNextAsync(gaveUp.TripId, ct);
    }

    /// <summary>
    /// The ride is over: the driver is available again. A short trip from an airport queue gives them a pass back to their
    /// place in it (ADR 0036), which their app is told of at once (<c>driver.event.queue_position</c> with the deadline).
    /// </summary>
    public Task TripCompletedAsync(TripCompletedIntegrationEvent completed, CancellationToken ct) =>
        ReleaseAsync(completed.DriverId, completed.TripId, completed.RiderId, reason: null, ct,
            d => airports?.ReturnPassFor(d, completed.TripId, completed.DistanceMeters, completed.CompletedAt));

    /// <summary>
    /// Frees a driver from this trip, whether it is still only offered to them or already theirs. With a reason, a
    /// withdrawn offer or trip is announced to the driver (driver.event.offer_withdrawn). <paramref name="returnPass"/>:
    /// the pass back to an airport queue the trip's end earns (only a completed one).
    /// </summary>
    private async Task ReleaseAsync(string driverId, string tripId, string riderId, string? reason, CancellationToken ct, Func<Driver, QueueReturn?>? returnPass = null)
    {
        var now = clock.GetUtcNow();
        var offerId = "";
        QueueReturn? granted = null;
        var driver = await repository.Drivers.UpdateAsync(driverId,
            d =>
            {
                offerId = d.Offer?.TripId == tripId ? d.Offer.OfferId : "";
                var withdrawn = d.WithdrawOfferOfTrip(tripId, now);
                if (!ReferenceEquals(withdrawn, d)) return withdrawn;
                var released = d.ReleaseFromTrip(tripId, now, returnPass?.Invoke(d));
                granted = ReferenceEquals(released, d) ? null : released.ReturnPass;
                return released;
            },
            d => reason is not null
                ? [OutboxMessages.Create(Topics.DriverOfferWithdrawn, driverId, new DriverOfferWithdrawnIntegrationEvent(offerId, tripId, driverId, riderId, reason, now))]
                : granted is { } pass
                    ? [OutboxMessages.Create(Topics.DriverQueuePosition, driverId, new DriverQueuePositionIntegrationEvent(driverId, pass.QueueId, pass.Name, 0, 0, now, ReturnBy: pass.Until))]
                    : [],
            ct);
        if (driver is not null) registry.Remember(driver);
    }

    /// <summary>What one query of the sweep reads; a sweep reads pages until nothing due is left (or <see cref="MaxSweepPages"/>).</summary>
    public const int SweepPageSize = 200;
    private const int MaxSweepPages = 50;

    /// <summary>
    /// Expires offers past their deadline, retries searches that are due and gives up those past their search deadline.
    /// Runs on a timer. It reads only the searches that are due, most overdue first, however many are open; a step
    /// that fails is logged and put off by a retry interval, so it cannot hold up the ones behind it.
    /// Each replica runs the steps of the searches whose trip.event.created partition it holds (each partition's due
    /// times are a band of their own in the index, <see cref="TripDispatch.PartitionDueAt"/>, so another replica's due
    /// searches never fill this one's pages), those without a partition, and anyone's step once it is
    /// <see cref="DispatchOptions.SweepTakeoverAfter"/> overdue (its holder may be gone). Every replica would otherwise
    /// run every step: the conditional writes keep one outcome, but the others' work (a geo query, a driver reserved and
    /// released again) is wasted. A replica whose consumer has not joined its group yet runs every due step.
    /// </summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var seen = new HashSet<string>();
        if (ownership?.Held(Topics.TripCreated) is not { } held)
        {
            await SweepRangeAsync(TripDispatch.DueField, long.MinValue, nowMs, now, seen, ct);
            return;
        }
        foreach (var partition in held.Prepend(-1)) // -1: the band of searches without a partition
        {
            var band = TripDispatch.PartitionBand(partition);
            await SweepRangeAsync(TripDispatch.PartitionDueField, band, band + nowMs, now, seen, ct);
        }
        // Searches stored by a version without the partition band are in this query only (IndexDueTimesAsync writes
        // them again once at start, but an older replica may still be writing them during an upgrade).
        await SweepRangeAsync(TripDispatch.DueField, long.MinValue, nowMs - (long)Options.SweepTakeoverAfter.TotalMilliseconds, now, seen, ct);
    }

    /// <summary>Steps the searches whose indexed <paramref name="field"/> is in [min, max], page after page.</summary>
    private async Task SweepRangeAsync(string field, long min, long max, DateTimeOffset now, HashSet<string> seen, CancellationToken ct)
    {
        for (var page = 0; page < MaxSweepPages; page++)
        {
            var due = await repository.Dispatches.QueryBetweenAsync(field, min, max, SweepPageSize, ct);
            var stepped = 0;
            foreach (var found in due)
            {
                if (!seen.Add(found.Id)) continue; // still due after its step (it failed, or was put off to now)
                stepped++;
                await StepAsync(found.Document, now, ct);
            }
            if (due.Count < SweepPageSize || stepped == 0) return;
        }
    }

    /// <summary>
    /// Writes again, once, the open searches stored by a version that did not keep <see cref="TripDispatch.DueAt"/> or
    /// <see cref="TripDispatch.PartitionDueAt"/> (the sweeper finds searches by them), so an upgrade leaves no search
    /// without its timers. Returns how many.
    /// </summary>
    public async Task<int> IndexDueTimesAsync(CancellationToken ct)
    {
        var indexed = (await repository.Dispatches.QueryUpToAsync(TripDispatch.DueField, long.MaxValue, int.MaxValue, ct)).Select(d => d.Id).ToHashSet();
        indexed.IntersectWith((await repository.Dispatches.QueryUpToAsync(TripDispatch.PartitionDueField, long.MaxValue, int.MaxValue, ct)).Select(d => d.Id));
        var written = 0;
        foreach (var status in (string[])[DispatchStatus.Searching, DispatchStatus.Offered])
        {
            await foreach (var open in repository.Dispatches.QueryAllAsync("status", status, ct))
            {
                if (indexed.Contains(open.Id)) continue;
                try
                {
                    await repository.Dispatches.ReplaceAsync(open.Id, open.Document, open.Version, ct: ct);
                    written++;
                }
                catch (ConcurrencyConflictException)
                {
                    // Written meanwhile by this version, which stores the due time.
                }
            }
        }
        if (written > 0) logger.LogInformation("Indexed the due time of {Count} open dispatch(es) stored without it", written);
        return written;
    }

    private async Task StepAsync(TripDispatch dispatch, DateTimeOffset now, CancellationToken ct)
    {
        using var activity = ContinueTrace(dispatch.Status == DispatchStatus.Offered ? "dispatch offer expired" : "dispatch retry", dispatch);
        try
        {
            if (dispatch is { Status: DispatchStatus.Offered, Offer: { } offer })
            {
                if (now >= offer.ExpiresAt) await ExpireOfferAsync(dispatch.Id, dispatch.RiderId, offer, ct);
            }
            else if (dispatch.Status == DispatchStatus.Searching)
            {
                await OfferNextAsync(dispatch.Id, ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogError(ex, "Dispatch step of trip {TripId} failed; trying again in {RetryInterval}", dispatch.Id, Options.RetryInterval);
            try
            {
                await repository.Dispatches.UpdateAsync(dispatch.Id, d => d.PutOff(now + Options.RetryInterval), ct: ct);
            }
            catch (Exception putOff) when (!ct.IsCancellationRequested)
            {
                logger.LogError(putOff, "Could not put off the dispatch step of trip {TripId}", dispatch.Id);
            }
        }
    }

    /// <summary>A timer's step of a search, as a span in the booking's trace (the messages it sends carry it on).</summary>
    private static Activity? ContinueTrace(string name, TripDispatch dispatch)
    {
        var activity = Diagnostics.StartActivity(name, ActivityKind.Internal, dispatch.TraceParent);
        activity?.SetTag("uberclone.trip_id", dispatch.Id);
        return activity;
    }

    private static readonly ActivitySource Diagnostics = new("UberClone.Drivers.Dispatch");

    /// <summary>The driver did not answer in time: the offer is taken back (their screen is told) and the next driver is offered.</summary>
    private async Task ExpireOfferAsync(string tripId, string riderId, PendingOffer offer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = false;
        var driver = await repository.Drivers.UpdateAsync(offer.DriverId,
            d =>
            {
                expired = d.Offer?.OfferId == offer.OfferId && d.Offer.IsExpired(now);
                return expired ? d.Miss(offer.OfferId, now, airports?.DeclinesAllowed(d.QueueId) ?? 0) : d;
            },
            d => expired
                ? [OutboxMessages.Create(Topics.DriverOfferWithdrawn, d.Id, new DriverOfferWithdrawnIntegrationEvent(
                    offer.OfferId, tripId, d.Id, riderId, OfferExpiredReason, now))]
                : [],
            ct);
        if (driver is not null) registry.Remember(driver);

        if (driver is { State: DriverStates.OnTrip } && driver.CurrentTripId == tripId)
        {
            await AcceptedAsync(tripId, driver.Id, ct);
            return;
        }
        if (driver?.Offer?.OfferId == offer.OfferId) return; // still pending by the driver's record: not expired yet
        metrics.OfferExpired();
        logger.LogInformation("Offer of trip {TripId} to driver {DriverId} expired", tripId, offer.DriverId);
        await OfferEndedAsync(tripId, offer.OfferId, ct);
    }
}
