using System.Threading.Channels;

namespace UberClone.Gateway;

/// <summary>
/// The loop of a worker that handles what waits in the database (mail to send, password reset requests): a round at
/// once, then one whenever this replica stored something (<c>wake</c>) or every <c>poll</c> for what another replica
/// stored or what came due. A failing round (the database not reachable) is logged and the next one tries again.
/// </summary>
public static class DueWork
{
    public static async Task RunAsync<TWake>(Func<CancellationToken, Task> round, ChannelReader<TWake> wake, TimeSpan poll, ILogger logger, string what,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "{What} failed; trying again in {Poll}", what, poll);
            }
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(poll);
                await wake.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // the poll interval passed without anything stored here
            }
        }
    }
}
