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
/// approval (ADR 0053): who asked, why, what to waive (what was owed when they asked, or the part they named), when.
/// Nothing is waived until it is approved. <paramref name="All"/>: all that was owed was asked (requests from before
/// parts could be waived were); false: a part, the rider owing the rest. <paramref name="OwedMinor"/>: what the rider owed
/// when it was asked (fare part and fee part), which approving it checks is still owed; null for requests stored before
/// it was kept.
/// </summary>
public sealed record WaiverRequest(string OperatorId, string Reason, long FareMinor, long ReturnFeeMinor, DateTimeOffset At, bool All = true, long? OwedMinor = null)
{
    public long TotalMinor => FareMinor + ReturnFeeMinor;

    /// <summary>Lapsed (<see cref="WaiverRules.RequestLapse"/> after it was asked): no longer listed nor approvable; a new ask replaces it.</summary>
    public bool LapsedAt(DateTimeOffset now, TimeSpan lapse) => now >= At + lapse;
}

/// <summary>How a waiver request that no longer awaits approval ended.</summary>
public enum WaiverRequestOutcome
{
    Approved,
    /// <summary>Declined by a colleague, or withdrawn by the account that asked.</summary>
    Declined,
}

/// <summary>
/// The last waiver request answered on the trip (ADR 0053): the one asked at <paramref name="AskedAt"/> was approved or
/// declined by <paramref name="By"/> at <paramref name="At"/>. The same answer again changes nothing; the other one is refused.
/// </summary>
public sealed record WaiverRequestAnswer(DateTimeOffset AskedAt, WaiverRequestOutcome Outcome, string By, DateTimeOffset At);

/// <summary>How much one support account may waive alone. Bound from configuration section "Waivers".</summary>
public sealed class WaiverRules
{
    /// <summary>
    /// A waiver of more than this (the fare part and the fee part together, in the trip's currency's minor units, whatever
    /// the currency) needs a second support account's approval; at or below it one account waives at once. 0: every
    /// waiver needs one.
    /// </summary>
    public long ApprovalAboveMinor { get; set; } = 5000;

    /// <summary>
    /// Per currency (ISO code, "Waivers:ApprovalAbove:JPY"), the limit in that currency's minor units, overriding
    /// <see cref="ApprovalAboveMinor"/> for it: ¥5,000 and $50.00 are not the same 5000.
    /// </summary>
    public Dictionary<string, long> ApprovalAbove { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How long a waiver request awaits a colleague's approval (72 hours by default): older, it lapses (judged when it is
    /// read, approved or asked again; nothing runs at the moment itself): no longer listed, approving it is refused, and a
    /// new ask replaces it.
    /// </summary>
    public TimeSpan RequestLapse { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The limit for a trip in <paramref name="currency"/>: its own when configured, else <see cref="ApprovalAboveMinor"/>.</summary>
    public long ApprovalAboveFor(string currency) => ApprovalAbove.TryGetValue(currency, out var limit) ? limit : ApprovalAboveMinor;
}

/// <summary>No waiver awaits approval on the trip any longer (approved, declined, or nothing is owed now): HTTP 409.</summary>
public sealed class WaiverRequestClosedException(string message) : Exception(message);

/// <summary>Another support account's waiver awaits approval on the trip: approve or decline it first (HTTP 409).</summary>
public sealed class WaiverRequestPendingException(string message) : Exception(message);

/// <summary>The waiver request lapsed before a colleague approved it (<see cref="WaiverRules.RequestLapse"/>): ask again (HTTP 409).</summary>
public sealed class WaiverRequestLapsedException(string message) : Exception(message)
{
    /// <summary>The google.rpc.ErrorInfo reason: the gateway's problem type <c>waiver-request-lapsed</c>.</summary>
    public const string Reason = "WAIVER_REQUEST_LAPSED";
}

/// <summary>
/// What the rider owes changed since support saw it (ADR 0053): a waiver of a part sent again (a retry without its
/// Idempotency-Key after the part was waived), a payment or a new charge meanwhile, or a request to approve asked when the
/// rider owed another amount. Nothing changes (HTTP 409 <c>owed-changed</c>, with what is owed now): check and waive again.
/// </summary>
public sealed class OwedChangedException(string message, long owedMinor, string currency) : Exception(message)
{
    /// <summary>The google.rpc.ErrorInfo reason: the gateway's problem type <c>owed-changed</c>.</summary>
    public const string Reason = "OWED_CHANGED";

    /// <summary>What the rider owes now (the fare part and the fee part), in <see cref="Currency"/>'s minor units.</summary>
    public long OwedMinor { get; } = owedMinor;

    public string Currency { get; } = currency;
}

/// <summary>
/// The part of what the rider owes support names to waive is not one (ADR 0053): not above 0, more than is owed, or part
/// of a lost item's return fee (HTTP 400 naming amountMinor).
/// </summary>
public sealed class WaiverAmountInvalidException(string message) : Exception(message);

/// <summary>The account that asked for a waiver tried to approve it: a colleague must (HTTP 403).</summary>
public sealed class WaiverApprovalForbiddenException(string message) : Exception(message);
