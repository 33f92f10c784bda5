namespace UberClone.Payments.Domain;

public static class CardSetupStatus
{
    public const string Open = "open";
    public const string Completed = "completed";
    /// <summary>The account was erased before the provider confirmed the card: a late confirmation saves nothing.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A rider adding a card on the provider's page (a checkout in setup mode). Recorded before the rider is sent there, so
/// the provider's confirmation is tied to the rider who started it, and a repeated confirmation adds the card once.
/// </summary>
public sealed record CardSetup
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(30);

    public const string CollectionName = "card_setups";
    public const string CreatedAtField = "createdAtMs";

    /// <summary>
    /// A setup is kept 30 days, then deleted (the retention sweeper, ADR 0008): its page lasted 30 minutes and Stripe
    /// redelivers its webhook for up to 3 days, like the webhook events' own record.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>Indexed, so setups past <see cref="Retention"/> can be deleted in order.</summary>
    public long CreatedAtMs => CreatedAt.ToUnixTimeMilliseconds();

    public required string Id { get; init; }
    public required string RiderId { get; init; }
    /// <summary>The provider's customer the card is saved on (the wallet's).</summary>
    public string? CustomerId { get; init; }
    public required string Provider { get; init; }
    public required string ProviderSessionId { get; init; }
    public required string Url { get; init; }
    public string Status { get; init; } = CardSetupStatus.Open;
    public string? CardId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    public bool IsOpen(DateTimeOffset now) => Status == CardSetupStatus.Open && now <= ExpiresAt;

    public CardSetup Complete(string cardId) => Status == CardSetupStatus.Open ? this with { Status = CardSetupStatus.Completed, CardId = cardId } : this;

    public CardSetup Cancel() => Status == CardSetupStatus.Open ? this with { Status = CardSetupStatus.Cancelled } : this;
}
