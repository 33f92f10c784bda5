using System.Collections.Concurrent;
using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

/// <summary>
/// Writes drivers' stored positions in the background, so a ping never waits for the disk. Group commit: the loop
/// wakes when something is pending (no fixed delay), takes everything pending (up to <see cref="MaxBatch"/>, the
/// latest fix per driver), reads their <see cref="StoredPosition"/>s in one read and writes the newer ones with one
/// <see cref="IDocumentStore{T}.ReplaceEachAsync"/> (on SQLite one transaction, one fsync, instead of one per
/// position). While a batch is written the next one gathers, so the busier the service the bigger the batches.
/// Positions are documents of their own, apart from the drivers' records: a record's state never races a position, and
/// a write touches a small row and no index. A driver's first position is inserted in the same batch write. An older fix
/// never replaces a newer one (another replica's); one stored by another replica between the read and the write is
/// written again on its own, on what is stored now. A stored
/// position that cannot be read (not valid JSON) loses its driver's position, not the batch's. A failed write keeps
/// the batch's positions pending (a newer fix of the same driver replaces its older one) and is tried again after
/// <see cref="RetryDelay"/>; stopping writes what is still pending.
/// </summary>
public sealed class StoredPositionWriter(DriverRepository repository, ILogger<StoredPositionWriter> logger)
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
            var moves = new List<VersionedReplace<StoredPosition>>(batch.Count);
            var unreadable = new HashSet<string>();
            var stored = await repository.Positions.GetReadableAsync(batch.Keys, (driverId, ex) =>
            {
                unreadable.Add(driverId);
                logger.LogError(ex, "Driver {DriverId}'s stored position cannot be read; it is not stored", driverId);
            }, ct);
            foreach (var (driverId, fix) in batch)
            {
                if (unreadable.Contains(driverId))
                {
                    batch.Remove(driverId);
                    continue;
                }
                if (!stored.TryGetValue(driverId, out var current))
                {
                    moves.Add(new VersionedReplace<StoredPosition>(driverId, new StoredPosition(fix.Location, fix.At), 0)); // the driver's first
                    continue;
                }
                var moved = current.Document.MoveTo(fix.Location, fix.At);
                // A newer fix is stored already (another replica's).
                if (ReferenceEquals(moved, current.Document)) batch.Remove(driverId);
                else moves.Add(new VersionedReplace<StoredPosition>(driverId, moved, current.Version));
            }

            var versions = await repository.Positions.ReplaceEachAsync(moves, ct);
            for (var i = 0; i < moves.Count; i++)
            {
                if (versions[i] is not null) batch.Remove(moves[i].Id);
            }

            // Stored (or first stored) by another replica between the read and the write: one by one, on what is stored now.
            foreach (var (driverId, fix) in batch)
            {
                await StoreOneAsync(driverId, fix, ct);
                batch.Remove(driverId);
            }
        }
        catch
        {
            foreach (var (driverId, fix) in batch) _pending.AddOrUpdate(driverId, fix, (_, newer) => newer.At >= fix.At ? newer : fix);
            throw;
        }
    }

    private async Task StoreOneAsync(string driverId, Fix fix, CancellationToken ct)
    {
        if (await repository.Positions.UpdateAsync(driverId, p => p.MoveTo(fix.Location, fix.At), ct: ct) is not null) return;
        try
        {
            await repository.Positions.InsertAsync(driverId, new StoredPosition(fix.Location, fix.At), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await repository.Positions.UpdateAsync(driverId, p => p.MoveTo(fix.Location, fix.At), ct: ct); // inserted meanwhile
        }
    }
}
