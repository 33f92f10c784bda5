using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells the other drivers replicas what this one learned about a driver: each state it stored and each position a
/// driver sent it, as the driver's record on <c>driver.event.presence</c> (key = driver id). Sent in the background
/// so a ping or an accept never waits for Kafka; several sends are in flight at once. Best effort: the store stays
/// the authority (dispatch re-checks every reservation there), and a lost announcement is repaired by the driver's
/// next one. A full queue drops the oldest announcements.
/// </summary>
public sealed class DriverPresencePublisher(IEventPublisher publisher, ILogger<DriverPresencePublisher> logger) : BackgroundService
{
    private const int MaxInFlight = 256;
    private readonly Channel<Driver> _pending = Channel.CreateBounded<Driver>(
        new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Announce(Driver driver) => _pending.Writer.TryWrite(driver);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(MaxInFlight); // not disposed: sends still in flight release it after the loop ends
        try
        {
            await foreach (var driver in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                _ = SendAsync(driver, slots, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(Driver driver, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            await publisher.PublishAsync(Topics.DriverPresence, driver.Id, driver, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not announce driver {DriverId} to the other replicas: {Reason}", driver.Id, ex.Message);
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
