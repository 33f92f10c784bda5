namespace UberClone.Payments.Domain;

/// <summary>
/// One line of a rider's ride credit (ADR 0051): <see cref="AmountMinor"/> added (a grant from support, a fare refunded
/// as credit), who added it (<see cref="By"/>: the support account, or <c>operator-key</c>), when, why, and the trip a
/// refund came from. <see cref="Id"/> is the caller's (a grant's id, a refund's id), so asking again adds nothing.
/// </summary>
public sealed record CreditEntry(string Id, string Kind, long AmountMinor, string By, string Reason, string? TripId, DateTimeOffset At);

/// <summary>
/// A rider's ride credit in one currency (id <c>{riderId}:{currency}</c>): the balance and every line that made it, newest
/// last. Every change is keyed by its entry id and safe to repeat.
/// </summary>
public sealed record CreditAccount
{
    public const string CollectionName = "credit_accounts";

    /// <summary>An entry of credit spent on a ride (negative), beside the grants and refunds that add it.</summary>
    public const string SpentKind = "spent";
    public const string RiderIdField = "riderId";

    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required string Currency { get; init; }
    public long BalanceMinor { get; init; }
    public IReadOnlyList<CreditEntry> Entries { get; init; } = [];
    public required DateTimeOffset UpdatedAt { get; init; }

    public static string IdFor(string riderId, string currency) => $"{riderId}:{currency.ToUpperInvariant()}";

    public static CreditAccount Open(string riderId, string currency, DateTimeOffset now) =>
        new() { Id = IdFor(riderId, currency), RiderId = riderId, Currency = currency.ToUpperInvariant(), UpdatedAt = now };

    public CreditEntry? Find(string entryId) => Entries.FirstOrDefault(e => e.Id == entryId);

    /// <summary>
    /// Credit pays for a ride first (ADR 0051): up to <paramref name="upToMinor"/> of the balance is spent as entry
    /// <paramref name="entryId"/> (one per trip and charge, stored negative), and <paramref name="spentMinor"/> says how
    /// much. The same entry again spends nothing more and answers what it spent then, so every attempt of a charge takes
    /// the rest from the card. Nothing to spend: the account as it is.
    /// </summary>
    public CreditAccount Spend(string entryId, long upToMinor, string tripId, DateTimeOffset now, out long spentMinor)
    {
        if (Find(entryId) is { } spent)
        {
            spentMinor = -spent.AmountMinor;
            return this;
        }
        spentMinor = Math.Clamp(upToMinor, 0, BalanceMinor);
        if (spentMinor == 0) return this;
        return this with
        {
            BalanceMinor = BalanceMinor - spentMinor,
            Entries = [.. Entries, new CreditEntry(entryId, SpentKind, -spentMinor, "rider", "paid for a ride", tripId, now)],
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Adds <paramref name="amountMinor"/> (positive) to the balance as entry <paramref name="entryId"/>; an entry already
    /// there changes nothing (the same account is answered), whatever the repeat says.
    /// </summary>
    public CreditAccount Add(string entryId, string kind, long amountMinor, string by, string reason, string? tripId, DateTimeOffset now)
    {
        if (Find(entryId) is not null) return this;
        if (amountMinor <= 0) throw new ArgumentOutOfRangeException(nameof(amountMinor), amountMinor, "Credit is added in positive amounts.");
        return this with
        {
            BalanceMinor = checked(BalanceMinor + amountMinor),
            Entries = [.. Entries, new CreditEntry(entryId, kind, amountMinor, by, reason, tripId, now)],
            UpdatedAt = now,
        };
    }
}

/// <summary>
/// Ride credit's settings: <c>Credit:MaxGrantMinor</c>, the most support gives in one grant (default 10000 = 100.00), and
/// <c>Credit:Currency</c>, a grant's currency when support names none (default USD, as pricing's).
/// </summary>
public sealed class CreditOptions
{
    public const long DefaultMaxGrantMinor = 10_000;

    public long MaxGrantMinor { get; init; } = DefaultMaxGrantMinor;

    public string Currency { get; init; } = "USD";

    public static CreditOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Credit");
        var options = new CreditOptions
        {
            MaxGrantMinor = section.GetValue("MaxGrantMinor", DefaultMaxGrantMinor),
            Currency = (section["Currency"] ?? "USD").Trim().ToUpperInvariant(),
        };
        if (options.MaxGrantMinor <= 0) throw new InvalidOperationException("Credit:MaxGrantMinor must be positive.");
        if (options.Currency.Length != 3 || !options.Currency.All(char.IsAsciiLetter)) throw new InvalidOperationException("Credit:Currency must be a 3-letter ISO code.");
        return options;
    }
}
