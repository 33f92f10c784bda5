namespace UberClone.Trips.Application;

/// <summary>
/// Reminds riders of rides booked for later (<see cref="TripsApplication.RemindDueAsync"/>), and drivers of the rides they
/// reserved (<see cref="DriverReservations.RemindDueAsync"/>, ADR 0050), and starts their dispatch
/// when their time comes (<see cref="TripsApplication.DispatchDueAsync"/>),
/// looking every <c>Trips:ReservationPollInterval</c> (5 s by default; a due ride is found from an index, so a look
/// costs two queries). Runs on every replica: a ride is dispatched once whichever finds it.
/// </summary>
public sealed class ReservationDispatcher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ReservationDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Trips:ReservationPollInterval", TimeSpan.FromSeconds(5));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var trips = scope.ServiceProvider.GetRequiredService<TripsApplication>();
                var reservations = scope.ServiceProvider.GetRequiredService<DriverReservations>();
                // A full batch means more may be due: look again at once.
                while (await trips.RemindDueAsync(BatchSize, stoppingToken) == BatchSize) { }
                while (await reservations.RemindDueAsync(BatchSize, stoppingToken) == BatchSize) { }
                while (await trips.DispatchDueAsync(BatchSize, stoppingToken) == BatchSize) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Dispatching rides booked for later failed; trying again in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
