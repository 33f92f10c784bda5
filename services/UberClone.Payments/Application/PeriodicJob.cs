namespace UberClone.Payments.Application;

/// <summary>
/// Work payments does on a timer on every replica (<see cref="RunAsync"/>, every interval read from
/// configuration): a tick that fails is logged and the next one tries again.
/// </summary>
public abstract class PeriodicJob(IConfiguration configuration, string intervalKey, TimeSpan defaultInterval, ILogger logger) : BackgroundService
{
    protected abstract string What { get; }

    protected abstract Task RunAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue(intervalKey, defaultInterval));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{What} failed; trying at the next tick.", What);
            }
        }
    }
}
