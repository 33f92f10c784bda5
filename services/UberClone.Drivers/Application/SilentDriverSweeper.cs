using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

/// <summary>
/// Takes offline the available drivers this service has heard nothing of for <see cref="DispatchOptions.OfflineAfterSilence"/>
/// (no ping to any replica, no change of their record), and tells their screen why (driver.event.went_offline). Runs on
/// every replica over its view, which holds every driver; the store's conditional write keeps one outcome, and a
/// driver the store saw change meanwhile (an offer, going online again) stays as they are.
/// </summary>
public sealed class SilentDriverSweeper(
    DriverRepository repository, DriverRegistry registry, IOptions<DispatchOptions> options, TimeProvider clock,
    ILogger<SilentDriverSweeper> logger) : BackgroundService
{
    /// <summary>At most this many drivers are taken offline per sweep (the rest in the next ones).</summary>
    public const int MaxPerSweep = 1_000;

    /// <summary>How often the view is looked through: a tenth of the silence allowed, between 1 and 30 s.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.Value.OfflineAfterSilence.Ticks / 10, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));

    /// <summary>What the driver's screen says.</summary>
    public static string Reason(TimeSpan silence) =>
        $"We had no location from your phone for {Describe(silence)}, so you were taken offline. Go online again when you are ready to drive.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Sweep of silent drivers failed; retrying on the next tick");
            }
        }
    }

    /// <summary>One sweep; returns the drivers it took offline.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken ct)
    {
        var silence = options.Value.OfflineAfterSilence;
        var now = clock.GetUtcNow();
        var heardBefore = now - silence;
        var reason = Reason(silence);
        var taken = new List<string>();
        foreach (var (driverId, lastHeard) in registry.Silent(heardBefore, MaxPerSweep))
        {
            try
            {
                var changed = false;
                var driver = await repository.Drivers.UpdateAsync(driverId,
                    d =>
                    {
                        var next = d.TakeOfflineIfSilent(lastHeard, heardBefore, now, reason);
                        changed = !ReferenceEquals(next, d);
                        return next;
                    },
                    d => [OutboxMessages.Create(Topics.DriverWentOffline, d.Id, new DriverWentOfflineIntegrationEvent(d.Id, reason, now))],
                    ct);
                if (driver is null) continue;
                if (!changed)
                {
                    registry.Apply(driver); // the store knows better (an offer, online again): this view lagged
                    continue;
                }
                registry.Remember(driver);
                taken.Add(driverId);
                logger.LogInformation("Driver {DriverId} taken offline: nothing heard since {LastHeard:O}", driverId, lastHeard);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not take silent driver {DriverId} offline; trying again on the next sweep", driverId);
            }
        }
        return taken;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}" : $"{span.TotalSeconds:0} seconds";
}
