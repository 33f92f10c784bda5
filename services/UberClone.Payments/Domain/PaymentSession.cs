using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Payments.Domain;

/// <summary>How a session collects its money: a checkout the rider opens, or the rider's saved card charged by payments (ADR 0024).</summary>
public static class PaymentMethods
{
    public const string Checkout = "checkout";
    public const string Card = "card";
    /// <summary>The rider paid the driver in cash (ADR 0042): recorded paid as the ride ends, no provider involved.</summary>
    public const string Cash = PaymentCollection.Cash;
    /// <summary>Ride credit paid all of it (ADR 0051): recorded paid at once, no provider involved.</summary>
    public const string Credit = "credit";
}

public static class PaymentStatus
{
    public const string Open = "open";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Expired = "expired";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";

    public static bool IsPaid(string status) => status is Succeeded or PartiallyRefunded or Refunded;
}

/// <summary>
/// A refund asked for by an operator (or payments itself, for a duplicate payment): reserved first, then confirmed by
/// the provider (or released). <paramref name="Kind"/>: who bears it (RefundKinds). <paramref name="RequestedBy"/>: who
/// asked (a support account's id, <c>operator-key</c> for the operator key, <c>payments</c> for payments itself; null
/// before it was recorded). <paramref name="CreditMinor"/>: the part given back as ride credit because ride credit paid it
/// (ADR 0051) beyond what the card can give back; the rest goes to the card.
/// </summary>
public sealed record PaymentRefund(string Id, long AmountMinor, string Reason, bool Completed, string? ProviderRefundId, DateTimeOffset CreatedAt,
    string Kind = RefundKinds.Goodwill, string? RequestedBy = null, long CreditMinor = 0)
{
    /// <summary>What goes to the rider's ride credit: all of a refund of kind credit, else the part credit had paid.</summary>
    public long ToCreditMinor => Kind == RefundKinds.Credit ? AmountMinor : CreditMinor;

    /// <summary>What the provider gives back to the card (asked of it under the refund's id).</summary>
    public long ToCardMinor => AmountMinor - ToCreditMinor;
}

/// <summary>
/// One attempt to collect a trip's fare (integer minor units). Every transition is safe to repeat and to receive out of
/// order: a webhook event already recorded on the session changes nothing, and an event that no longer applies (a
/// failure after the payment succeeded) leaves the session as it is. The ids of the provider events that changed the
/// session are stored with it, in the same write as the change.
/// </summary>
public sealed record PaymentSession
{
    /// <summary>Enough to recognise a redelivered event: providers redeliver within hours, not hundreds of events later.</summary>
    public const int RememberedEvents = 32;

    public required string Id { get; init; }
    public required string TripId { get; init; }
    public required string RiderId { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public required int Attempt { get; init; }
    public string Purpose { get; init; } = PaymentPurposes.Fare;
    public required string Status { get; init; }
    public required string Provider { get; init; }
    public required string ProviderSessionId { get; init; }
    /// <summary>Empty for a card session: nothing for the rider to open.</summary>
    public required string CheckoutUrl { get; init; }
    public string Method { get; init; } = PaymentMethods.Checkout;
    /// <summary>The saved card a card session charges, and how the rider knows it ("Visa •••• 4242").</summary>
    public string? CardId { get; init; }
    public string? CardLabel { get; init; }
    /// <summary>A card session that takes its money from the hold placed at booking (ADR 0027); its PaymentIntent is the hold's.</summary>
    public bool FromHold { get; init; }
    public string? PaymentIntentId { get; init; }
    public string? FailureReason { get; init; }
    /// <summary>The fare session of a split fare (ADR 0040): what the invitees' cards paid besides this payment.</summary>
    public long SplitPaidMinor { get; init; }
    /// <summary>What the rider's ride credit paid of the charge before this payment (ADR 0051); the session's amount is the rest.</summary>
    public long CreditPaidMinor { get; init; }
    public long RefundedMinor { get; init; }
    public IReadOnlyList<PaymentRefund> Refunds { get; init; } = [];
    public IReadOnlyList<string> ProcessedEventIds { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>One session per trip and attempt: a redelivered command finds the session it already created.</summary>
    public static string IdFor(string tripId, int attempt) => $"ps_{tripId}_{attempt}";

    /// <summary>An invitee's share of a split fare (ADR 0040): one per trip and invitee, whichever attempt of the fare charged it.</summary>
    public static string ShareIdFor(string tripId, string riderId) => $"ps_{tripId}_split_{riderId}";

    public bool IsPaid => PaymentStatus.IsPaid(Status);

    public bool IsCard => Method == PaymentMethods.Card;

    public const string OpenCardSinceField = "openCardSinceMs";

    /// <summary>Indexed: a card session not charged yet (the provider did not answer), to be charged again until it expires.</summary>
    public long? OpenCardSinceMs => IsCard && Status == PaymentStatus.Open ? CreatedAt.ToUnixTimeMilliseconds() : null;

    /// <summary>What the rider paid for the charge with this payment: what the provider (or the driver, in cash) took and what ride credit paid before it.</summary>
    public long PaidTotalMinor => AmountMinor + CreditPaidMinor;

    /// <summary>What can still be refunded: paid (ride credit's part too), minus refunded, minus refunds in flight.</summary>
    public long RefundableMinor => IsPaid ? PaidTotalMinor - RefundedMinor - Refunds.Where(r => !r.Completed).Sum(r => r.AmountMinor) : 0;

    /// <summary>Of <see cref="RefundedMinor"/>, what went to ride credit (confirmed refunds' credit parts); the rest went back to the card.</summary>
    public long CreditRefundedMinor => Refunds.Where(r => r.Completed).Sum(r => r.ToCreditMinor);

    /// <summary>
    /// What the card can still give back: what it paid, minus its refunds (confirmed or made at the provider) and those
    /// in flight. Nothing for a payment the provider did not take (cash went to the driver; ride credit is not a card).
    /// </summary>
    public long CardRefundableMinor => IsPaid && Method is not (PaymentMethods.Cash or PaymentMethods.Credit)
        ? AmountMinor - (RefundedMinor - CreditRefundedMinor) - Refunds.Where(r => !r.Completed).Sum(r => r.ToCardMinor)
        : 0;

    public bool HasProcessed(string eventId) => ProcessedEventIds.Contains(eventId);

    /// <summary>
    /// The provider took the money. Accepted from failed or expired too: a card can succeed after an earlier decline
    /// on the same checkout, and the record must say what really happened to the money.
    /// </summary>
    public PaymentSession Complete(string? paymentIntentId, string eventId, DateTimeOffset now)
    {
        if (HasProcessed(eventId) || IsPaid) return this;
        return Remember(eventId) with { Status = PaymentStatus.Succeeded, PaymentIntentId = paymentIntentId ?? PaymentIntentId, FailureReason = null, UpdatedAt = now };
    }

    /// <summary>A declined card: final for this attempt only when nothing was paid; a late failure after success is ignored.</summary>
    public PaymentSession Fail(string reason, string? paymentIntentId, string eventId, DateTimeOffset now)
    {
        if (HasProcessed(eventId) || Status != PaymentStatus.Open) return this;
        return Remember(eventId) with { Status = PaymentStatus.Failed, FailureReason = reason, PaymentIntentId = paymentIntentId ?? PaymentIntentId, UpdatedAt = now };
    }

    /// <summary>The checkout can no longer be paid (it timed out, or a newer attempt replaced it).</summary>
    public PaymentSession Expire(string reason, string? eventId, DateTimeOffset now)
    {
        if ((eventId is not null && HasProcessed(eventId)) || Status is not (PaymentStatus.Open or PaymentStatus.Failed)) return this;
        var next = eventId is null ? this : Remember(eventId);
        return next with { Status = PaymentStatus.Expired, FailureReason = reason, UpdatedAt = now };
    }

    /// <summary>
    /// Sets aside an amount for a refund before the provider is asked, so two refunds can never exceed what was paid.
    /// Where it goes (ADR 0051): a refund of kind credit all to ride credit; another to the card first, as far as the card
    /// paid and was not given back yet, and the rest (what ride credit paid) back to ride credit.
    /// </summary>
    public PaymentSession ReserveRefund(string refundId, long amountMinor, string reason, DateTimeOffset now, string kind = RefundKinds.Goodwill, string? requestedBy = null)
    {
        if (Refunds.Any(r => r.Id == refundId)) return this;
        if (!IsPaid) throw new RefundRejectedException($"Payment {Id} is {Status}: only a paid payment can be refunded.");
        if (amountMinor <= 0) throw new RefundRejectedException("A refund must be a positive amount in minor units.");
        if (amountMinor > RefundableMinor)
        {
            throw new RefundRejectedException($"Only {RefundableMinor} {Currency} minor units of payment {Id} can still be refunded.");
        }
        var toCredit = kind == RefundKinds.Credit ? amountMinor : Math.Max(0, amountMinor - CardRefundableMinor);
        return this with { Refunds = [.. Refunds, new PaymentRefund(refundId, amountMinor, reason, false, null, now, kind, requestedBy, toCredit)], UpdatedAt = now };
    }

    /// <summary>
    /// The refund was made (the provider confirmed the card's part, ride credit took its part). Never counts money twice,
    /// even when the provider's webhook got here first: the card's total is the larger of the provider's and the
    /// confirmed card parts, ride credit's is the confirmed credit parts.
    /// </summary>
    public PaymentSession CompleteRefund(string refundId, string providerRefundId, DateTimeOffset now)
    {
        var refund = Refunds.FirstOrDefault(r => r.Id == refundId);
        if (refund is null || refund.Completed) return this;
        var cardRefunded = RefundedMinor - CreditRefundedMinor;
        var refunds = Refunds.Select(r => r.Id == refundId ? r with { Completed = true, ProviderRefundId = providerRefundId } : r).ToList();
        var confirmed = refunds.Where(r => r.Completed).ToList();
        return (this with { Refunds = refunds }).WithRefundedTotal(Math.Max(cardRefunded, confirmed.Sum(r => r.ToCardMinor)) + confirmed.Sum(r => r.ToCreditMinor), now);
    }

    /// <summary>The provider refused the refund: the reserved amount is refundable again.</summary>
    public PaymentSession ReleaseRefund(string refundId, DateTimeOffset now)
    {
        var refund = Refunds.FirstOrDefault(r => r.Id == refundId);
        if (refund is null || refund.Completed) return this;
        return this with { Refunds = Refunds.Where(r => r.Id != refundId).ToList(), UpdatedAt = now };
    }

    /// <summary>
    /// The provider's running total of the card's refunds (charge.refunded carries the cumulative amount, so order does not
    /// matter); what went to ride credit is added to it, as the provider does not know of it.
    /// </summary>
    public PaymentSession RecordRefundedTotal(long refundedTotalMinor, string eventId, DateTimeOffset now)
    {
        var card = Math.Min(refundedTotalMinor, AmountMinor);
        if (HasProcessed(eventId) || !IsPaid || card <= RefundedMinor - CreditRefundedMinor) return this;
        return Remember(eventId).WithRefundedTotal(card + CreditRefundedMinor, now);
    }

    private PaymentSession WithRefundedTotal(long total, DateTimeOffset now) => this with
    {
        RefundedMinor = total,
        Status = total >= PaidTotalMinor ? PaymentStatus.Refunded : total > 0 ? PaymentStatus.PartiallyRefunded : Status,
        UpdatedAt = now,
    };

    private PaymentSession Remember(string eventId) =>
        this with { ProcessedEventIds = [.. ProcessedEventIds.TakeLast(RememberedEvents - 1), eventId] };
}

public sealed class RefundRejectedException(string message) : Exception(message);
