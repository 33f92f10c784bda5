namespace UberClone.Payments.Payouts;

/// <summary>
/// Every <c>Payouts:Poll</c> (a minute): finishes payouts left unfinished, then makes the weekly payouts that are due.
/// Runs on every replica: a payout claims its lines before paying them, and its transfer's key is its id.
/// </summary>
public sealed class PayoutJob(PayoutsApplication payouts, IConfiguration configuration, ILogger<PayoutJob> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("Payouts:Poll", TimeSpan.FromMinutes(1)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await payouts.ResumeOpenAsync(Batch, stoppingToken);
                while (await payouts.PayOutDueAsync(Batch, stoppingToken) == Batch && !stoppingToken.IsCancellationRequested)
                {
                    // More accounts are due than one batch: go on.
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Payouts failed; trying at the next tick.");
            }
        }
    }
}
