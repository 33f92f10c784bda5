namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// What a payment is for: the trip's fare, the fee of a rider cancellation after the free window, or a tip the rider adds
/// after paying the fare (paid on its own). The fare and the fee are the trip's charge, paid once; a tip is paid once
/// besides it.
/// </summary>
public static class PaymentPurposes
{
    public const string Fare = "fare";
    public const string CancellationFee = "cancellation_fee";
    public const string Tip = "tip";
    /// <summary>The fee for a lost item the driver returned (ADR 0035), charged after the ride on its own, all of it the driver's.</summary>
    public const string ItemReturn = "item_return";
    /// <summary>An invitee's share of a split fare (ADR 0040), charged to their card before the rest of the fare.</summary>
    public const string SplitShare = "split_share";

    public static bool IsKnown(string? purpose) => purpose is Fare or CancellationFee or Tip or ItemReturn;

    /// <summary>
    /// Payments of the same charge (one of them at most is paid): the trip's charge (its fare or cancellation fee), its
    /// separate tip, or its lost item's return fee.
    /// </summary>
    public static bool SameCharge(string a, string b) => ChargeOf(a) == ChargeOf(b);

    /// <summary>The trip's own charge, what the booking's hold is for: not a tip or a return fee after the ride.</summary>
    public static bool IsTripCharge(string purpose) => ChargeOf(purpose) == Fare;

    private static string ChargeOf(string purpose) => purpose is Tip or ItemReturn or SplitShare ? purpose : Fare;
}

/// <param name="CardId">The saved card the rider chose for the ride (ADR 0027); null or no longer saved: their default card.</param>
/// <param name="Splits">
/// A split fare's shares (ADR 0040, the fare only): each charged to its rider's card first; the rider pays
/// <paramref name="AmountMinor"/> less what those cards paid.
/// </param>
/// <param name="Method">
/// <see cref="PaymentCollection.Cash"/> (ADR 0042): the rider paid the driver in cash; payments records it paid without a
/// provider. Null: a saved card, else a checkout, as always.
/// </param>
/// <param name="SpendCredit">
/// Whether the rider's ride credit pays the fare or fee first (ADR 0051): false for a business ride (ADR 0034), the
/// employer's expense. Older publishers: true.
/// </param>
public sealed record PaymentCreateSessionCommand(string TripId, string RiderId, long AmountMinor, string Currency, int Attempt, string Purpose = PaymentPurposes.Fare,
    string? CardId = null, IReadOnlyList<SplitShare>? Splits = null, string? Method = null, bool SpendCredit = true);

/// <summary>How a charge is collected when not by card or checkout (ADR 0042).</summary>
public static class PaymentCollection
{
    /// <summary>The rider paid the driver in cash; also what a trip paid so says it was paid with.</summary>
    public const string Cash = "cash";

    /// <summary>The rider's ride credit paid all of it (ADR 0051); also what a trip paid so says it was paid with.</summary>
    public const string RideCredit = "ride credit";
}

/// <summary>One invitee's share of a split fare (ADR 0040): charged to <paramref name="CardId"/>, one of their saved cards.</summary>
public sealed record SplitShare(string RiderId, string CardId, long AmountMinor);

/// <summary>
/// An invitee's share of a split fare was charged (<paramref name="Paid"/>), or their card declined it
/// (<paramref name="DeclineCode"/>): the trip's rider pays it then (ADR 0040).
/// </summary>
public sealed record PaymentSplitShareChargedIntegrationEvent(string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, bool Paid,
    string? CardLabel, string? DeclineCode, DateTimeOffset At);

/// <summary>
/// A payment began: a checkout for the rider to open (<paramref name="CheckoutUrl"/>), or, <paramref name="Method"/>
/// <c>card</c>, the rider's saved card being charged (<paramref name="CardLabel"/> "Visa •••• 4242"; no URL).
/// </summary>
public sealed record PaymentSessionCreatedIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, string CheckoutUrl, DateTimeOffset ExpiresAt,
    string Purpose = PaymentPurposes.Fare, string Method = "checkout", string? CardLabel = null);

/// <summary>
/// A payment went through; <paramref name="Purpose"/> and <paramref name="Attempt"/> say which (older publishers: fare,
/// 0); <paramref name="CardLabel"/>: the saved card it was charged to ("Visa •••• 4242"), null for a checkout.
/// <paramref name="SplitPaidMinor"/>: of a split fare (ADR 0040), what the invitees' cards paid besides.
/// <paramref name="CreditPaidMinor"/>: what the rider's ride credit paid besides (ADR 0051).
/// </summary>
public sealed record PaymentSucceededIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, DateTimeOffset PaidAt,
    string Purpose = PaymentPurposes.Fare, int Attempt = 0, string? CardLabel = null, long SplitPaidMinor = 0, long CreditPaidMinor = 0);

/// <summary>
/// An attempt ended unpaid. <paramref name="Attempt"/>: the trip's payment attempt it was (0 from older publishers).
/// <paramref name="CreditPaidMinor"/>: what the rider's ride credit paid of the charge all the same (ADR 0051): it stays
/// on the charge, so the rider owes only the rest.
/// </summary>
public sealed record PaymentFailedIntegrationEvent(string SessionId, string TripId, string RiderId, string Reason, DateTimeOffset At, int Attempt = 0,
    string Purpose = PaymentPurposes.Fare, long CreditPaidMinor = 0);

/// <summary>
/// Who bears a refund. <see cref="Goodwill"/> (an operator's default): the platform; the driver's earnings stay.
/// <see cref="FareAdjustment"/>: the fare was more than the ride was worth, so the driver earns as if it had been lower.
/// <see cref="DuplicatePayment"/>: payments gave back a second payment of an already paid trip (not the trip's payment).
/// <see cref="Provider"/>: refunded at the provider (Stripe's dashboard), outside the platform; borne like goodwill.
/// </summary>
public static class RefundKinds
{
    public const string Goodwill = "goodwill";
    public const string FareAdjustment = "fare_adjustment";
    public const string DuplicatePayment = "duplicate_payment";
    public const string Provider = "provider";

    /// <summary>
    /// A tip paid on its own (after the fare) given back: the driver no longer earns that part of it. Refunds the tip's
    /// payment, not the fare's.
    /// </summary>
    public const string Tip = "tip";

    /// <summary>
    /// A lost item's return fee given back (ADR 0035; the item did not really come back): the driver no longer earns that
    /// part of it. Refunds the fee's payment, not the fare's.
    /// </summary>
    public const string ItemReturn = "item_return";

    /// <summary>
    /// The fare (or part of it) given back as the rider's ride credit (ADR 0051) instead of to the card: the platform bears
    /// it as it does a goodwill refund (the driver's earnings stay). The only refund a fare paid in cash can have.
    /// </summary>
    public const string Credit = "credit";

    /// <summary>What an operator may ask for; the other kinds are payments' own.</summary>
    public static bool IsOperatorKind(string? kind) => kind is Goodwill or FareAdjustment or Tip or ItemReturn or Credit;
}

/// <summary>
/// Money went back to the rider. <paramref name="AmountMinor"/> is this refund; <paramref name="RefundedTotalMinor"/>
/// is everything refunded on the session so far (equal to the paid amount when <paramref name="FullyRefunded"/>); <paramref name="Kind"/>: who bears it
/// (<see cref="RefundKinds"/>). <paramref name="CreditMinor"/>: the part of it that went to the rider's ride credit (ADR 0051:
/// all of a refund of kind credit; of another kind, what ride credit had paid beyond what the card can give back), the
/// rest went back to the card.
/// </summary>
public sealed record PaymentRefundedIntegrationEvent(
    string SessionId, string TripId, string RiderId, string RefundId, long AmountMinor, long RefundedTotalMinor, string Currency,
    string Reason, bool FullyRefunded, DateTimeOffset At, string Kind = RefundKinds.Goodwill, long CreditMinor = 0);

/// <summary>
/// A driver's payout (ADR 0025) reached their account at the provider: <paramref name="AmountMinor"/> of
/// <paramref name="Currency"/>, what they earned until <paramref name="EarnedBefore"/> and had not been paid;
/// <paramref name="Destination"/> is how the driver recognises their bank account ("DE •••• 3000").
/// <paramref name="Trigger"/>: <c>weekly</c> or <c>instant</c> (the driver cashed out).
/// </summary>
public sealed record PayoutPaidIntegrationEvent(
    string PayoutId, string DriverId, long AmountMinor, string Currency, string Trigger, string Destination, DateTimeOffset EarnedBefore, DateTimeOffset At);

/// <summary>A driver's payout was refused (<paramref name="Reason"/>: the provider's code); what it held is owed to them again.</summary>
public sealed record PayoutFailedIntegrationEvent(
    string PayoutId, string DriverId, long AmountMinor, string Currency, string Trigger, string Reason, DateTimeOffset At);

/// <summary>
/// The driver's bank refused a payout the provider sent from their account there (Stripe's <c>payout.failed</c> of the
/// connected account): <paramref name="AmountMinor"/> of <paramref name="Currency"/>, to arrive on <paramref name="PaidOn"/>;
/// <paramref name="Code"/> the bank's reason, <paramref name="Message"/> what the driver is told ("the account is closed").
/// The money is back in the driver's balance at the provider, paid again once they fix their bank account. Published
/// once per refused payout (<paramref name="ProviderPayoutId"/>).
/// </summary>
public sealed record PayoutBankRefusedIntegrationEvent(
    string DriverId, string ProviderPayoutId, long AmountMinor, string Currency, string Code, string Message, DateTimeOffset PaidOn, DateTimeOffset At);

/// <summary>
/// The driver's bank took a payout again after refusing one (<see cref="PayoutBankRefusedIntegrationEvent"/>): the
/// provider's <paramref name="ProviderPayoutId"/> of <paramref name="AmountMinor"/> <paramref name="Currency"/> was paid,
/// and the refusal is over. Published once, when the refusal is cleared; not for a payout paid while none was kept.
/// </summary>
public sealed record PayoutBankRefusalClearedIntegrationEvent(string DriverId, string ProviderPayoutId, long AmountMinor, string Currency, DateTimeOffset At);

/// <summary>
/// A rider's ride credit went up (ADR 0051): <paramref name="Kind"/> <c>grant</c> (support gave it, saying why in
/// <paramref name="Reason"/>) or <c>refund</c> (a trip's fare given back as credit; its <paramref name="TripId"/>, and
/// trips' <c>trip.event.refunded</c> mails the rider about it). <paramref name="BalanceMinor"/>: the balance in
/// <paramref name="Currency"/> after it. Published once per entry.
/// </summary>
public sealed record PaymentCreditAddedIntegrationEvent(
    string RiderId, string EntryId, string Kind, long AmountMinor, string Currency, long BalanceMinor, string Reason, string? TripId, DateTimeOffset At)
{
    public const string Grant = "grant";
    public const string Refund = "refund";
}

/// <summary>
/// A saved card was removed from a rider's account (ADR 0024): by the rider, or by support (<paramref name="RemovedBy"/>
/// <c>rider</c> | <c>support</c>, with the <paramref name="Reason"/> support gave). It is never charged again; the rider
/// is told by mail either way, as a notice about their account.
/// </summary>
public sealed record PaymentCardRemovedIntegrationEvent(string RiderId, string CardLabel, string RemovedBy, string? Reason, DateTimeOffset At)
{
    public const string ByRider = "rider";
    public const string BySupport = "support";
}

/// <summary>
/// What a trip's card hold is now (ADR 0030), carried by every write of it: <paramref name="Status"/> held | declined |
/// placing | authenticating | capturing | captured | releasing | released, <paramref name="AmountMinor"/> what is (or was
/// to be) held, <paramref name="RaiseDeclineCode"/> when the bank declined raising it for a new destination. Trips shows it
/// on the trip, so a bank's answer that came after trips stopped waiting still reaches the rider. <paramref name="Version"/>
/// (Unix ms of the write) orders the answers of one hold: an older one never replaces a newer. <paramref name="CardId"/>: the
/// saved card it is on (the rider may move the ride to another, ADR 0032; null in events written before that).
/// </summary>
public sealed record PaymentHoldChangedIntegrationEvent(
    string TripId, string RiderId, string Status, string CardLabel, long AmountMinor, string Currency, string? RaiseDeclineCode, long Version, DateTimeOffset At,
    string? CardId = null);

/// <summary>
/// A driver's net in <paramref name="Currency"/> (the ledger's lines not yet paid out) went below −<paramref name="LimitMinor"/>
/// (<paramref name="Reached"/>: they owe more than the limit from rides paid in cash, ADR 0042) or came back above it. Once
/// per crossing; <paramref name="OwedMinor"/> is what they owed then (positive, 0 when nothing). <paramref name="Crossing"/>
/// counts the crossings of this driver and currency: an older one arriving late is ignored.
/// </summary>
public sealed record DriverCashLimitIntegrationEvent(
    string DriverId, string Currency, long OwedMinor, long LimitMinor, bool Reached, int Crossing, DateTimeOffset At);
