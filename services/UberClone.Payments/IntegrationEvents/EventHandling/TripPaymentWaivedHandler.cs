using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Application;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>Support waived what a rider owed (ADR 0053): the trip's failed checkouts of it can no longer be paid.</summary>
public sealed class TripPaymentWaivedHandler(PaymentsApplication payments) : IMessageHandler<TripPaymentWaivedIntegrationEvent>
{
    public Task HandleAsync(TripPaymentWaivedIntegrationEvent waived, MessageContext context, CancellationToken ct) =>
        payments.CloseWaivedAsync(waived.TripId, fare: waived.FareMinor > 0, returnFee: waived.ReturnFeeMinor > 0, ct);
}
