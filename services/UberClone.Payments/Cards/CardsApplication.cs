using UberClone.Contracts;
using UberClone.Messaging;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Cards;

/// <summary>The card a charge goes to: the rider's customer at the provider and the saved card.</summary>
public sealed record ChargeableCard(string CustomerId, SavedCard Card);

/// <summary>
/// The riders' saved cards (ADR 0024): adding one on the provider's page (a checkout in setup mode, confirmed by the
/// provider's signed webhook), choosing the default, removing one, forgetting them all when the account is erased, and
/// the card a ride's charge goes to.
/// </summary>
public sealed class CardsApplication(IDocumentDatabase database, IPaymentProvider provider, TimeProvider clock, ILogger<CardsApplication> logger)
{
    public IDocumentStore<Wallet> Wallets { get; } = database.Collection<Wallet>("wallets");

    public IDocumentStore<CardSetup> Setups { get; } = database.Collection<CardSetup>(CardSetup.CollectionName, "providerSessionId", "riderId", CardSetup.CreatedAtField);

    /// <summary>The rider's wallet at the provider in use; null when they saved no card with it.</summary>
    public async Task<Wallet?> WalletAsync(string riderId, CancellationToken ct) =>
        (await Wallets.GetAsync(riderId, ct))?.Document is { } wallet && wallet.Provider == provider.Name ? wallet : null;

    /// <param name="chosenCardId">The card the rider chose for the ride; the default when it is no longer saved or has expired.</param>
    public async Task<ChargeableCard?> ChargeableCardAsync(string riderId, CancellationToken ct, string? chosenCardId = null) =>
        await WalletAsync(riderId, ct) is { } wallet && wallet.ChargeableCard(provider.Name, clock.GetUtcNow(), chosenCardId) is { } card
            ? new ChargeableCard(wallet.CustomerId, card)
            : null;

    /// <summary>
    /// The card a rider chooses while booking (ADR 0027): theirs, saved and not expired, else <see cref="WalletException"/>
    /// saying why; null <paramref name="cardId"/>: the default card, if any.
    /// </summary>
    public async Task<ChargeableCard?> ChosenCardAsync(string riderId, string? cardId, CancellationToken ct)
    {
        if (cardId is null) return await ChargeableCardAsync(riderId, ct);
        var wallet = await WalletAsync(riderId, ct);
        var card = wallet?.Find(cardId) ?? throw new WalletException("The card you chose is not one of your saved cards any more; choose another.");
        if (card.IsExpired(clock.GetUtcNow())) throw new WalletException($"{card.Label} has expired; choose another card.");
        return new ChargeableCard(wallet!.CustomerId, card);
    }

    /// <summary>
    /// Opens the provider's page where the rider enters a card. The rider's customer is created first (once), and the
    /// setup is recorded before the rider is sent there, so the provider's confirmation is tied to this rider.
    /// </summary>
    public async Task<CardSetup> StartSetupAsync(string riderId, CancellationToken ct)
    {
        var wallet = await WalletAsync(riderId, ct);
        if (wallet is { Cards.Count: >= Wallet.MaxCards }) throw new WalletException($"At most {Wallet.MaxCards} cards can be saved; remove one first.");
        var customerId = wallet?.CustomerId ?? await provider.CustomerAsync(riderId, ct);
        if (wallet is null) await EnsureWalletAsync(riderId, customerId, ct);

        var id = SandboxPaymentProvider.NewId("cset_");
        var checkout = await provider.CreateCardSetupAsync(new CardSetupRequest(id, riderId, customerId), ct);
        var now = clock.GetUtcNow();
        var setup = new CardSetup
        {
            Id = id,
            RiderId = riderId,
            CustomerId = customerId,
            Provider = provider.Name,
            ProviderSessionId = checkout.ProviderSessionId,
            Url = checkout.Url,
            CreatedAt = now,
            ExpiresAt = checkout.ExpiresAt ?? now + CardSetup.Validity,
        };
        await Setups.InsertAsync(id, setup, ct: ct);
        return setup;
    }

    public async Task<CardSetup?> SetupOfCheckoutAsync(string providerSessionId, CancellationToken ct) =>
        (await Setups.QueryAsync("providerSessionId", providerSessionId, 1, ct)).FirstOrDefault()?.Document;

    /// <summary>
    /// The provider saved the card of a setup (its webhook): the card joins the rider's wallet as the default, once. Null
    /// when no setup of ours matches, or the setup saved no card.
    /// </summary>
    public async Task<Wallet?> CompleteSetupAsync(string? setupId, string? providerSessionId, string? setupIntentId, CancellationToken ct)
    {
        var setup = setupId is { Length: > 0 and <= 100 } ? (await Setups.GetAsync(setupId, ct))?.Document : null;
        setup ??= providerSessionId is { Length: > 0 } ? await SetupOfCheckoutAsync(providerSessionId, ct) : null;
        if (setup is null || setupIntentId is not { Length: > 0 }) return null;
        var card = await provider.CardOfSetupAsync(setupIntentId, ct);
        if (card is null) return null;
        if (setup.Status == CardSetupStatus.Cancelled)
        {
            // The account was erased while the rider was on the provider's page: the card is not kept anywhere.
            await provider.DetachCardAsync(card.PaymentMethodId, ct);
            return null;
        }

        var now = clock.GetUtcNow();
        var saved = new SavedCard(SandboxPaymentProvider.NewId("card_"), card.PaymentMethodId, card.Brand, card.Last4, card.ExpMonth, card.ExpYear, now);
        Wallet? wallet;
        try
        {
            // The wallet made when the setup started (the card is saved on its customer), unless it was lost meanwhile.
            await EnsureWalletAsync(setup.RiderId, setup.CustomerId ?? await provider.CustomerAsync(setup.RiderId, ct), ct);
            wallet = await Wallets.UpdateAsync(setup.RiderId, w => w.Add(saved, now), ct: ct);
        }
        catch (WalletException ex)
        {
            // Five cards saved meanwhile (two setups open at once): this one is not kept at the provider either.
            logger.LogWarning("Card of setup {SetupId} not saved: {Reason}", setup.Id, ex.Message);
            await provider.DetachCardAsync(card.PaymentMethodId, ct);
            return await WalletAsync(setup.RiderId, ct);
        }
        var cardId = wallet!.Cards.First(c => c.ProviderPaymentMethodId == card.PaymentMethodId).Id;
        await Setups.UpdateAsync(setup.Id, s => s.Complete(cardId), ct: ct);
        logger.LogInformation("Rider {RiderId} saved card {CardId}", setup.RiderId, cardId);
        return wallet;
    }

    public async Task<Wallet> MakeDefaultAsync(string riderId, string cardId, CancellationToken ct) =>
        await Wallets.UpdateAsync(riderId, w => w.Provider == provider.Name ? w.MakeDefault(cardId, clock.GetUtcNow()) : throw new CardNotFoundException(cardId), ct: ct)
        ?? throw new CardNotFoundException(cardId);

    /// <summary>
    /// Forgets the card here first (it is never charged again), then at the provider. The removal's write carries
    /// payment.event.card_removed (who removed it: the rider, or support saying why), so the rider is told by mail.
    /// </summary>
    public async Task<Wallet> RemoveAsync(string riderId, string cardId, CancellationToken ct, string? supportReason = null)
    {
        var card = (await WalletAsync(riderId, ct))?.Find(cardId) ?? throw new CardNotFoundException(cardId);
        var now = clock.GetUtcNow();
        var wallet = await Wallets.UpdateAsync(riderId, w => w.Find(cardId) is null ? w : w.Remove(cardId, now),
                _ => [OutboxMessages.Create(Topics.PaymentCardRemoved, riderId, new PaymentCardRemovedIntegrationEvent(riderId, card.Label,
                    supportReason is null ? PaymentCardRemovedIntegrationEvent.ByRider : PaymentCardRemovedIntegrationEvent.BySupport, supportReason, now))],
                ct)
            ?? throw new CardNotFoundException(cardId);
        await DetachQuietlyAsync(card, ct);
        return wallet;
    }

    /// <summary>The account was erased: every saved card is detached at the provider and the wallet deleted.</summary>
    public async Task ForgetAsync(string riderId, CancellationToken ct)
    {
        foreach (var setup in await Setups.QueryAsync("riderId", riderId, 100, ct))
        {
            if (setup.Document.Status == CardSetupStatus.Open) await Setups.UpdateAsync(setup.Id, s => s.Cancel(), ct: ct);
        }
        var stored = await Wallets.GetAsync(riderId, ct);
        if (stored is null) return;
        if (stored.Document.Provider == provider.Name)
        {
            foreach (var card in stored.Document.Cards) await DetachQuietlyAsync(card, ct);
        }
        try
        {
            await Wallets.DeleteAsync(riderId, stored.Version, ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Changed meanwhile (a card confirmed at the last moment): the redelivered event forgets it again.
            throw new InvalidOperationException($"The wallet of {riderId} changed while it was being forgotten; retrying.");
        }
    }

    private async Task DetachQuietlyAsync(SavedCard card, CancellationToken ct)
    {
        try
        {
            await provider.DetachCardAsync(card.ProviderPaymentMethodId, ct);
        }
        catch (PaymentProviderException ex)
        {
            // Forgotten here, so never charged; the provider keeps a card nobody can use.
            logger.LogWarning(ex, "Could not detach card {CardId} at the provider.", card.Id);
        }
    }

    private async Task EnsureWalletAsync(string riderId, string customerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var fresh = new Wallet { Id = riderId, Provider = provider.Name, CustomerId = customerId, UpdatedAt = now };
        var stored = await Wallets.GetAsync(riderId, ct);
        if (stored is null)
        {
            try
            {
                await Wallets.InsertAsync(riderId, fresh, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                // Another setup made it at the same moment.
            }
        }
        else if (stored.Document.Provider != provider.Name)
        {
            // Cards of another provider cannot be charged here (ADR 0024): the wallet starts again at this one.
            await Wallets.UpdateAsync(riderId, w => w.Provider == provider.Name ? w : fresh, ct: ct);
        }
    }
}
