using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// A driver declined an offer (written with their state, through the outbox): the trip goes to the next driver. The
/// replica that took the decline has usually done it already, so this is a no-op then; it matters when that process
/// stopped between storing the decline and offering the trip again, which would otherwise wait for the offer's deadline.
/// </summary>
public sealed class DriverTripDeclineCommandHandler(Dispatcher dispatcher) : IMessageHandler<DriverTripDeclineCommand>
{
    public Task HandleAsync(DriverTripDeclineCommand declined, MessageContext context, CancellationToken ct) =>
        dispatcher.OfferEndedAsync(declined.TripId, declined.OfferId, ct);
}
