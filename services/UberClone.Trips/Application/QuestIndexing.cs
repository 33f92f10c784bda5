namespace UberClone.Trips.Application;

/// <summary>
/// At start, writes again the quests an earlier version stored without the end they are found by
/// (<see cref="QuestDesk.IndexCountsUntilAsync"/>), so none stops counting after an upgrade; retried every
/// <see cref="RetryAfter"/> until it went through. Every replica does it (a quest already written is skipped).
/// </summary>
public sealed class QuestIndexing(IServiceScopeFactory scopes, ILogger<QuestIndexing> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<QuestDesk>().IndexCountsUntilAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Indexing the end of quests stored without it failed; trying again in {Interval}", RetryAfter);
            }
            await Task.Delay(RetryAfter, stoppingToken);
        }
    }
}
