namespace UberClone.Contracts.IntegrationEvents;

/// <summary>What a payment is for: the trip's fare, or the fee of a rider cancellation after the free window.</summary>
public static class PaymentPurposes
{
    public const string Fare = "fare";
    public const string CancellationFee = "cancellation_fee";

    public static bool IsKnown(string? purpose) => purpose is Fare or CancellationFee;
}

public sealed record PaymentCreateSessionCommand(string TripId, string RiderId, long AmountMinor, string Currency, int Attempt, string Purpose = PaymentPurposes.Fare);

public sealed record PaymentSessionCreatedIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, string CheckoutUrl, DateTimeOffset ExpiresAt,
    string Purpose = PaymentPurposes.Fare);

public sealed record PaymentSucceededIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, DateTimeOffset PaidAt);

/// <summary>An attempt ended unpaid. <paramref name="Attempt"/>: the trip's payment attempt it was (0 from older publishers).</summary>
public sealed record PaymentFailedIntegrationEvent(string SessionId, string TripId, string RiderId, string Reason, DateTimeOffset At, int Attempt = 0);

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

    /// <summary>What an operator may ask for; the other kinds are payments' own.</summary>
    public static bool IsOperatorKind(string? kind) => kind is Goodwill or FareAdjustment;
}

/// <summary>
/// Money went back to the rider. <paramref name="AmountMinor"/> is this refund; <paramref name="RefundedTotalMinor"/>
/// is everything refunded on the session so far (equal to the paid amount when <paramref name="FullyRefunded"/>); <paramref name="Kind"/>: who bears it
/// (<see cref="RefundKinds"/>).
/// </summary>
public sealed record PaymentRefundedIntegrationEvent(
    string SessionId, string TripId, string RiderId, string RefundId, long AmountMinor, long RefundedTotalMinor, string Currency,
    string Reason, bool FullyRefunded, DateTimeOffset At, string Kind = RefundKinds.Goodwill);
