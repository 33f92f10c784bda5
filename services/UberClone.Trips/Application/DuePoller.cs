namespace UberClone.Trips.Application;

/// <summary>
/// Looks every <see cref="Interval"/> for what came due in an index and handles it (<see cref="LookAsync"/>, in a scope of
/// its own, up to <see cref="BatchSize"/> at a time until a look finds fewer), on every replica: each due item is handled
/// once whichever replica finds it (the handlers mark it in the same write). A failed look is logged and tried again.
/// </summary>
public abstract class DuePoller(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
{
    protected const int BatchSize = 50;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What is looked for, for the log: "unanswered lost items".</summary>
    protected abstract string What { get; }

    /// <summary>One look: how many it handled (<see cref="BatchSize"/>: look again at once).</summary>
    protected abstract Task<int> LookAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                while (await LookAsync(scope.ServiceProvider, stoppingToken) >= BatchSize) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Looking for {What} failed; trying again in {Interval}", What, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
