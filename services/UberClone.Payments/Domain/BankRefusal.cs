namespace UberClone.Payments.Domain;

/// <summary>
/// The driver's bank refused a payout the provider sent from their account there (Stripe's <c>payout.failed</c> of the
/// connected account), days after our transfer reached that account: the money is back in the driver's balance at the
/// provider (not ours), which pays it again once the bank account is fixed. <see cref="Message"/> is what the driver is
/// told ("the account is closed"), from the bank's <see cref="Code"/>; <see cref="PaidOn"/> the day the payout was to
/// arrive; <see cref="PayoutCreatedAt"/> orders it against the provider's other payouts.
/// </summary>
public sealed record BankRefusal(string ProviderPayoutId, long AmountMinor, string Currency, string Code, string Message, DateTimeOffset PaidOn,
    DateTimeOffset PayoutCreatedAt, DateTimeOffset At);

/// <summary>A payout the provider sent from a driver's account to their bank, as its webhook tells it: paid, or refused by the bank.</summary>
public sealed record BankPayout(string ProviderPayoutId, long AmountMinor, string Currency, DateTimeOffset CreatedAt, DateTimeOffset ArrivalDate,
    string? FailureCode)
{
    public bool Failed => FailureCode is not null;
}

/// <summary>What a driver is told when their bank refuses a payout, from Stripe's payout failure codes. No I/O.</summary>
public static class BankRefusals
{
    public const string Generic = "the bank did not accept it";

    /// <summary>A clause for "Your bank did not accept €12.34 paid on 3 Dec: …" (no capital, no full stop).</summary>
    public static string Message(string? code) => code switch
    {
        "account_closed" => "the account is closed",
        "no_account" => "the bank cannot find the account",
        "invalid_account_number" => "the account number is not valid",
        "account_frozen" => "the account is frozen",
        "bank_account_restricted" => "the account does not accept this kind of payment",
        "insufficient_funds" => "the balance at the payment provider did not cover it",
        "debit_not_authorized" => "the bank does not allow payments of this kind to the account",
        "invalid_currency" => "the account cannot receive this currency",
        "incorrect_account_holder_name" => "the name does not match the account holder's",
        "incorrect_account_holder_address" => "the address does not match the account holder's",
        "incorrect_account_holder_tax_id" => "the tax id does not match the account holder's",
        "bank_ownership_changed" => "the account moved to another bank",
        "declined" => "the bank declined it",
        "could_not_process" => "the bank could not process it",
        _ => Generic,
    };

    /// <summary>
    /// What the account says after the provider's payout <paramref name="payout"/>: refused by the bank (kept) or paid
    /// (a refusal kept is over: the bank took a payout again). An event about a payout older than the newest applied
    /// (<see cref="PayoutAccount.BankPayoutAt"/>) changes nothing, nor one applied already; the same payout may be paid
    /// first and refused later (a bank returns it), never the other way. Payouts made in the same second are taken in the
    /// order their news arrives.
    /// </summary>
    public static PayoutAccount After(PayoutAccount account, BankPayout payout, DateTimeOffset now)
    {
        if (account.BankPayoutAt is { } newest && payout.CreatedAt < newest) return account;
        if (payout.Failed)
        {
            if (account.BankRefusal?.ProviderPayoutId == payout.ProviderPayoutId) return account;
            var refusal = new BankRefusal(payout.ProviderPayoutId, payout.AmountMinor, payout.Currency, payout.FailureCode!, Message(payout.FailureCode),
                payout.ArrivalDate, payout.CreatedAt, now);
            return account with { BankRefusal = refusal, BankPayoutAt = payout.CreatedAt, BankPayoutId = payout.ProviderPayoutId, UpdatedAt = now };
        }
        if (account.BankPayoutAt == payout.CreatedAt && account.BankPayoutId == payout.ProviderPayoutId) return account;
        return account with { BankRefusal = null, BankPayoutAt = payout.CreatedAt, BankPayoutId = payout.ProviderPayoutId, UpdatedAt = now };
    }
}
