namespace UberClone.Gateway.Realtime;

/// <summary>
/// A socket lives no longer than its token, like a REST call: once a second, the sockets whose token expired (and
/// was not renewed with an "auth" message) are closed with <see cref="ClientConnection.TokenExpired"/>. One sweep
/// over all sockets rather than a timer per socket: an idle socket then holds one more long and nothing else.
/// </summary>
public sealed class SocketExpiry(ConnectionRegistry registry, TimeProvider clock, ILogger<SocketExpiry> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var closed = registry.CloseExpired(clock.GetUtcNow());
                if (closed > 0) logger.LogInformation("Closed {Count} sockets whose token expired", closed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
