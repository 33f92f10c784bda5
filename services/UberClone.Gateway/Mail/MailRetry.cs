namespace UberClone.Gateway.Mail;

/// <summary>
/// When a mail that could not be sent is tried again: soon at first (a server that blinked), then further apart (one
/// that is down for a while), at most an hour apart, for a day; a mail that would only be useless by the next attempt
/// (a code that expired, <see cref="OutgoingMail.SendBefore"/>) is given up at once. No I/O.
/// </summary>
public static class MailRetry
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
    ];

    /// <summary>When to try again after <paramref name="attempts"/> failed attempts; null: give up.</summary>
    public static DateTimeOffset? NextAttempt(int attempts, DateTimeOffset createdAt, DateTimeOffset? sendBefore, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var next = now + Delays[Math.Min(attempts, Delays.Length) - 1];
        if (next > createdAt + GiveUpAfter) return null;
        if (sendBefore is { } before && next >= before) return null;
        return next;
    }

    /// <summary>Whether a mail due now is still worth an attempt.</summary>
    public static bool StillWorthSending(QueuedMail mail, DateTimeOffset now) =>
        now <= mail.CreatedAt + GiveUpAfter && (mail.SendBefore is not { } before || now < before);
}
