using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Keeps each assigned driver's position on their trip (the arrival check and a reconnecting rider use it), at most
/// every 10 s unless near the pickup (<see cref="Domain.Trip.MoveDriver"/>): the store is read per position, written
/// far less. A batch handled twice, or overtaken by a newer one, changes nothing (older fixes are ignored).
/// </summary>
public sealed class DriverLocationsUpdatedHandler(TripRepository repository) : IMessageHandler<DriverLocationsUpdatedIntegrationEvent>
{
    public async Task HandleAsync(DriverLocationsUpdatedIntegrationEvent batch, MessageContext context, CancellationToken ct)
    {
        // Only the newest position of each trip in the batch: the others would not be kept anyway.
        var newest = new Dictionary<string, DriverLocationUpdatedIntegrationEvent>();
        foreach (var location in batch.Locations ?? [])
        {
            if (location is not { TripId: { } tripId, DriverId: not null, Location: not null }) continue;
            if (!newest.TryGetValue(tripId, out var kept) || kept.RecordedAt < location.RecordedAt) newest[tripId] = location;
        }
        foreach (var (tripId, location) in newest)
        {
            await repository.Trips.UpdateAsync(tripId, t => t.MoveDriver(location.DriverId, location.Location, location.RecordedAt), ct: ct);
        }
    }
}
