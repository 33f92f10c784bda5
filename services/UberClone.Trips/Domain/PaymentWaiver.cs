namespace UberClone.Trips.Domain;

/// <summary>
/// Support waived what a rider owed on a trip after its payment failed (ADR 0053): who (<paramref name="OperatorId"/>:
/// the account that asked), why, and how much of the fare or cancellation fee (<paramref name="FareMinor"/>) and of a lost
/// item's return fee (<paramref name="ReturnFeeMinor"/>), in the trip's currency. <paramref name="ApprovedBy"/>: the
/// colleague who approved it when it was above the limit one account may waive alone; null when it needed no approval.
/// </summary>
public sealed record PaymentWaiver(string OperatorId, string Reason, long FareMinor, long ReturnFeeMinor, DateTimeOffset At, string? ApprovedBy = null);

/// <summary>
/// A waiver above <see cref="WaiverRules.ApprovalAboveMinor"/> one support account asked for, awaiting a colleague's
/// approval (ADR 0053): who asked, why, what was owed when they asked, when. Nothing is waived until it is approved.
/// </summary>
public sealed record WaiverRequest(string OperatorId, string Reason, long FareMinor, long ReturnFeeMinor, DateTimeOffset At)
{
    public long TotalMinor => FareMinor + ReturnFeeMinor;
}

/// <summary>How much one support account may waive alone. Bound from configuration section "Waivers".</summary>
public sealed class WaiverRules
{
    /// <summary>
    /// A waiver of more than this (the fare part and the fee part together, in the trip's currency's minor units, whatever
    /// the currency) needs a second support account's approval; at or below it one account waives at once. 0: every
    /// waiver needs one.
    /// </summary>
    public long ApprovalAboveMinor { get; set; } = 5000;
}

/// <summary>No waiver awaits approval on the trip any longer (approved, declined, or nothing is owed now): HTTP 409.</summary>
public sealed class WaiverRequestClosedException(string message) : Exception(message);

/// <summary>Another support account's waiver awaits approval on the trip: approve or decline it first (HTTP 409).</summary>
public sealed class WaiverRequestPendingException(string message) : Exception(message);

/// <summary>The account that asked for a waiver tried to approve it: a colleague must (HTTP 403).</summary>
public sealed class WaiverApprovalForbiddenException(string message) : Exception(message);
