using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A trip was rated: fold the stars into the rated user's tally (idempotent by message id; a driver's rating also by the
/// trip, which their window of recent ratings holds, so a redelivery after a crash is not counted twice: ADR 0055).
/// </summary>
public sealed class TripRatedHandler(Ratings ratings) : IMessageHandler<TripRatedIntegrationEvent>
{
    public Task HandleAsync(TripRatedIntegrationEvent rated, MessageContext context, CancellationToken ct) =>
        rated.RatedBy == TripActors.Rider
            ? ratings.RecordForDriverAsync(rated.DriverId, rated.TripId, rated.Stars, ct)
            : ratings.RecordForRiderAsync(rated.RiderId, rated.Stars, ct);
}
