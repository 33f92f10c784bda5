using System.Text.Json.Serialization;

namespace UberClone.Gateway.Mail;

[JsonConverter(typeof(JsonStringEnumConverter<MailState>))]
public enum MailState
{
    /// <summary>Waiting for its next attempt (or being sent by a replica that claimed it until <see cref="QueuedMail.DueAtMs"/>).</summary>
    Queued,
    Sent,
    /// <summary>Given up: it kept failing for <see cref="MailRetry.GiveUpAfter"/>, or it was useless by then (<see cref="OutgoingMail.SendBefore"/>).</summary>
    Failed,
}

/// <summary>
/// A mail in the gateway's outbox (collection <c>mail_outbox</c>, id = the mail's). While queued it holds the whole
/// mail; once sent or given up, only what support may see: the address masked, the subject (a code's masked), no body.
/// <paramref name="DueAtMs"/>: when to try next (Unix ms; null once done), <paramref name="WaitingSinceMs"/>: when it was
/// queued while still queued (the health check's oldest waiting mail), <paramref name="DoneAtMs"/>: when it was sent or
/// given up (retention).
/// </summary>
public sealed record QueuedMail(
    string To, string ToName, string Subject, string Body, string Kind, bool Secret, string? AccountId,
    DateTimeOffset CreatedAt, DateTimeOffset? SendBefore, MailState State, int Attempts,
    long? DueAtMs, long? WaitingSinceMs, DateTimeOffset? SentAt = null, string? LastError = null, long? DoneAtMs = null, string? UnsubscribeUrl = null)
{
    public const string DueAtField = "dueAtMs";
    public const string WaitingSinceField = "waitingSinceMs";
    public const string DoneAtField = "doneAtMs";
    public const string AccountIdField = "accountId";

    public static QueuedMail Of(OutgoingMail mail, string? accountId, DateTimeOffset now) => new(
        mail.To, mail.ToName, mail.Subject, mail.Body, mail.Kind, mail.Secret, accountId, now, mail.SendBefore,
        MailState.Queued, Attempts: 0, DueAtMs: now.ToUnixTimeMilliseconds(), WaitingSinceMs: now.ToUnixTimeMilliseconds(), UnsubscribeUrl: mail.UnsubscribeUrl);

    public OutgoingMail ToOutgoing(string id, string domain) =>
        new(To, ToName, Subject, Body, Kind) { Secret = Secret, SendBefore = SendBefore, MessageId = $"{id}@{domain}", UnsubscribeUrl = UnsubscribeUrl };

    /// <summary>Claimed by one sender for an attempt: no other takes it before <paramref name="leaseEnds"/>.</summary>
    public QueuedMail Claimed(DateTimeOffset leaseEnds) => this with { Attempts = Attempts + 1, DueAtMs = leaseEnds.ToUnixTimeMilliseconds() };

    public QueuedMail Retried(DateTimeOffset next, string error) => this with { DueAtMs = next.ToUnixTimeMilliseconds(), LastError = error };

    public QueuedMail Sent(DateTimeOffset now) => Done(MailState.Sent, now) with { SentAt = now, LastError = null };

    public QueuedMail GivenUp(DateTimeOffset now, string why) => Done(MailState.Failed, now) with { LastError = why };

    private QueuedMail Done(MailState state, DateTimeOffset now) => this with
    {
        State = state,
        To = Masked(To),
        ToName = "",
        Subject = SafeSubject,
        Body = "",
        UnsubscribeUrl = null,
        DueAtMs = null,
        WaitingSinceMs = null,
        DoneAtMs = now.ToUnixTimeMilliseconds(),
    };

    /// <summary>The subject without a code's digits: "Your UberClone code: ······".</summary>
    [JsonIgnore]
    public string SafeSubject => Secret && Subject.IndexOf(':') is > 0 and var colon ? $"{Subject[..colon]}: ······" : Subject;

    /// <summary>"d***@example.com": enough for support to recognise with the caller, not the address itself.</summary>
    public static string Masked(string email) => email.IndexOf('@') is > 0 and var at ? $"{email[0]}***{email[at..]}" : "***";
}
