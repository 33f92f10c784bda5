namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// Rider <paramref name="RiderId"/> was given promotion <paramref name="Code"/>, <paramref name="AmountOffMinor"/> off one
/// ride until <paramref name="ExpiresAt"/>, because a friend they invited took their first ride (the friend is not named).
/// </summary>
public sealed record PromotionRewardedIntegrationEvent(string RiderId, string Code, long AmountOffMinor, string Currency, DateTimeOffset ExpiresAt, DateTimeOffset At);
