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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch: there may be more due at once.
                while (await outbox.SendDueAsync(Batch, stoppingToken) == Batch) { }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Sending due mail failed; trying again in {Poll}", Poll);
            }
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(Poll);
                await outbox.Queued.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the poll interval passed without a mail queued here
            }
        }
    }
}
