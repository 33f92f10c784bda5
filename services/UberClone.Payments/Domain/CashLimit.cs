namespace UberClone.Payments.Domain;

/// <summary>
/// How much a driver may owe the platform from rides paid in cash (ADR 0042), per currency, in minor units:
/// <c>Payouts:CashOwedLimitMinor</c> (default 5000 = 50.00) and <c>Payouts:CashOwedLimits:{CURRENCY}</c> for a currency of its own.
/// </summary>
public sealed class CashLimitOptions
{
    public const long DefaultLimitMinor = 5_000;

    public long CashOwedLimitMinor { get; init; } = DefaultLimitMinor;

    public IReadOnlyDictionary<string, long> CashOwedLimits { get; init; } = new Dictionary<string, long>();

    public long LimitMinor(string currency) =>
        CashOwedLimits.FirstOrDefault(l => string.Equals(l.Key, currency, StringComparison.OrdinalIgnoreCase)) is { Key: not null, Value: var own } ? own : CashOwedLimitMinor;

    public static CashLimitOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Payouts");
        var options = new CashLimitOptions
        {
            CashOwedLimitMinor = section.GetValue("CashOwedLimitMinor", DefaultLimitMinor),
            CashOwedLimits = section.GetSection("CashOwedLimits").GetChildren()
                .ToDictionary(c => c.Key.ToUpperInvariant(), c => long.Parse(c.Value ?? "", System.Globalization.CultureInfo.InvariantCulture)),
        };
        options.Validate();
        return options;
    }

    public void Validate()
    {
        if (CashOwedLimitMinor <= 0) throw new InvalidOperationException("Payouts:CashOwedLimitMinor must be positive.");
        if (CashOwedLimits.FirstOrDefault(l => l.Value <= 0) is { Key: { } currency }) throw new InvalidOperationException($"Payouts:CashOwedLimits:{currency} must be positive.");
    }
}

/// <summary>
/// Whether a driver owes more than the limit from rides paid in cash, in one currency (id "{driver}:{currency}"): written
/// when it changes, with the event that tells drivers (<c>payment.event.driver_cash_limit</c>). Decided from the ledger
/// as it is after a write, so a redelivered line decides nothing new. <see cref="Crossings"/> counts the changes.
/// </summary>
public sealed record DriverCashLimit
{
    public required string Id { get; init; }
    public required string DriverId { get; init; }
    public required string Currency { get; init; }
    public bool Reached { get; init; }
    /// <summary>What the driver owed at the last crossing (positive; 0 when the net was not negative).</summary>
    public long OwedMinor { get; init; }
    public long LimitMinor { get; init; }
    public int Crossings { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }

    public static string IdOf(string driverId, string currency) => $"{driverId}:{currency}";

    /// <summary>Past the limit: the net owed to the driver is below −<paramref name="limitMinor"/> (owing exactly the limit is not past it).</summary>
    public static bool IsPast(long netMinor, long limitMinor) => netMinor < -limitMinor;

    /// <summary>
    /// The first decision for a driver and currency with no state yet: a state only when the net is past the limit (a
    /// driver never past it has nothing to come back from); null otherwise.
    /// </summary>
    public static DriverCashLimit? First(string driverId, string currency, long netMinor, long limitMinor, DateTimeOffset now) =>
        IsPast(netMinor, limitMinor)
            ? new DriverCashLimit
            {
                Id = IdOf(driverId, currency), DriverId = driverId, Currency = currency, Reached = true, OwedMinor = -netMinor,
                LimitMinor = limitMinor, Crossings = 1, ChangedAt = now,
            }
            : null;

    /// <summary>The state once the net is <paramref name="netMinor"/>: this same instance unless it crossed the limit, one way or the other.</summary>
    public DriverCashLimit After(long netMinor, long limitMinor, DateTimeOffset now) =>
        IsPast(netMinor, limitMinor) == Reached ? this
            : this with { Reached = !Reached, OwedMinor = Math.Max(0, -netMinor), LimitMinor = limitMinor, Crossings = Crossings + 1, ChangedAt = now };
}
