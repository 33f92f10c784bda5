using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Holds;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>
/// A trip cancelled without a fee: the money held on the rider's card at booking is released (ADR 0027). With a fee,
/// the fee's charge takes it from the hold instead.
/// </summary>
public sealed class TripCancelledHandler(FareHolds holds) : IMessageHandler<TripCancelledIntegrationEvent>
{
    public async Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct)
    {
        if (cancelled.FeeMinor <= 0) await holds.ReleaseAsync(cancelled.TripId, "cancelled", ct);
    }
}

/// <summary>No driver was found: nothing will be charged, the hold is released (ADR 0027).</summary>
public sealed class TripNoDriversFoundHandler(FareHolds holds) : IMessageHandler<TripNoDriversFoundIntegrationEvent>
{
    public Task HandleAsync(TripNoDriversFoundIntegrationEvent ended, MessageContext context, CancellationToken ct) =>
        holds.ReleaseAsync(ended.TripId, "no_drivers_found", ct);
}
