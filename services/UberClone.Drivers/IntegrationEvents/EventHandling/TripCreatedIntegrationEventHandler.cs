using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>A rider booked a trip: start looking for a driver.</summary>
public sealed class TripCreatedIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripCreatedIntegrationEvent>
{
    public Task HandleAsync(TripCreatedIntegrationEvent trip, MessageContext context, CancellationToken ct) =>
        dispatcher.StartAsync(trip, context.Partition >= 0 ? context.Partition : null, ct);
}
