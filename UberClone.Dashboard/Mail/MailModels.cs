namespace UberClone.Dashboard.Mail;

/// <summary>
/// One mail the application sent, as the AppHost's mail resource caught it (<see cref="Text"/>: the decoded plain-text
/// body; <see cref="Html"/>: its HTML part, when it has one).
/// </summary>
public sealed record MailView(long Id, DateTimeOffset At, string Resource, string From, IReadOnlyList<string> To, string Subject, string Text, string? Html = null);

/// <summary>The mail the running application sent (its mail-catching resources, as MailPit's UI shows them). Absent without one.</summary>
public interface IMailSource
{
    /// <summary>Newest first.</summary>
    IReadOnlyList<MailView> GetMail();
}

public static class MailQuery
{
    /// <summary>The mail to an address containing <paramref name="to"/> whose subject or text contains <paramref name="q"/> (both case-insensitive), newest first.</summary>
    public static IReadOnlyList<MailView> Filter(IMailSource? source, string? to, string? q, int limit) =>
        [.. (source?.GetMail() ?? [])
            .Where(m => to is not { Length: > 0 } || m.To.Any(a => a.Contains(to, StringComparison.OrdinalIgnoreCase)))
            .Where(m => q is not { Length: > 0 } || m.Subject.Contains(q, StringComparison.OrdinalIgnoreCase) || m.Text.Contains(q, StringComparison.OrdinalIgnoreCase))
            .Take(limit)];
}
