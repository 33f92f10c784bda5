namespace UberClone.Gateway.Mail;

/// <summary>
/// A plain-text mail to one person. <paramref name="Kind"/> names what it is ("receipt", "password-reset-code"), for
/// support's list of an account's mail and the metrics. <see cref="Secret"/>: the subject and body hold a code, so what
/// is kept once it left names only what it was. <see cref="SendBefore"/>: after this it is useless (a code that
/// expired) and is not sent at all. <see cref="MessageId"/>: the Message-ID header, the same on every attempt, so a
/// mailbox that gets a mail twice (sent, then the sender stopped before recording it) can tell.
/// <see cref="UnsubscribeUrl"/>: where one click turns this kind of mail off.
/// </summary>
public sealed record OutgoingMail(string To, string ToName, string Subject, string Body, string Kind = "notice")
{
    public bool Secret { get; init; }

    public DateTimeOffset? SendBefore { get; init; }

    public string? MessageId { get; init; }

    /// <summary>RFC 8058's one-click unsubscribe address (the List-Unsubscribe header), for mail a user may turn off (<see cref="UnsubscribeLinks"/>).</summary>
    public string? UnsubscribeUrl { get; init; }
}

/// <summary>How a mail leaves the gateway: SMTP when configured (<see cref="SmtpMailTransport"/>), else the log.</summary>
public interface IMailTransport
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}
