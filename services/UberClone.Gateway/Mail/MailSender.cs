namespace UberClone.Gateway.Mail;

/// <summary>
/// Sends what the outbox has due: at once when a mail is queued on this replica, and every <see cref="Poll"/> for what
/// another replica queued or a retry that came due. A failing round (the database not reachable) is logged and the
/// next one tries again.
/// </summary>
public sealed class MailSender(MailOutbox outbox, ILogger<MailSender> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private const int Batch = 20;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A full batch: there may be more due at once.
        DueWork.RunAsync(async ct => { while (await outbox.SendDueAsync(Batch, ct) == Batch) { } }, outbox.Queued, Poll, logger, "Sending due mail", stoppingToken);
}
