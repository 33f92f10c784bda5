using Microsoft.Extensions.Options;

namespace UberClone.Drivers.Dispatch;

/// <summary>Drives the dispatch timers (offer deadlines, retries, the search deadline) from the stored records.</summary>
public sealed class DispatchSweeper(Dispatcher dispatcher, IOptions<DispatchOptions> options, ILogger<DispatchSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        var dueTimesIndexed = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (!dueTimesIndexed)
                {
                    await dispatcher.IndexDueTimesAsync(stoppingToken);
                    dueTimesIndexed = true;
                }
                await dispatcher.SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Dispatch sweep failed; retrying on the next tick");
            }
        }
    }
}
