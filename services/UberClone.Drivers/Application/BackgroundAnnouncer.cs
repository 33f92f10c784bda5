using System.Threading.Channels;

namespace UberClone.Drivers.Application;

/// <summary>
/// Sends what this replica tells the others in the background, so a ping or an accept never waits for Kafka: items
/// queue (a full queue drops the oldest), and each send takes up to <c>perMessage</c> of them, at most <c>inFlight</c>
/// sends at once. Best effort: the store stays the authority, and what is lost is repaired by the driver's next
/// announcement.
/// </summary>
public abstract class BackgroundAnnouncer<T>(int capacity, int inFlight, int perMessage, ILogger logger) : BackgroundService
{
    private readonly Channel<T> _pending = Channel.CreateBounded<T>(
        new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Announce(T item) => _pending.Writer.TryWrite(item);

    /// <summary>Sends one message with these items (at least one).</summary>
    protected abstract Task SendAsync(IReadOnlyList<T> items, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(inFlight); // not disposed: sends still in flight release it after the loop ends
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var items = new List<T>();
                while (items.Count < perMessage && _pending.Reader.TryRead(out var item)) items.Add(item);
                _ = SendInBackgroundAsync(items, slots, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendInBackgroundAsync(List<T> items, SemaphoreSlim slots, CancellationToken ct)
    {
        try
        {
            await SendAsync(items, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not tell the other replicas about {Count} {What}: {Reason}", items.Count, typeof(T).Name, ex.Message);
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
