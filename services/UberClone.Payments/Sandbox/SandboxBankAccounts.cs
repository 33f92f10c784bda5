namespace UberClone.Payments.Sandbox;

/// <summary>
/// What a sandbox test bank account does: paid; every transfer to it refused with <paramref name="PayoutFailure"/>; or
/// transfers arrive and the bank refuses the payout from the account to it later with <paramref name="BankRefusal"/>
/// (Stripe's <c>payout.failed</c> of the connected account).
/// </summary>
public sealed record SandboxTestBankAccount(string Iban, string Description, string? PayoutFailure = null, string? BankRefusal = null);

/// <summary>
/// A driver's account in the sandbox (what a Stripe Connect account is): who it pays, the bank account's country and last
/// 4 characters (never the whole number), and what its test number does.
/// </summary>
public sealed record SandboxConnectedAccount(string Id, string DriverId, string? Country, string? Last4, string? PayoutFailure, DateTimeOffset CreatedAt,
    string? BankRefusal = null)
{
    public bool PayoutsEnabled => Last4 is not null;

    public string? Destination => Last4 is null ? null : $"{Country} •••• {Last4}";
}

/// <summary>A link to the sandbox's onboarding page for one account (Stripe's account links: single purpose, short-lived).</summary>
public sealed record SandboxAccountLink(string Id, string AccountId, string DriverId, DateTimeOffset ExpiresAt);

/// <summary>A sandbox transfer, kept under its payout's id so the same transfer asked twice answers the first one.</summary>
public sealed record SandboxTransfer(string Id, string TransferId, bool Succeeded, string? FailureCode, long AmountMinor, string Currency, string AccountId);

/// <summary>
/// Stripe's test bank account numbers (IBANs), which the sandbox honours the way Stripe's test mode does; any other number
/// is refused, so a real bank account is never typed into it.
/// </summary>
public static class SandboxBankAccounts
{
    public static readonly TimeSpan LinkValidity = TimeSpan.FromMinutes(30);

    public static readonly IReadOnlyList<SandboxTestBankAccount> TestAccounts =
    [
        new("DE89370400440532013000", "Germany: payouts arrive"),
        new("FR1420041010050500013M02606", "France: payouts arrive"),
        new("DE62370400440532013001", "Germany: every payout refused (no such account)", PayoutFailure: "no_account"),
        new("DE35370400440532013002", "Germany: payouts are sent, then the bank refuses them (account closed)", BankRefusal: "account_closed"),
    ];

    /// <summary>The test account the form names, or why the form is refused (the message the page shows).</summary>
    public static (SandboxTestBankAccount? Account, string? Error) Check(string? holder, string? iban)
    {
        if (string.IsNullOrWhiteSpace(holder)) return (null, "Enter the account holder's name.");
        if (holder.Trim().Length > 100) return (null, "The account holder's name is too long (at most 100 characters).");
        if (string.IsNullOrWhiteSpace(iban)) return (null, "Enter the IBAN.");
        var compact = new string(iban.Where(c => c is not (' ' or '-')).ToArray()).ToUpperInvariant();
        if (compact.Length is < 15 or > 34 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1]) || !compact.All(char.IsAsciiLetterOrDigit))
        {
            return (null, "An IBAN is a country code and 13 to 32 letters or digits.");
        }
        if (!PassesMod97(compact)) return (null, "The IBAN is not valid (check the characters).");
        var account = TestAccounts.FirstOrDefault(a => a.Iban == compact);
        return account is null ? (null, "The sandbox takes only its test accounts (listed on this page); never enter a real account here.") : (account, null);
    }

    /// <summary>ISO 13616: the first four characters moved to the end, letters as 10..35, the number mod 97 is 1.</summary>
    private static bool PassesMod97(string iban)
    {
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder == 1;
    }
}
