namespace UberClone.Trips.Domain;

/// <summary>Where a lost-item report stands (ADR 0035).</summary>
public static class LostItemStatus
{
    /// <summary>The rider reported it; the driver has not answered.</summary>
    public const string Reported = "reported";
    /// <summary>The driver has it and said where and when they can hand it back.</summary>
    public const string Found = "found";
    /// <summary>The driver did not find it in the car; the rider may report again.</summary>
    public const string NotFound = "not_found";
    /// <summary>The driver handed it back; the return fee is charged.</summary>
    public const string Returned = "returned";
    /// <summary>The rider closed it (they got it another way, or no longer need it).</summary>
    public const string Closed = "closed";
}

/// <summary>Bound from "LostItems" (ADR 0035).</summary>
public sealed class LostItemRules
{
    /// <summary>A report the driver has not answered this long after it was made goes to support's queue as a help request.</summary>
    public TimeSpan DriverAnswerWithin { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the service looks for reports nobody answered.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The rider left something in the car (ADR 0035): what it is (<paramref name="Description"/>), the phone the driver may
/// call about it, and the return fee (in the trip's currency) the rider was told of when reporting, charged once the
/// driver marks it returned and all of it the driver's. The <paramref name="Number"/>-th report of the trip (1-based).
/// </summary>
public sealed record LostItemReport(int Number, string Description, string Phone, long ReturnFeeMinor, DateTimeOffset ReportedAt, DateTimeOffset AnswerBy)
{
    public const int MaxDescriptionLength = 300;
    public const int MaxNoteLength = 300;

    /// <summary>A trip takes at most this many reports: one that ended without the item (not found, closed) may be followed by another.</summary>
    public const int MaxPerTrip = 3;

    public string Status { get; init; } = LostItemStatus.Reported;
    /// <summary>The driver's answer: where and when they can hand it back (found), or what they looked at (not found).</summary>
    public string? DriverNote { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public DateTimeOffset? ReturnedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>When support was told that the driver did not answer in time; null: not (yet).</summary>
    public DateTimeOffset? SupportAlertedAt { get; init; }
    /// <summary>The trip's payment attempt that charges the return fee (0: none yet, or no fee in this city).</summary>
    public int FeeAttempt { get; init; }
    /// <summary>pending | paid | payment_failed once the fee is charged; empty before.</summary>
    public string FeePaymentStatus { get; init; } = "";

    /// <summary>Reported or found: the driver and rider are still on it, and the driver sees the rider's phone.</summary>
    public bool IsOpen => Status is LostItemStatus.Reported or LostItemStatus.Found;

    /// <summary>The description as stored: trimmed, 1 to <see cref="MaxDescriptionLength"/> characters, no control characters but line breaks; null otherwise.</summary>
    public static string? CleanDescription(string? text) => MessageText.Clean(text, MaxDescriptionLength);

    /// <summary>
    /// The driver's note as stored: trimmed, null when there is none. False when it cannot be a note: longer than
    /// <see cref="MaxNoteLength"/> or with control characters but line breaks.
    /// </summary>
    public static bool TryCleanNote(string? text, out string? note)
    {
        note = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        note = MessageText.Clean(text, MaxNoteLength);
        return note is not null;
    }
}

/// <summary>
/// The report cannot change so now: none is open, one is open already, the trip did not take place or was too long ago,
/// or the other side moved it on meanwhile. A conflict with the trip as it is (HTTP 409).
/// </summary>
public sealed class LostItemClosedException(string message) : Exception(message);
