using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps the assigned driver's position on the trip (the arrival check and a reconnecting rider use it), at most every
/// 10 s unless near the pickup (<see cref="Domain.Trip.MoveDriver"/>): the store is read per ping, written far less.
/// </summary>
public sealed class DriverLocationUpdatedHandler(TripRepository repository) : IMessageHandler<DriverLocationUpdatedIntegrationEvent>
{
    public async Task HandleAsync(DriverLocationUpdatedIntegrationEvent location, MessageContext context, CancellationToken ct)
    {
        if (location.TripId is not { } tripId) return;
        await repository.Trips.UpdateAsync(tripId, t => t.MoveDriver(location.DriverId, location.Location, location.RecordedAt), ct: ct);
    }
}
