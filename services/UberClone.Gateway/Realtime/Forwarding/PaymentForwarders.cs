using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

public static class PaymentRealtimeTypes
{
    public const string PaymentRefunded = "payment.refunded";
}

public sealed class PaymentRefundedForwarder(ConnectionRegistry sockets) : IMessageHandler<PaymentRefundedIntegrationEvent>
{
    public Task HandleAsync(PaymentRefundedIntegrationEvent refund, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(refund.RiderId, PaymentRealtimeTypes.PaymentRefunded, refund);
        return Task.CompletedTask;
    }
}
