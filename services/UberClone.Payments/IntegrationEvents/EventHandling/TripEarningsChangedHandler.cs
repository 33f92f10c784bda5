using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Payouts;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>What a driver earns from a trip changed: a line of their ledger, paid out weekly or when they cash out (ADR 0025).</summary>
public sealed class TripEarningsChangedHandler(PayoutsApplication payouts) : IMessageHandler<TripEarningsChangedIntegrationEvent>
{
    public Task HandleAsync(TripEarningsChangedIntegrationEvent change, MessageContext context, CancellationToken ct) => payouts.RecordAsync(change, ct);
}

/// <summary>A driver reached a quest's target (ADR 0038): its bonus is a line of their ledger, once per driver and quest.</summary>
public sealed class QuestBonusEarnedHandler(PayoutsApplication payouts) : IMessageHandler<QuestBonusEarnedIntegrationEvent>
{
    public Task HandleAsync(QuestBonusEarnedIntegrationEvent earned, MessageContext context, CancellationToken ct) => payouts.RecordBonusAsync(earned, ct);
}
