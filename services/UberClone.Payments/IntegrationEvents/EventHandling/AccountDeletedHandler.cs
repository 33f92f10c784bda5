using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Cards;
using UberClone.Payments.Credit;
using UberClone.Payments.Payouts;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>
/// An account was erased: its saved cards are detached at the provider and forgotten here (ADR 0024), and a driver is
/// paid what they were still owed (ADR 0025), and their time zone forgotten; a rider's ride credit is forgotten (ADR 0051).
/// </summary>
public sealed class AccountDeletedHandler(CardsApplication cards, CreditApplication credit, PayoutsApplication payouts) : IMessageHandler<AccountDeletedIntegrationEvent>
{
    public async Task HandleAsync(AccountDeletedIntegrationEvent deleted, MessageContext context, CancellationToken ct)
    {
        await cards.ForgetAsync(deleted.UserId, ct);
        await credit.ForgetAsync(deleted.UserId, ct);
        if (deleted.Role != Roles.Driver) return;
        await payouts.PayOutErasedAsync(deleted.UserId, ct);
        await payouts.ForgetTimeZoneAsync(deleted.UserId, ct);
    }
}
