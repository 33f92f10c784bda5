namespace UberClone.Payments.Domain;

/// <summary>
/// A card the rider saved at the provider: what can be shown (brand, last 4 digits, expiry) and the provider's
/// payment-method id to charge it. Never the number.
/// </summary>
public sealed record SavedCard(string Id, string ProviderPaymentMethodId, string Brand, string Last4, int ExpMonth, int ExpYear, DateTimeOffset AddedAt)
{
    /// <summary>A card is valid through the last day of its expiry month.</summary>
    public bool IsExpired(DateTimeOffset now) => (ExpYear, ExpMonth).CompareTo((now.UtcDateTime.Year, now.UtcDateTime.Month)) < 0;

    /// <summary>"Visa •••• 4242": how the rider recognises the card.</summary>
    public string Label => $"{BrandName(Brand)} •••• {Last4}";

    public static string BrandName(string brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        _ => "Card",
    };
}

/// <summary>
/// A rider's saved cards at one provider (id = the rider's id), with the provider's customer and the default card, which
/// is charged when a ride ends (ADR 0024). Every change is safe to repeat.
/// </summary>
public sealed record Wallet
{
    public const int MaxCards = 5;

    public required string Id { get; init; }
    public required string Provider { get; init; }
    public required string CustomerId { get; init; }
    public IReadOnlyList<SavedCard> Cards { get; init; } = [];
    public string? DefaultCardId { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public SavedCard? Default => Cards.FirstOrDefault(c => c.Id == DefaultCardId);

    public SavedCard? Find(string cardId) => Cards.FirstOrDefault(c => c.Id == cardId);

    /// <summary>
    /// The card the provider confirmed (a redelivered confirmation finds it by its payment-method id and changes
    /// nothing). A new card becomes the default: the rider added it to pay with it.
    /// </summary>
    public Wallet Add(SavedCard card, DateTimeOffset now)
    {
        if (Cards.Any(c => c.ProviderPaymentMethodId == card.ProviderPaymentMethodId)) return this;
        if (Cards.Count >= MaxCards) throw new WalletException($"At most {MaxCards} cards can be saved; remove one first.");
        return this with { Cards = [.. Cards, card], DefaultCardId = card.Id, UpdatedAt = now };
    }

    public Wallet MakeDefault(string cardId, DateTimeOffset now)
    {
        if (Find(cardId) is null) throw new CardNotFoundException(cardId);
        return DefaultCardId == cardId ? this : this with { DefaultCardId = cardId, UpdatedAt = now };
    }

    /// <summary>Forgets a card; the default moves to the most recently added card left (none when none is left).</summary>
    public Wallet Remove(string cardId, DateTimeOffset now)
    {
        if (Find(cardId) is null) throw new CardNotFoundException(cardId);
        var cards = Cards.Where(c => c.Id != cardId).ToList();
        var defaultId = DefaultCardId == cardId ? cards.OrderByDescending(c => c.AddedAt).FirstOrDefault()?.Id : DefaultCardId;
        return this with { Cards = cards, DefaultCardId = defaultId, UpdatedAt = now };
    }

    /// <summary>
    /// The card to charge now: the one the rider chose for the ride (<paramref name="chosenCardId"/>) if it is still saved
    /// and valid, else the default, unless it has expired or the wallet belongs to another provider (cards are the
    /// provider's; ADR 0024). Null: the rider pays through a checkout.
    /// </summary>
    public SavedCard? ChargeableCard(string provider, DateTimeOffset now, string? chosenCardId = null) =>
        Provider != provider ? null
        : chosenCardId is not null && Find(chosenCardId) is { } chosen && !chosen.IsExpired(now) ? chosen
        : Default is { } card && !card.IsExpired(now) ? card : null;
}

/// <summary>The change asked of the wallet is not possible (too many cards): nothing was written.</summary>
public class WalletException(string message) : Exception(message);

public sealed class CardNotFoundException(string cardId) : WalletException($"No saved card {cardId}.");
