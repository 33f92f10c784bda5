using UberClone.Storage;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// What a sandbox test card does: saved and charged, or refused at one of the two steps with a bank's code; a card with a
/// <paramref name="LimitMinor"/> has that much available (a hold or charge for more is declined for insufficient funds); a
/// <paramref name="SlowBank"/> card's bank takes <see cref="SandboxCards.SlowBankDelay"/> to answer a hold.
/// </summary>
public sealed record SandboxTestCard(string Number, string Brand, string Description, string? SetupDecline = null, string? ChargeDecline = null,
    long? LimitMinor = null, bool SlowBank = false);

/// <summary>
/// A card saved in the sandbox: the provider-side state Stripe keeps for a PaymentMethod (only the last 4 digits and
/// what the test number does; never the number).
/// </summary>
public sealed record SandboxPaymentMethod(string Id, string SetupIntentId, string CustomerId, string Brand, string Last4, int ExpMonth, int ExpYear,
    string? ChargeDecline, bool Detached, DateTimeOffset CreatedAt, long? LimitMinor = null, bool SlowBank = false)
{
    /// <summary>The bank's code for a hold or charge of <paramref name="amountMinor"/> for <paramref name="customerId"/> on this card; null: accepted.</summary>
    public static string? DeclineFor(SandboxPaymentMethod? card, string customerId, long amountMinor) =>
        card is null || card.Detached || card.CustomerId != customerId ? "card_declined"
        : card.ChargeDecline ?? (amountMinor > card.LimitMinor ? "insufficient_funds" : null);
}

/// <summary>A sandbox charge, kept under its idempotency key so the same charge asked twice answers the first one.</summary>
public sealed record SandboxCharge(string Id, string PaymentIntentId, bool Succeeded, string? DeclineCode);

/// <summary>
/// A sandbox hold (ADR 0027), kept under its idempotency key like a charge: <c>requires_capture</c> while held, then
/// <c>succeeded</c> (captured) or <c>canceled</c>; a declined one is <c>failed</c>, or <c>requires_payment_method</c> when
/// the bank wants the rider to authenticate it (ADR 0028), then <c>requires_action</c> while the rider is on the sandbox's
/// authentication page (<paramref name="AuthenticationId"/>). Like Stripe's, it lapses after 7 days.
/// </summary>
public sealed record SandboxHold(string Id, string PaymentIntentId, long AmountMinor, string Currency, string Status, string? DeclineCode,
    long CapturedMinor, DateTimeOffset CreatedAt, string? PaymentMethodId = null, string? AuthenticationId = null, string? ReturnUrl = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public const string NeedsAuthentication = "requires_payment_method";
}

/// <summary>The card form's fields, checked as a card form checks them.</summary>
public sealed record SandboxCardForm(string Number, int ExpMonth, int ExpYear, string Cvc);

/// <summary>
/// Stripe's test card numbers, which the sandbox honours the way Stripe's test mode does, and two of the sandbox's own for
/// what Stripe's test mode cannot show (a card with little money left, a bank slower than trips waits for a hold); any
/// other number is refused (a sandbox must never be handed a real card).
/// </summary>
public static class SandboxCards
{
    public static readonly IReadOnlyList<SandboxTestCard> TestCards =
    [
        new("4242424242424242", "visa", "Visa: saved and charged"),
        new("5555555555554444", "mastercard", "Mastercard: saved and charged"),
        new("378282246310005", "amex", "American Express: saved and charged"),
        new("4000000000000341", "visa", "saved, every charge declined", ChargeDecline: "card_declined"),
        new("4000000000009995", "visa", "saved, charges declined for insufficient funds", ChargeDecline: "insufficient_funds"),
        new("4000002760003184", "visa", "saved, the bank asks for authentication at every charge", ChargeDecline: "authentication_required"),
        new("4000000000000002", "visa", "refused when saving", SetupDecline: "card_declined"),
        new("4000000000002503", "visa", "sandbox only: $25.00 available, a hold or charge for more declined for insufficient funds", LimitMinor: 2500),
        new("4000000000005001", "visa", "sandbox only: the bank takes 5 seconds to answer a hold (longer than booking waits)", SlowBank: true),
    ];

    /// <summary>How long a slow bank takes to answer a hold: longer than trips waits for one while booking (3 seconds).</summary>
    public static readonly TimeSpan SlowBankDelay = TimeSpan.FromSeconds(5);

    /// <summary>The test card, or why the form is refused (the message the page shows).</summary>
    public static (SandboxTestCard? Card, string? Error) Check(SandboxCardForm form, DateTimeOffset now)
    {
        var number = new string(form.Number.Where(c => c is not (' ' or '-')).ToArray());
        if (number.Length is < 12 or > 19 || !number.All(char.IsAsciiDigit)) return (null, "The card number must be 12 to 19 digits.");
        if (!PassesLuhn(number)) return (null, "The card number is not valid (check the digits).");
        if (form.ExpMonth is < 1 or > 12) return (null, "The expiry month must be 1 to 12.");
        var year = FullYear(form.ExpYear);
        if ((year, form.ExpMonth).CompareTo((now.UtcDateTime.Year, now.UtcDateTime.Month)) < 0) return (null, "The card has expired.");
        if (year > now.UtcDateTime.Year + 20) return (null, "The expiry year is too far ahead.");
        if (form.Cvc.Length is < 3 or > 4 || !form.Cvc.All(char.IsAsciiDigit)) return (null, "The security code (CVC) must be 3 or 4 digits.");
        var card = TestCards.FirstOrDefault(c => c.Number == number);
        if (card is null) return (null, "The sandbox takes only its test cards (listed on this page); never enter a real card here.");
        if (card.SetupDecline is { } decline) return (null, $"Your card was declined ({decline}).");
        return (card, null);
    }

    public static int FullYear(int year) => year < 100 ? 2000 + year : year;

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}

/// <summary>The sandbox provider's own records (what Stripe keeps on its side), in payments' database.</summary>
public sealed class SandboxProviderStore(IDocumentDatabase database)
{
    public IDocumentStore<SandboxPaymentMethod> PaymentMethods { get; } =
        database.Collection<SandboxPaymentMethod>("sandbox_payment_methods", "setupIntentId");

    public IDocumentStore<SandboxCharge> Charges { get; } = database.Collection<SandboxCharge>("sandbox_charges");

    public IDocumentStore<SandboxHold> Holds { get; } = database.Collection<SandboxHold>("sandbox_holds", "paymentIntentId", "authenticationId");

    public IDocumentStore<SandboxConnectedAccount> Accounts { get; } = database.Collection<SandboxConnectedAccount>("sandbox_accounts");

    public IDocumentStore<SandboxAccountLink> AccountLinks { get; } = database.Collection<SandboxAccountLink>("sandbox_account_links");

    public IDocumentStore<SandboxTransfer> Transfers { get; } = database.Collection<SandboxTransfer>("sandbox_transfers");

    /// <summary>What the sandbox's "bank" is paid from drivers' accounts (<see cref="SandboxBank"/>).</summary>
    public IDocumentStore<SandboxBankPayout> BankPayouts { get; } =
        database.Collection<SandboxBankPayout>("sandbox_bank_payouts", SandboxBankPayout.DueField, "accountId");
}
