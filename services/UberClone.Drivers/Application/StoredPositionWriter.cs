using System.Collections.Concurrent;
using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

/// <summary>
/// Writes drivers' stored positions in the background, so a ping never waits for the disk. Group commit: the loop
/// wakes when something is pending (no fixed delay), takes everything pending (up to <see cref="MaxBatch"/>, the
/// latest fix per driver), applies <see cref="Driver.MoveTo"/> to each stored record and writes them all with one
/// <see cref="IDocumentStore{T}.ReplaceEachAsync"/> (on SQLite one transaction, one fsync, instead of one per
/// position). While a batch is written the next one gathers, so the busier the service the bigger the batches.
/// A record changed since it was read (an offer, going offline) is not overwritten: it is read again and moved on
/// its fresh state. A record that cannot be read (not valid JSON) loses its driver's position, not the batch's. A
/// failed write keeps the batch's positions pending (a newer fix of the same driver replaces
/// its older one) and is tried again after <see cref="RetryDelay"/>; stopping writes what is still pending.
/// </summary>
public sealed class StoredPositionWriter(DriverRepository repository, DriverRegistry registry, ILogger<StoredPositionWriter> logger)
    : BackgroundService
{
    /// <summary>Positions per batch: as many records as one read takes.</summary>
    public const int MaxBatch = DocumentBatches.MaxIdsPerGet;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Fix> _pending = new();
    /// <summary>At most one wake-up waits: however many fixes arrive meanwhile, one pass takes them all.</summary>
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    /// <summary>Flushes waiting for the next pass to find nothing pending.</summary>
    private readonly ConcurrentQueue<TaskCompletionSource> _flushes = new();

    private readonly record struct Fix(GeoPoint Location, DateTimeOffset At);

    /// <summary>A driver's position to store soon. Of several pending fixes of one driver, the latest is kept.</summary>
    public void Enqueue(string driverId, GeoPoint location, DateTimeOffset at)
    {
        var fix = new Fix(location, at);
        _pending.AddOrUpdate(driverId, fix, (_, pending) => pending.At > at ? pending : fix);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Completes once every position enqueued before the call is stored (or found older than the stored one). For tests
    /// and benchmarks: the service never waits for it. Needs the writer running; waits while the store keeps failing.
    /// </summary>
    public Task FlushAsync(CancellationToken ct)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushes.Enqueue(flushed);
        _wake.Writer.TryWrite(true);
        return flushed.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);
                await DrainAsync(stoppingToken);
            }
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Whatever the interrupted write left is pending again: StopAsync writes it.
        }
    }

    /// <summary>Stops the loop, then writes what is still pending (until <paramref name="cancellationToken"/>: the host's shutdown timeout).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await DrainAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Stopped before storing {Count} drivers' positions; their next pings store them", _pending.Count);
        }
    }

    /// <summary>
    /// Writes batches until nothing is pending, then tells the flushes that asked before it began (what they wait for
    /// was pending by then). Interrupted, it leaves them waiting for the next pass.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        var flushes = new List<TaskCompletionSource>();
        while (_flushes.TryDequeue(out var flush)) flushes.Add(flush);
        try
        {
            while (Take() is { Count: > 0 } batch)
            {
                try
                {
                    await WriteAsync(batch, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    logger.LogError(ex, "Could not store {Count} drivers' positions; trying again in {Delay}", batch.Count, RetryDelay);
                    await Task.Delay(RetryDelay, ct);
                }
            }
        }
        catch
        {
            foreach (var flush in flushes) _flushes.Enqueue(flush);
            throw;
        }
        foreach (var flush in flushes) flush.TrySetResult();
    }

    private Dictionary<string, Fix> Take()
    {
        var batch = new Dictionary<string, Fix>(Math.Min(_pending.Count, MaxBatch));
        foreach (var (driverId, _) in _pending)
        {
            if (batch.Count == MaxBatch) break;
            if (_pending.TryRemove(driverId, out var fix)) batch[driverId] = fix;
        }
        return batch;
    }

    /// <summary>
    /// Stores the batch's positions. Each one written (or found older than the stored one) leaves the batch (a
    /// Dictionary allows removing the current entry while enumerating), so if this throws what is left in it goes back
    /// to pending.
    /// </summary>
    private async Task WriteAsync(Dictionary<string, Fix> batch, CancellationToken ct)
    {
        try
        {
            var moves = new List<VersionedReplace<Driver>>(batch.Count);
            var records = await repository.Drivers.GetReadableAsync(batch.Keys, (driverId, ex) =>
                logger.LogError(ex, "Driver {DriverId}'s stored record cannot be read; their position is not stored", driverId), ct);
            foreach (var (driverId, fix) in batch)
            {
                if (!records.TryGetValue(driverId, out var stored))
                {
                    batch.Remove(driverId); // gone, or unreadable (logged)
                    continue;
                }
                var moved = stored?.Document.MoveTo(fix.Location, fix.At);
                // Gone, or a newer fix is stored already (another replica's).
                if (moved is null || ReferenceEquals(moved, stored!.Document)) batch.Remove(driverId);
                else moves.Add(new VersionedReplace<Driver>(driverId, moved, stored.Version));
            }

            var versions = await repository.Drivers.ReplaceEachAsync(moves, ct);
            for (var i = 0; i < moves.Count; i++)
            {
                if (versions[i] is null) continue;
                batch.Remove(moves[i].Id);
                // Not announced: the others have this position as a fix already, and the state did not change.
                registry.Apply(moves[i].Document);
            }

            // Changed since it was read: moved again on its fresh state, never written over it.
            foreach (var (driverId, fix) in batch)
            {
                var stored = await repository.Drivers.UpdateAsync(driverId, d => d.MoveTo(fix.Location, fix.At), ct: ct);
                batch.Remove(driverId);
                if (stored is not null) registry.Apply(stored);
            }
        }
        catch
        {
            foreach (var (driverId, fix) in batch) _pending.AddOrUpdate(driverId, fix, (_, newer) => newer.At >= fix.At ? newer : fix);
            throw;
        }
    }
}
