namespace UberClone.Payments.Application;

/// <summary>
/// Charges again the saved-card sessions the provider did not answer for (<see cref="PaymentsApplication.RetryOpenCardChargesAsync"/>),
/// every <c>Payments:CardChargeRetryPoll</c> (a minute). Runs on every replica: the provider's idempotency key charges a
/// session once, whoever asks.
/// </summary>
public sealed class CardChargeRetry(PaymentsApplication payments, IConfiguration configuration, ILogger<CardChargeRetry> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("Payments:CardChargeRetryPoll", TimeSpan.FromMinutes(1)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await payments.RetryOpenCardChargesAsync(Batch, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Charging open card sessions again failed; trying at the next tick.");
            }
        }
    }
}
