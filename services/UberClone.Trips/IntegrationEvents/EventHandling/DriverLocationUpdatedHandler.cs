using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the assigned driver's last position on the trip (the arrival check and a reconnecting rider use it), and
/// counts drivers per area for surge pricing.
/// </summary>
public sealed class DriverLocationUpdatedHandler(TripRepository repository, DemandSupplyWindow supply) : IMessageHandler<DriverLocationUpdatedIntegrationEvent>
{
    public async Task HandleAsync(DriverLocationUpdatedIntegrationEvent location, MessageContext context, CancellationToken ct)
    {
        supply.DriverSeen(location.DriverId, location.Location, location.Available && location.TripId is null, location.RecordedAt);
        if (location.TripId is not { } tripId) return;
        await repository.Trips.UpdateAsync(tripId, t => t.MoveDriver(location.DriverId, location.Location), ct: ct);
    }
}
