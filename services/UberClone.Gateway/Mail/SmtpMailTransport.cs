using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace UberClone.Gateway.Mail;

/// <summary>Sends through an SMTP server with MailKit: one connection per mail (mail here is rare: codes, not newsletters).</summary>
public sealed class SmtpMailTransport(MailSettings settings) : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var endpoint = settings.Endpoint ?? throw new InvalidOperationException("No SMTP endpoint is configured.");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(mail.ToName, mail.To));
        message.Subject = mail.Subject;
        if (mail.MessageId is { } id) message.MessageId = id;
        if (mail.UnsubscribeUrl is { } unsubscribe)
        {
            // RFC 8058: providers show "Unsubscribe" and POST "List-Unsubscribe=One-Click" to the address themselves.
            message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        // Plain text and the same in HTML (multipart/alternative): each client shows what it does best.
        message.Body = new BodyBuilder { TextBody = mail.Body, HtmlBody = MailHtml.Render(mail.Subject, mail.Body) }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(endpoint.Host, endpoint.Port, endpoint.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (settings.Username is { Length: > 0 } user) await client.AuthenticateAsync(user, settings.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
