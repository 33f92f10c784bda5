namespace UberClone.Drivers.Dispatch;

/// <summary>Runs the searches a newly available driver woke (<see cref="WaitingSearches"/>), one after another.</summary>
public sealed class SearchWaker(Dispatcher dispatcher, WaitingSearches waiting, ILogger<SearchWaker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var tripId in waiting.Woken.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await dispatcher.WakeAsync(tripId, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The search's timer still runs it.
                    logger.LogWarning(ex, "Could not run the search of trip {TripId} a driver woke; it waits for its timer", tripId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
