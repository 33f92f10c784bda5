namespace UberClone.Gateway.Mail;

/// <summary>A plain-text mail to one person.</summary>
public sealed record OutgoingMail(string To, string ToName, string Subject, string Body);

/// <summary>How a mail leaves the gateway: SMTP when configured (<see cref="SmtpMailTransport"/>), else the log.</summary>
public interface IMailTransport
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}
