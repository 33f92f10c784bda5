using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the assigned driver's last position on the trip (the arrival check and a reconnecting rider use it). Surge
/// supply is counted by <see cref="SurgeFeed"/>, in every replica.
/// </summary>
public sealed class DriverLocationUpdatedHandler(TripRepository repository) : IMessageHandler<DriverLocationUpdatedIntegrationEvent>
{
    public async Task HandleAsync(DriverLocationUpdatedIntegrationEvent location, MessageContext context, CancellationToken ct)
    {
        if (location.TripId is not { } tripId) return;
        await repository.Trips.UpdateAsync(tripId, t => t.MoveDriver(location.DriverId, location.Location), ct: ct);
    }
}
