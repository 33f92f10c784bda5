using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A trip booked with a promotion was cancelled (by anyone, with or without a fee): its ride of the promotion is the
/// rider's again. Trips handles its own event so that the release survives a crash after the cancellation was written.
/// </summary>
public sealed class PromotionReleaseHandler(PromotionDesk promotions) : IMessageHandler<TripCancelledIntegrationEvent>
{
    public async Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct)
    {
        if (cancelled.PromotionCode is { } code) await promotions.ReleaseAsync(cancelled.RiderId, code, cancelled.TripId, ct);
    }
}
