using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells the other drivers replicas the live fixes this one accepted, many per message on <c>driver.event.positions</c>:
/// a message carries every fix accepted while the one before it was on its way (at most
/// <see cref="MaxFixesPerMessage"/>), so at low load a fix goes out alone at once, and under load the other replicas read
/// one message, one envelope and one span per batch instead of per ping. Best effort, like the state announcements: a
/// lost fix is replaced by the driver's next one, and a full queue drops the oldest.
/// </summary>
public sealed class DriverPositionPublisher(IEventPublisher publisher, ILogger<DriverPositionPublisher> logger) : BackgroundService
{
    public const int MaxFixesPerMessage = 1_000;
    private const int MaxInFlight = 2;

    private readonly Channel<DriverFix> _pending = Channel.CreateBounded<DriverFix>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Announce(DriverFix fix) => _pending.Writer.TryWrite(fix);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(MaxInFlight); // not disposed: sends still in flight release it after the loop ends
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var fixes = new List<DriverFix>();
                while (fixes.Count < MaxFixesPerMessage && _pending.Reader.TryRead(out var fix)) fixes.Add(fix);
                _ = SendAsync(new DriverFixBatch(fixes), slots, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(DriverFixBatch batch, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            // Any key: receivers take a fix only if it is newer than the one they hold, so batches may arrive in any order.
            await publisher.PublishAsync(Topics.DriverPositions, batch.Fixes[0].DriverId, batch, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not send {Count} driver positions to the other replicas: {Reason}", batch.Fixes.Count, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            slots.Release();
        }
    }
}
