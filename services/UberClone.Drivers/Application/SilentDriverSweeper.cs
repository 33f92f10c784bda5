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
                if (await TakeOfflineIfStillSilentAsync(driverId, lastHeard, heardBefore, now, reason, ct)) taken.Add(driverId);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not take silent driver {DriverId} offline; trying again on the next sweep", driverId);
            }
        }
        return taken;
    }

    /// <summary>
    /// Takes one driver the view found silent offline, unless they were heard of since: a record the store saw change
    /// (an offer, online again), or a ping that reached the view after it was looked through (read again in the
    /// store's write, just before the record is replaced: a phone that reconnects at the last moment keeps its driver
    /// online). A ping arriving while the write itself runs is not seen (its driver is told "offline" and goes online again).
    /// </summary>
    public async Task<bool> TakeOfflineIfStillSilentAsync(
        string driverId, DateTimeOffset lastHeard, DateTimeOffset heardBefore, DateTimeOffset now, string reason, CancellationToken ct)
    {
        var changed = false;
        var driver = await repository.Drivers.UpdateAsync(driverId,
            d =>
            {
                var heard = registry.Position(driverId) is { } live && live.At > lastHeard ? live.At : lastHeard;
                var next = d.TakeOfflineIfSilent(heard, heardBefore, now, reason);
                changed = !ReferenceEquals(next, d);
                return next;
            },
            d => [OutboxMessages.Create(Topics.DriverWentOffline, d.Id, new DriverWentOfflineIntegrationEvent(d.Id, reason, now))],
            ct);
        if (driver is null) return false;
        if (!changed)
        {
            registry.Apply(driver); // the store knows better (an offer, online again): this view lagged
            return false;
        }
        registry.Remember(driver);
        logger.LogInformation("Driver {DriverId} taken offline: nothing heard since {LastHeard:O}", driverId, lastHeard);
        return true;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}" : $"{span.TotalSeconds:0} seconds";
}
