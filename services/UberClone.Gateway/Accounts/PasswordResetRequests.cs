using System.Threading.Channels;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Asking for a reset code is answered before anything is looked up: the email is queued and handled here, in order
/// (<see cref="PasswordResets.RequestAsync"/>), so the answer takes as long whether or not an account has the email. A
/// flood beyond <see cref="Capacity"/> waiting is dropped (and logged); the queue is in memory, like the mail queue.
/// </summary>
public sealed class PasswordResetRequests(PasswordResets resets, ILogger<PasswordResetRequests> logger) : BackgroundService
{
    private const int Capacity = 1_000;

    private readonly Channel<string> _emails = Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(string email)
    {
        if (!_emails.Writer.TryWrite(email)) logger.LogError("Password reset queue full ({Capacity}); a request was dropped", Capacity);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var email in _emails.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await resets.RequestAsync(email, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "A password reset request could not be handled; the user can ask again");
            }
        }
    }
}
