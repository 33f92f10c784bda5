using System.Globalization;

namespace UberClone.Trips.Domain;

/// <summary>
/// Reminders of what a rider owes on a finished trip (ADR 0039): since when it is owed (the first payment that failed),
/// how many reminders went, and when the next one goes (null: none is left). Gone once nothing is owed.
/// </summary>
public sealed record UnpaidReminders(DateTimeOffset Since, int Sent, DateTimeOffset? NextAt)
{
    /// <summary>
    /// After reminder number <paramref name="sent"/> went at <paramref name="now"/>: the next one, the first of
    /// <paramref name="after"/> (times after <see cref="Since"/>) still ahead of now and beyond those already sent. Reminders
    /// a stopped service missed are not sent in a burst: the next is the next one still ahead.
    /// </summary>
    public UnpaidReminders Went(IReadOnlyList<TimeSpan> after, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        for (var i = Sent + 1; i < after.Count; i++)
        {
            if (Since + after[i] > now)
            {
                next = Since + after[i];
                break;
            }
        }
        return this with { Sent = Sent + 1, NextAt = next };
    }
}

/// <summary>When a rider who owes money on a trip is reminded of it by mail. Bound from configuration section "UnpaidReminders".</summary>
public sealed class UnpaidReminderRules
{
    public const int MaxReminders = 10;

    /// <summary>
    /// How long after the first failed payment each reminder goes, comma-separated, in increasing order (c format:
    /// "1.00:00:00" is a day); empty: none (the rider is still told once, when the payment fails).
    /// </summary>
    public string After { get; set; } = "1.00:00:00, 3.00:00:00, 7.00:00:00";

    /// <summary>How often each replica looks for reminders that are due (one indexed query a look).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The reminders' times after the first failed payment; empty when <see cref="After"/> cannot be read (validation refuses it at start-up).</summary>
    public IReadOnlyList<TimeSpan> Times => Parse(After) ?? [];

    /// <summary>
    /// The times <paramref name="text"/> lists: each positive, each later than the one before, at most
    /// <see cref="MaxReminders"/>; null when it is not such a list. Blank: none.
    /// </summary>
    public static IReadOnlyList<TimeSpan>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var times = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParseExact(part, "c", CultureInfo.InvariantCulture, out var time) || time <= TimeSpan.Zero) return null;
            if (times.Count > 0 && time <= times[^1]) return null;
            times.Add(time);
        }
        return times.Count <= MaxReminders ? times : null;
    }
}
