using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Payouts;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>A driver's time zone was set or changed: their weekly payout is due at Monday 00:00 there (ADR 0025).</summary>
public sealed class AccountTimeZoneSetHandler(PayoutsApplication payouts) : IMessageHandler<AccountTimeZoneSetIntegrationEvent>
{
    public async Task HandleAsync(AccountTimeZoneSetIntegrationEvent set, MessageContext context, CancellationToken ct)
    {
        if (set.Role == Roles.Driver) await payouts.TimeZoneSetAsync(set.UserId, set.TimeZone, set.At, ct);
    }
}
