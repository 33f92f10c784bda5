using System.Threading.Channels;

namespace UberClone.Gateway.Mail;

/// <summary>
/// Mail leaves in the background: a request that sends one (a password reset code) answers at once, and as fast
/// whether or not a mail was sent, so its timing tells nobody whether an account has that email. A mail that fails is
/// tried again (after 1, 5 and 15 s), then given up and logged; the queue is in memory, so a mail still waiting when
/// the process stops is lost (the user asks for another code).
/// </summary>
public sealed class MailQueue(IMailTransport transport, ILogger<MailQueue> logger) : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];
    /// <summary>More waiting than this is a flood, not users: the newest are dropped (and logged).</summary>
    private const int Capacity = 1_000;

    private readonly Channel<OutgoingMail> _queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(OutgoingMail mail)
    {
        if (!_queue.Writer.TryWrite(mail)) logger.LogError("Mail queue full ({Capacity}); a mail ({Subject}) was dropped", Capacity, mail.Subject.Split(':')[0]);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await transport.SendAsync(mail, stoppingToken);
                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (attempt == RetryDelays.Length)
                    {
                        logger.LogError(ex, "A mail ({Subject}) could not be sent after {Attempts} attempts; given up", mail.Subject.Split(':')[0], attempt + 1);
                        break;
                    }
                    logger.LogWarning(ex, "A mail ({Subject}) could not be sent; trying again in {Delay}", mail.Subject.Split(':')[0], RetryDelays[attempt]);
                    await Task.Delay(RetryDelays[attempt], stoppingToken);
                }
            }
        }
    }
}
