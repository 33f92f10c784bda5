using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Cards;

namespace UberClone.Payments.IntegrationEvents.EventHandling;

/// <summary>An account was erased: its saved cards are detached at the provider and forgotten here (ADR 0024).</summary>
public sealed class AccountDeletedHandler(CardsApplication cards) : IMessageHandler<AccountDeletedIntegrationEvent>
{
    public Task HandleAsync(AccountDeletedIntegrationEvent deleted, MessageContext context, CancellationToken ct) => cards.ForgetAsync(deleted.UserId, ct);
}
