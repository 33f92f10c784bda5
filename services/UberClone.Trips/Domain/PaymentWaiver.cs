namespace UberClone.Trips.Domain;

/// <summary>
/// Support waived what a rider owed on a trip after its payment failed (ADR 0053): who (<paramref name="OperatorId"/>),
/// why, and how much of the fare or cancellation fee (<paramref name="FareMinor"/>) and of a lost item's return fee
/// (<paramref name="ReturnFeeMinor"/>), in the trip's currency.
/// </summary>
public sealed record PaymentWaiver(string OperatorId, string Reason, long FareMinor, long ReturnFeeMinor, DateTimeOffset At);
