namespace UberClone.Gateway.Accounts;

/// <summary>
/// Once at start (<c>Accounts:TimeZoneBackfillDelay</c> after it, 30 s), tells payments the time zone of drivers whose
/// accounts predate telling it (<see cref="AccountService.TellUntoldTimeZonesAsync"/>), so their weekly payout follows
/// their own week too. A start that finds none tells nothing; one that fails logs and leaves it to the next start.
/// </summary>
public sealed class DriverTimeZoneBackfill(AccountService accounts, IConfiguration configuration, ILogger<DriverTimeZoneBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(configuration.GetValue("Accounts:TimeZoneBackfillDelay", TimeSpan.FromSeconds(30)), stoppingToken);
            var told = await accounts.TellUntoldTimeZonesAsync(stoppingToken);
            if (told > 0) logger.LogInformation("Told payments the time zone of {Count} driver(s) whose accounts predate it", told);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Telling payments the time zones of older drivers' accounts failed; the next start tries again");
        }
    }
}
