using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>The rider paid what the trip was owed: the trip is paid (a redelivery changes nothing).</summary>
public sealed class PaymentSucceededHandler(TripRepository repository, TimeProvider clock, ILogger<PaymentSucceededHandler> logger)
    : IMessageHandler<PaymentSucceededIntegrationEvent>
{
    public async Task HandleAsync(PaymentSucceededIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        var trip = await repository.Trips.UpdateAsync(payment.TripId, t => t.MarkPaid(payment.AmountMinor, clock.GetUtcNow()), ct: ct);
        if (trip is null) logger.LogWarning("Payment {SessionId} for unknown trip {TripId} ignored", payment.SessionId, payment.TripId);
    }
}

/// <summary>The payment failed: the trip shows payment_failed and the rider may retry (never overrides paid).</summary>
public sealed class PaymentFailedHandler(TripRepository repository, TimeProvider clock, ILogger<PaymentFailedHandler> logger)
    : IMessageHandler<PaymentFailedIntegrationEvent>
{
    public async Task HandleAsync(PaymentFailedIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        var trip = await repository.Trips.UpdateAsync(payment.TripId, t => t.MarkPaymentFailed(payment.Attempt, clock.GetUtcNow()), ct: ct);
        if (trip is null) logger.LogWarning("Failed payment {SessionId} for unknown trip {TripId} ignored", payment.SessionId, payment.TripId);
    }
}
