namespace UberClone.Gateway.DriverMail;

/// <summary>
/// Runs <see cref="DriverStatements.SendDueAsync"/> every <c>DriverMail:StatementPoll</c> (an hour; a minute after
/// start first), so each driver's statement leaves within the hour after Monday 06:00 in their time zone. Off with
/// <c>DriverMail:WeeklyStatements=false</c>.
/// </summary>
public sealed class WeeklyStatementJob(DriverStatements statements, IConfiguration configuration, ILogger<WeeklyStatementJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("DriverMail:WeeklyStatements", true)) return;
        var poll = configuration.GetValue("DriverMail:StatementPoll", TimeSpan.FromHours(1));
        try
        {
            await Task.Delay(configuration.GetValue("DriverMail:StatementFirstRun", TimeSpan.FromMinutes(1)), stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var mailed = await statements.SendDueAsync(stoppingToken);
                    if (mailed > 0) logger.LogInformation("{Count} weekly statement(s) queued", mailed);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Sending weekly statements failed; trying again in {Poll}", poll);
                }
                await Task.Delay(poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
