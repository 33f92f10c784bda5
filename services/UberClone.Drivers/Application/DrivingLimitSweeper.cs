using Microsoft.Extensions.Options;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.IntegrationEvents.EventHandling;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells drivers <see cref="DispatchOptions.DrivingLimitWarning"/> before <see cref="DispatchOptions.MaxOnline"/> that the
/// limit is near (<c>driver.event.driving_limit_near</c>, once per working period), and takes drivers who reached it out
/// of service (ADR 0026): a pending offer is
/// declined for them (dispatch offers the trip to the next driver at once), an available driver goes offline and is told
/// why (<c>driver.event.went_offline</c>), one on a trip finishes it and then goes offline. Runs every
/// <see cref="DispatchOptions.DrivingLimitSweepInterval"/> on every replica over its view, which holds every driver;
/// the conditional writes keep one outcome.
/// </summary>
public sealed class DrivingLimitSweeper(
    IServiceScopeFactory scopes, DriverRegistry registry, IOptions<DispatchOptions> options, TimeProvider clock, ILogger<DrivingLimitSweeper> logger)
    : BackgroundService
{
    /// <summary>At most this many drivers are taken out of service per sweep (the rest in the next ones).</summary>
    public const int MaxPerSweep = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DrivingLimitSweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // The drivers' use cases are scoped: one scope per sweep.
                await using var scope = scopes.CreateAsyncScope();
                await SweepAsync(scope.ServiceProvider.GetRequiredService<DriversApplication>(), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Sweep of drivers at the driving limit failed; retrying on the next tick");
            }
        }
    }

    /// <summary>One sweep; returns the drivers it took out of service (and tells those near the limit, once).</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(DriversApplication drivers, CancellationToken ct)
    {
        var limits = options.Value.DrivingLimits;
        foreach (var driverId in registry.NearDrivingLimit(clock.GetUtcNow(), limits, options.Value.DrivingLimitWarning, MaxPerSweep))
        {
            try
            {
                // The store's record decides (the transition changes nothing for a driver already told or gone offline).
                await drivers.WarnDrivingLimitAsync(driverId, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not tell driver {DriverId} the driving limit is near; trying again on the next sweep", driverId);
            }
        }
        var taken = new List<string>();
        foreach (var driverId in registry.OverDrivingLimit(clock.GetUtcNow(), limits, MaxPerSweep))
        {
            try
            {
                // The store's record decides (this view may lag): a driver who went offline meanwhile is left alone.
                var stored = await drivers.GetAsync(driverId, ct);
                if (stored.State == DriverStates.Offline || stored.OfflineAfterTrip is not null || stored.OnlineFor(clock.GetUtcNow(), limits) < limits.MaxOnline)
                {
                    registry.Apply(stored);
                    continue;
                }
                await OutOfService.TakeAsync(drivers, driverId, "the driver reached the driving limit", limits.Reason, logger, ct);
                taken.Add(driverId);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not take driver {DriverId} out of service at the driving limit; trying again on the next sweep", driverId);
            }
        }
        return taken;
    }
}
