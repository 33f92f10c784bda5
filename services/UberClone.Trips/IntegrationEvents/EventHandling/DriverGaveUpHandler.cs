using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>A driver gave a trip up: it stays in their history (idempotent: a redelivery finds the record).</summary>
public sealed class DriverGaveUpHandler(TripsApplication trips) : IMessageHandler<TripDriverCancelledIntegrationEvent>
{
    public Task HandleAsync(TripDriverCancelledIntegrationEvent gaveUp, MessageContext context, CancellationToken ct) =>
        trips.RecordGivenUpAsync(gaveUp.DriverId, gaveUp.TripId, gaveUp.At, ct);
}
