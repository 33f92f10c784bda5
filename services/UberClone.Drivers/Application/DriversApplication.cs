using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

/// <summary>What a driver does: go online/offline, report positions, accept or decline an offer.</summary>
public sealed class DriversApplication(
    DriverRepository repository, DriverRegistry registry, Dispatcher dispatcher, DriverLocationPublisher tracking,
    IOptions<DispatchOptions> dispatchOptions, TimeProvider clock, DriversMetrics metrics, StoredPositionWriter storedPositions,
    ILogger<DriversApplication> logger, AirportQueues? airports = null)
{
    private static readonly TimeSpan MinPingInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Online, or during a trip "Keep receiving requests" (<see cref="Driver.GoOnline"/>): every open app of the driver's is
    /// told (<c>driver.event.state_changed</c>, in the same write; nothing when nothing changed).
    /// </summary>
    public async Task<Driver> GoOnlineAsync(string driverId, string vehicleClass, GeoPoint? location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.GoOnline(vehicleClass, location, now, dispatchOptions.Value.DrivingLimits), StateChanged, ct);
        if (driver is null)
        {
            try
            {
                driver = Driver.New(driverId, vehicleClass, now).GoOnline(vehicleClass, location, now, dispatchOptions.Value.DrivingLimits);
                await repository.Drivers.InsertAsync(driverId, driver, StateChanged(driver), ct);
            }
            catch (DuplicateDocumentException)
            {
                driver = await repository.Drivers.UpdateAsync(driverId, d => d.GoOnline(vehicleClass, location, now, dispatchOptions.Value.DrivingLimits), StateChanged, ct);
            }
        }
        registry.Remember(driver!);
        return driver!;
    }

    /// <summary>
    /// Offline, or during a trip "Stop new requests" (<see cref="Driver.GoOffline"/>): every open app of the driver's is told
    /// (<c>driver.event.state_changed</c>, in the same write). With a <paramref name="reason"/> the service takes the driver
    /// offline (suspended, approval ended, account closing): their app is told why too (<c>driver.event.went_offline</c>).
    /// </summary>
    public Task<Driver> GoOfflineAsync(string driverId, CancellationToken ct, string? reason = null) => ChangeAsync(driverId, (d, now) => d.GoOffline(now, reason), ct,
        reason is null
            ? StateChanged
            : d => [.. StateChanged(d), OutboxMessages.Create(Topics.DriverWentOffline, d.Id, new DriverWentOfflineIntegrationEvent(d.Id, reason, clock.GetUtcNow()))]);

    /// <summary>The driver's state as a change left it, for all their open apps (another tab, another phone).</summary>
    private IReadOnlyList<OutboxMessage> StateChanged(Driver d) =>
        [OutboxMessages.Create(Topics.DriverStateChanged, d.Id, new DriverStateChangedIntegrationEvent(d.Id, d.State, d.GoesOfflineAfterTrip,
            d.State == DriverStates.OnTrip ? d.OfflineAfterTrip : null, d.State == DriverStates.Offline ? d.OfflineReason : null, d.Revision, clock.GetUtcNow()))];

    /// <summary>
    /// Tells the driver the driving limit is near (<see cref="Driver.WarnDrivingLimit"/>): driver.event.driving_limit_near
    /// in the same write, once per working period whichever replica finds them first.
    /// </summary>
    public Task<Driver> WarnDrivingLimitAsync(string driverId, CancellationToken ct)
    {
        var options = dispatchOptions.Value;
        var limits = options.DrivingLimits;
        return ChangeAsync(driverId, (d, now) => d.WarnDrivingLimit(now, limits, options.DrivingLimitWarning), ct, d =>
        {
            var at = d.DrivingLimitWarnedAt!.Value;
            var online = d.OnlineFor(at, limits);
            var left = limits.MaxOnline - online;
            var message = $"{DrivingLimits.Describe(left)} left of your {DrivingLimits.Describe(limits.MaxOnline)} online: after that you get no new trips " +
                $"and rest {DrivingLimits.Describe(limits.Rest)}.";
            return [OutboxMessages.Create(Topics.DriverDrivingLimitNear, d.Id, new DriverDrivingLimitNearIntegrationEvent(
                d.Id, (long)online.TotalSeconds, (long)limits.MaxOnline.TotalSeconds, (long)limits.Rest.TotalSeconds, at + left, message, at))];
        });
    }

    /// <summary>Only trips towards <paramref name="destination"/> from now on (<see cref="HeadingTo"/>).</summary>
    public Task<Driver> HeadToAsync(string driverId, GeoPoint destination, CancellationToken ct) =>
        ChangeAsync(driverId, (d, now) => d.HeadTo(destination, dispatchOptions.Value.DestinationsPerDay, now), ct);

    public Task<Driver> StopHeadingToAsync(string driverId, CancellationToken ct) => ChangeAsync(driverId, (d, now) => d.StopHeadingTo(now), ct);

    /// <summary>"Pets welcome" on or off (ADR 0041): from now on rides with a pet are offered to the driver, or no longer.</summary>
    public Task<Driver> WelcomePetsAsync(string driverId, bool welcome, CancellationToken ct) =>
        ChangeAsync(driverId, (d, now) => d.WelcomePets(welcome, now), ct);

    /// <summary>"Accept cash rides" on or off (ADR 0042): from now on rides paid in cash are offered to the driver, or no longer.</summary>
    public Task<Driver> AcceptCashAsync(string driverId, bool accept, CancellationToken ct) =>
        ChangeAsync(driverId, (d, now) => d.AcceptCash(accept, now), ct);

    /// <summary>
    /// Payments says the driver's cash balance crossed the limit (ADR 0042): kept on the record, so dispatch offers them no
    /// cash rides while past it. Null for a driver who never went online (nothing is offered to them anyway).
    /// </summary>
    public async Task<Driver?> CashLimitAsync(string driverId, CashLimitState limit, CancellationToken ct)
    {
        try
        {
            return await ChangeAsync(driverId, (d, now) => d.WithCashLimit(limit, now), ct);
        }
        catch (DriverNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// What support's approval says of the driver's vehicle (ADR 0045), kept on their record. A driver approved as
    /// wheelchair accessible before ever going online gets an offline record holding it (in <paramref name="vehicleClass"/>,
    /// which going online sets again), so it is there when they do; the approval's event and going online may race, and
    /// whichever inserts second updates the record instead. Null: a driver with no record approved without it (nothing to keep).
    /// </summary>
    public async Task<Driver?> ApproveWheelchairAccessibleAsync(string driverId, bool accessible, string vehicleClass, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.ApproveWheelchairAccessible(accessible, now), ct: ct);
        if (driver is null)
        {
            if (!accessible) return null;
            try
            {
                driver = Driver.New(driverId, vehicleClass, now).ApproveWheelchairAccessible(true, now);
                await repository.Drivers.InsertAsync(driverId, driver, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                driver = await repository.Drivers.UpdateAsync(driverId, d => d.ApproveWheelchairAccessible(accessible, now), ct: ct);
            }
        }
        registry.Remember(driver!);
        return driver;
    }

    /// <summary>
    /// A driver on a trip goes offline when it ends (<see cref="Driver.TakeOfflineAfterTrip"/>) instead of getting another;
    /// their open apps are told (<c>driver.event.state_changed</c>).
    /// </summary>
    public Task<Driver> TakeOfflineAfterTripAsync(string driverId, string reason, CancellationToken ct) =>
        ChangeAsync(driverId, (d, now) => d.TakeOfflineAfterTrip(reason, now), ct, StateChanged);

    /// <summary>
    /// Erases where an offline driver's phone last was, for a deleted account: the record's position and the stored one
    /// (once this replica's writer has written what it still held, so nothing pending puts it back).
    /// </summary>
    public async Task ForgetPositionAsync(string driverId, string reason, CancellationToken ct)
    {
        await ChangeAsync(driverId, (d, now) => d.ForgetPosition(reason, now), ct);
        using var flushed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        flushed.CancelAfter(TimeSpan.FromSeconds(10));
        await storedPositions.FlushAsync(flushed.Token);
        while (await repository.Positions.GetAsync(driverId, ct) is { } stored)
        {
            try
            {
                await repository.Positions.DeleteAsync(driverId, stored.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Another replica stored a fix meanwhile: read it again.
            }
        }
    }

    /// <summary>A change of a driver who has gone online before, stored, then known to this replica's registry (and so to the others).</summary>
    private async Task<Driver> ChangeAsync(string driverId, Func<Driver, DateTimeOffset, Driver> change, CancellationToken ct,
        Func<Driver, IReadOnlyList<OutboxMessage>>? outbox = null)
    {
        var now = clock.GetUtcNow();
        var driver = await repository.Drivers.UpdateAsync(driverId, d => change(d, now), outbox, ct)
            ?? throw new DriverNotFoundException("You have not gone online yet.");
        registry.Remember(driver);
        return driver;
    }

    /// <summary>The driver's record with their last stored position (kept apart, <see cref="StoredPosition"/>).</summary>
    public async Task<Driver> GetAsync(string driverId, CancellationToken ct, string notFound = "You have not gone online yet.")
    {
        var driver = (await repository.Drivers.GetAsync(driverId, ct))?.Document ?? throw new DriverNotFoundException(notFound);
        return driver.WithStoredPosition((await repository.Positions.GetAsync(driverId, ct))?.Document);
    }

    /// <summary>What a rider can expect near a pickup now (this replica's view, which holds every online driver).</summary>
    public NearbySupply FindNearby(GeoPoint pickup, RideNeeds needs = default) =>
        NearbySupply.Find(registry, pickup, dispatchOptions.Value, clock.GetUtcNow(), airports, needs);

    /// <summary>A live position. Returns false when it is dropped (too frequent or older than the last one).</summary>
    public async Task<bool> UpdateLocationAsync(string driverId, GeoPoint location, double? heading, DateTimeOffset recordedAt, CancellationToken ct)
    {
        var outcome = (await UpdateLocationsAsync([new LocationPing(driverId, location, heading, recordedAt)], ct))[0];
        if (outcome.Error is { } error) ExceptionDispatchInfo.Throw(error);
        return outcome.Accepted;
    }

    /// <summary>
    /// Live positions of many drivers (the gateway's batches), each answered as <see cref="UpdateLocationAsync"/> would
    /// answer it alone: accepted, dropped (too frequent, or older than the driver's last fix), or the error it would throw
    /// (not online; the store unreachable while reading a driver this view does not know). Drivers this view does not
    /// know are read from the store in one read, and the accepted fixes go into the geo index together, so their cache
    /// misses overlap (<see cref="DriverRegistry.MovedMany"/>). One ping per driver per batch: a driver's second ping in
    /// the same batch came within the rate limit of the first (batches span milliseconds) and is dropped.
    /// </summary>
    public async Task<IReadOnlyList<PingOutcome>> UpdateLocationsAsync(IReadOnlyList<LocationPing> pings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var outcomes = new PingOutcome[pings.Count];
        // Each driver looked up once: the entry holds their record and this replica's throttles.
        var drivers = new DriverEntry?[pings.Count];
        List<string>? unknown = null;
        for (var i = 0; i < pings.Count; i++)
        {
            drivers[i] = registry.Entry(pings[i].DriverId);
            if (drivers[i]?.Record is null or { State: DriverStates.Offline }) (unknown ??= []).Add(pings[i].DriverId);
        }
        // This view may lag behind another replica that just put the driver online: "offline" is checked in the store.
        var unloaded = unknown is null ? null : await LoadAsync(unknown.Distinct().ToArray(), ct);
        var moves = new List<(DriverEntry Driver, GeoPoint Location, DateTimeOffset At)>(pings.Count);
        var indexes = new List<int>(pings.Count);
        HashSet<string>? taken = pings.Count > 1 ? new(StringComparer.Ordinal) : null;
        for (var i = 0; i < pings.Count; i++)
        {
            var ping = pings[i];
            if (unloaded is not null && drivers[i]?.Record is null or { State: DriverStates.Offline }) drivers[i] = registry.Entry(ping.DriverId);
            if (drivers[i] is not { Record: { State: not DriverStates.Offline } known } entry)
            {
                outcomes[i] = new PingOutcome(false, unloaded?.GetValueOrDefault(ping.DriverId)
                    ?? new DriverTransitionException("Go online before sending locations."));
                continue;
            }
            if (taken?.Add(known.Id) == false || !entry.CanPing(now, MinPingInterval)) continue;
            moves.Add((entry, ping.Location, ping.RecordedAt));
            indexes.Add(i);
        }
        if (moves.Count == 0) return outcomes;

        var applied = ArrayPool<bool>.Shared.Rent(moves.Count);
        List<(string DriverId, string? QueueId, DateTimeOffset At)>? throughLots = null;
        try
        {
            registry.MovedMany(CollectionsMarshal.AsSpan(moves), applied);
            for (var m = 0; m < moves.Count; m++)
            {
                if (!applied[m]) continue; // older than the driver's indexed fix
                moves[m].Driver.Pinged(now);
                AfterMove(moves[m].Driver, pings[indexes[m]], now);
                outcomes[indexes[m]] = new PingOutcome(true, null);
                if (LotChange(moves[m].Driver.Record!, pings[indexes[m]]) is { } change) (throughLots ??= []).Add(change);
            }
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(applied);
        }
        if (throughLots is not null) await MoveThroughLotsAsync(throughLots, ct);
        return outcomes;
    }

    /// <summary>
    /// Whether this accepted position moves the driver into or out of an airport queue (<see cref="Driver.AtLot"/>), as
    /// this view knows them: a few circle tests, and nothing to write for nearly every position.
    /// </summary>
    private (string DriverId, string? QueueId, DateTimeOffset At)? LotChange(Driver known, LocationPing ping)
    {
        if (airports is null || airports.All.Count == 0) return null;
        var lot = airports.LotFor(ping.Location, known.QueueId)?.Id;
        return lot != known.QueueId && (known.QueueId is not null || known.State == DriverStates.Available) ? (known.Id, lot, ping.RecordedAt) : null;
    }

    /// <summary>
    /// Drivers who drove into or out of a lot: the change is stored (the store decides again on its record) and announced,
    /// so every replica's queue has it. A failure is the position's loss only: this view still sees the change, and the
    /// driver's next position tries again.
    /// </summary>
    private async Task MoveThroughLotsAsync(List<(string DriverId, string? QueueId, DateTimeOffset At)> changes, CancellationToken ct)
    {
        foreach (var (driverId, queueId, at) in changes)
        {
            try
            {
                var driver = await repository.Drivers.UpdateAsync(driverId, d => d.AtLot(queueId, at, clock.GetUtcNow()), ct: ct);
                if (driver is not null) registry.Remember(driver);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Driver {DriverId}'s airport queue could not be changed; their next position tries again", driverId);
            }
        }
    }

    /// <summary>The driver's place in their airport queue as this view holds the queue (null: in none).</summary>
    public async Task<QueuePlace?> QueuePlaceAsync(string driverId, CancellationToken ct)
    {
        var driver = (await repository.Drivers.GetAsync(driverId, ct))?.Document;
        return driver is null ? null : QueuePlaceOf(driver);
    }

    /// <summary>Where <paramref name="driver"/> (a record read from the store) stands in their queue, counted from this view.</summary>
    public QueuePlace? QueuePlaceOf(Driver driver) =>
        airports is not null && driver.QueueId is { } queueId ? airports.PlaceOf(driver, registry.Queue(queueId)) : null;

    /// <summary>
    /// Reads drivers this view does not know, or knows as offline (it may lag), in one read, and keeps them in the view.
    /// Returns, per driver it could not read, why (empty when all were read): the read's failure, or the record's JSON
    /// error (logged). Those pings get it as their answer.
    /// </summary>
    private async Task<Dictionary<string, Exception>> LoadAsync(string[] unknown, CancellationToken ct)
    {
        var failed = new Dictionary<string, Exception>();
        foreach (var ids in unknown.Chunk(DocumentBatches.MaxIdsPerGet))
        {
            try
            {
                var stored = await repository.Drivers.GetReadableAsync(ids, (driverId, ex) =>
                {
                    failed[driverId] = ex;
                    logger.LogError(ex, "Driver {DriverId}'s stored record cannot be read; their location is refused", driverId);
                }, ct);
                foreach (var record in stored.Values) registry.Apply(record.Document);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                foreach (var driverId in ids) failed[driverId] = ex;
            }
        }
        return failed;
    }

    /// <summary>What follows an accepted position: its stored copy, surge supply, and the rider's live tracking.</summary>
    private void AfterMove(DriverEntry entry, LocationPing ping, DateTimeOffset now)
    {
        var known = entry.Record!;
        var (driverId, location) = (known.Id, ping.Location);
        // Stored in the background, batched with other drivers' positions: the ping does not wait for the disk.
        if (entry.TryStore(now, dispatchOptions.Value.StoredPositionInterval)) storedPositions.Enqueue(driverId, location, ping.RecordedAt);
        // Every 15 s while available (or not), with where the driver is now; a change of state is reported when stored.
        registry.ReportSupply(entry, location, known.State == DriverStates.Available, ping.RecordedAt, now);
        if (known is { State: DriverStates.OnTrip, CurrentTripId: { } tripId })
        {
            var eta = dispatchOptions.Value;
            int? pickupEta = !known.RideStarted && known.TripPickup is { } pickup ? eta.EtaSeconds(location, pickup) : null;
            // To the drop-off through the stops still ahead (ADR 0023).
            int? dropoffEta = known.TripDropoff is { } dropoff
                ? (known.RideStarted ? 0 : pickupEta ?? 0) + PathSeconds(eta, [known.RideStarted ? location : known.TripPickup ?? location, .. known.StopsAhead, dropoff])
                : null;
            // For the rider, batched with other drivers' positions in the background: the ping does not wait for Kafka.
            tracking.Announce(new DriverLocationUpdatedIntegrationEvent(driverId, location, ping.Heading, ping.RecordedAt, tripId, known.CurrentRiderId, pickupEta, dropoffEta));
        }
    }

    private static int PathSeconds(DispatchOptions eta, IReadOnlyList<GeoPoint> path)
    {
        var seconds = 0;
        for (var i = 1; i < path.Count; i++) seconds += eta.EtaSeconds(path[i - 1], path[i]);
        return seconds;
    }

    /// <summary>The driver reached a stop on the way (trip.event.stop_reached): the drop-off ETA goes through the stops after it.</summary>
    public async Task StopReachedAsync(string driverId, string tripId, int index, CancellationToken ct)
    {
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.ReachStop(tripId, index, clock.GetUtcNow()), ct: ct);
        if (driver is not null) registry.Remember(driver);
    }

    /// <summary>The rider is on board (trip.event.started): from now on the rider's ETA is to the drop-off.</summary>
    public async Task RideStartedAsync(string driverId, string tripId, CancellationToken ct)
    {
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.StartRide(tripId, clock.GetUtcNow()), ct: ct);
        if (driver is not null) registry.Remember(driver);
    }

    /// <summary>The rider changed the drop-off (trip.event.destination_changed): the rider's drop-off ETA goes there.</summary>
    public async Task TripDropoffChangedAsync(string driverId, string tripId, GeoPoint dropoff, CancellationToken ct)
    {
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.ChangeTripDropoff(tripId, dropoff, clock.GetUtcNow()), ct: ct);
        if (driver is not null) registry.Remember(driver);
    }

    public async Task TripPickupMovedAsync(string driverId, string tripId, GeoPoint pickup, CancellationToken ct)
    {
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.ChangeTripPickup(tripId, pickup, clock.GetUtcNow()), ct: ct);
        if (driver is not null) registry.Remember(driver);
    }

    public async Task AcceptAsync(string driverId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var offerId = "";
        var driver = await repository.Drivers.UpdateAsync(driverId,
            d =>
            {
                offerId = d.Offer?.OfferId ?? offerId;
                return d.Accept(tripId, now);
            },
            d => [OutboxMessages.Create(Topics.DriverTripAccept, tripId, new DriverTripAcceptCommand(
                offerId, tripId, driverId, d.CurrentRiderId!, registry.Position(driverId) is { } p ? new GeoPoint(p.Lat, p.Lng) : d.Location, now))],
            ct) ?? throw new OfferNotFoundException($"You have no pending offer of trip {tripId}.");
        registry.Remember(driver);
        await dispatcher.AcceptedAsync(tripId, driverId, ct);
    }

    public async Task DeclineAsync(string driverId, string tripId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var offerId = "";
        var driver = await repository.Drivers.UpdateAsync(driverId,
            d =>
            {
                offerId = d.Offer?.OfferId ?? offerId;
                return d.Decline(tripId, now, airports?.DeclinesAllowed(d.QueueId) ?? 0);
            },
            d => [OutboxMessages.Create(Topics.DriverTripDecline, tripId, new DriverTripDeclineCommand(offerId, tripId, driverId, reason, now))],
            ct) ?? throw new OfferNotFoundException($"You have no pending offer of trip {tripId}.");
        registry.Remember(driver);
        metrics.OfferDeclined();
        await dispatcher.OfferEndedAsync(tripId, offerId, ct);
    }
}

public sealed class DriverNotFoundException(string message) : Exception(message);

/// <summary>One driver's ping of a batch (<see cref="DriversApplication.UpdateLocationsAsync"/>), checked for range and time already.</summary>
public readonly record struct LocationPing(string DriverId, GeoPoint Location, double? Heading, DateTimeOffset RecordedAt);

/// <summary>A ping's answer: accepted, dropped (neither accepted nor an error), or the error a single call would throw.</summary>
public readonly record struct PingOutcome(bool Accepted, Exception? Error);
