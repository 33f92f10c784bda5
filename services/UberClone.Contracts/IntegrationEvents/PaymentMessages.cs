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
/// Money went back to the rider. <paramref name="AmountMinor"/> is this refund; <paramref name="RefundedTotalMinor"/>
/// is everything refunded on the session so far (equal to the paid amount when <paramref name="FullyRefunded"/>).
/// </summary>
public sealed record PaymentRefundedIntegrationEvent(
    string SessionId, string TripId, string RiderId, string RefundId, long AmountMinor, long RefundedTotalMinor, string Currency,
    string Reason, bool FullyRefunded, DateTimeOffset At);
