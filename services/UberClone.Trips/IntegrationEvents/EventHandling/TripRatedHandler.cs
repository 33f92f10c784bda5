using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>A rider rated their driver: fold the stars into the driver's rating (idempotent by message id).</summary>
public sealed class TripRatedHandler(DriverRatings ratings) : IMessageHandler<TripRatedIntegrationEvent>
{
    public Task HandleAsync(TripRatedIntegrationEvent rated, MessageContext context, CancellationToken ct) =>
        rated.RatedBy == TripActors.Rider ? ratings.RecordAsync(rated.DriverId, rated.Stars, ct) : Task.CompletedTask;
}
