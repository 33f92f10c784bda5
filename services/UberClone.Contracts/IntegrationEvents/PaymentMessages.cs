namespace UberClone.Contracts.IntegrationEvents;

public sealed record PaymentCreateSessionCommand(string TripId, string RiderId, long AmountMinor, string Currency, int Attempt);

public sealed record PaymentSessionCreatedIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, string CheckoutUrl, DateTimeOffset ExpiresAt);

public sealed record PaymentSucceededIntegrationEvent(
    string SessionId, string TripId, string RiderId, long AmountMinor, string Currency, DateTimeOffset PaidAt);

public sealed record PaymentFailedIntegrationEvent(string SessionId, string TripId, string RiderId, string Reason, DateTimeOffset At);
