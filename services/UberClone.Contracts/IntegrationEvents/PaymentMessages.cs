namespace UberClone.Contracts.IntegrationEvents;

public sealed record PaymentCreateSessionCommand(string TripId, string RiderId, long AmountMinor, string Currency, int Attempt);

public sealed record PaymentSessionCreatedIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, string CheckoutUrl, DateTimeOffset ExpiresAt);

public sealed record PaymentSucceededIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, DateTimeOffset PaidAt);

public sealed record PaymentFailedIntegrationEvent(string SessionId, string TripId, string RiderId, string Reason, DateTimeOffset At);

/// <summary>
/// Money went back to the rider. <paramref name="AmountMinor"/> is this refund; <paramref name="RefundedTotalMinor"/>
/// is everything refunded on the session so far (equal to the paid amount when <paramref name="FullyRefunded"/>).
/// </summary>
public sealed record PaymentRefundedIntegrationEvent(
    string SessionId, string TripId, string RiderId, string RefundId, long AmountMinor, long RefundedTotalMinor, string Currency,
    string Reason, bool FullyRefunded, DateTimeOffset At);
