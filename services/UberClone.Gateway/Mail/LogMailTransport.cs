namespace UberClone.Gateway.Mail;

/// <summary>
/// No SMTP server configured (the AppHost always configures one: its mail catcher or a real server). A gateway run alone
/// in Development logs the whole mail, so a developer reads a code in its log, as with a console mail backend; anywhere
/// else the attempt fails (what a mail says may be a secret, and logs are not a mailbox): the mail waits in the outbox,
/// is retried and finally given up, and the health check says mail is not leaving.
/// </summary>
public sealed class LogMailTransport(IHostEnvironment environment, ILogger<LogMailTransport> logger) : IMailTransport
{
    public Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        if (environment.IsDevelopment())
        {
            logger.LogInformation("Mail (no SMTP server configured, ConnectionStrings:{Name}) to {To}: {Subject}\n{Body}", MailSettings.ConnectionName, mail.To, mail.Subject, mail.Body);
        }
        else
        {
            throw new InvalidOperationException($"No SMTP server is configured (ConnectionStrings:{MailSettings.ConnectionName}).");
        }
        return Task.CompletedTask;
    }
}
