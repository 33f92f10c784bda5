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
    IOptions<DispatchOptions> dispatchOptions, TimeProvider clock, DriversMetrics metrics, StoredPositionWriter storedPositions)
{
    /// <summary>Positions are kept live in memory on every ping but stored at most this often.</summary>
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinPingInterval = TimeSpan.FromMilliseconds(200);

    public async Task<Driver> GoOnlineAsync(string driverId, string vehicleClass, GeoPoint? location, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.GoOnline(vehicleClass, location, now), ct: ct);
        if (driver is null)
        {
            try
            {
                driver = Driver.New(driverId, vehicleClass, now).GoOnline(vehicleClass, location, now);
                await repository.Drivers.InsertAsync(driverId, driver, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                driver = await repository.Drivers.UpdateAsync(driverId, d => d.GoOnline(vehicleClass, location, now), ct: ct);
            }
        }
        registry.Remember(driver!);
        return driver!;
    }

    public async Task<Driver> GoOfflineAsync(string driverId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.GoOffline(now), ct: ct)
            ?? throw new DriverNotFoundException("You have not gone online yet.");
        registry.Remember(driver);
        return driver;
    }

    public async Task<Driver> GetAsync(string driverId, CancellationToken ct) =>
        (await repository.Drivers.GetAsync(driverId, ct))?.Document ?? throw new DriverNotFoundException("You have not gone online yet.");

    /// <summary>A live position. Returns false when it is dropped (too frequent or older than the last one).</summary>
    public async Task<bool> UpdateLocationAsync(string driverId, GeoPoint location, double? heading, DateTimeOffset recordedAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // This view may lag behind another replica that just put the driver online: "offline" is checked in the store.
        var known = registry.Get(driverId) is { State: not DriverStates.Offline } live ? live : await LoadAsync(driverId, ct);
        if (known is null || known.State == DriverStates.Offline) throw new DriverTransitionException("Go online before sending locations.");
        if (registry.Positions.Get(driverId) is { } last && recordedAt < last.At) return false;
        if (!registry.Pings.TryPass(driverId, now, MinPingInterval)) return false;

        registry.Moved(known, location, recordedAt);
        // Stored in the background, batched with other drivers' positions: the ping does not wait for the disk.
        if (registry.StoredPositions.TryPass(driverId, now, PersistInterval)) storedPositions.Enqueue(driverId, location, recordedAt);
        // Every 15 s while available (or not), with where the driver is now; a change of state is reported when stored.
        registry.ReportSupply(driverId, location, known.State == DriverStates.Available, recordedAt, now);
        if (known is { State: DriverStates.OnTrip, CurrentTripId: { } tripId })
        {
            var eta = dispatchOptions.Value;
            int? pickupEta = !known.RideStarted && known.TripPickup is { } pickup ? eta.EtaSeconds(location, pickup) : null;
            int? dropoffEta = known.TripDropoff is { } dropoff
                ? (known.RideStarted ? 0 : pickupEta ?? 0) + eta.EtaSeconds(known.RideStarted ? location : known.TripPickup ?? location, dropoff)
                : null;
            // For the rider, batched with other drivers' positions in the background: the ping does not wait for Kafka.
            tracking.Announce(new DriverLocationUpdatedIntegrationEvent(driverId, location, heading, recordedAt, tripId, known.CurrentRiderId, pickupEta, dropoffEta));
        }
        return true;
    }

    /// <summary>The stored record, kept in this replica's view (which had none, or an older one).</summary>
    private async Task<Driver?> LoadAsync(string driverId, CancellationToken ct)
    {
        var stored = (await repository.Drivers.GetAsync(driverId, ct))?.Document;
        if (stored is not null) registry.Apply(stored);
        return stored;
    }

    /// <summary>The rider is on board (trip.event.started): from now on the rider's ETA is to the drop-off.</summary>
    public async Task RideStartedAsync(string driverId, string tripId, CancellationToken ct)
    {
        var driver = await repository.Drivers.UpdateAsync(driverId, d => d.StartRide(tripId, clock.GetUtcNow()), ct: ct);
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
                offerId, tripId, driverId, d.CurrentRiderId!, registry.Positions.Get(driverId) is { } p ? new GeoPoint(p.Lat, p.Lng) : d.Location, now))],
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
                return d.Decline(tripId, now);
            },
            d => [OutboxMessages.Create(Topics.DriverTripDecline, tripId, new DriverTripDeclineCommand(offerId, tripId, driverId, reason, now))],
            ct) ?? throw new OfferNotFoundException($"You have no pending offer of trip {tripId}.");
        registry.Remember(driver);
        metrics.OfferDeclined();
        await dispatcher.OfferEndedAsync(tripId, offerId, ct);
    }
}

public sealed class DriverNotFoundException(string message) : Exception(message);
