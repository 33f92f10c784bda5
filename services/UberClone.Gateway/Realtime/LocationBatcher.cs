using System.Diagnostics;
using System.Threading.Channels;
using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// Hands the drivers service its drivers' socket pings in batches (<c>UpdateLocations</c>): a call carries every ping
/// that arrived while the calls before it were on their way, like a group commit. At low load a ping goes out at once,
/// alone; under load one call carries hundreds, so the per-call cost of gRPC (tens of microseconds of CPU on both
/// sides) is paid once per batch instead of once per ping. Each ping still gets its own result.
/// </summary>
public sealed class LocationBatcher(DriverService.DriverServiceClient drivers, ILogger<LocationBatcher> logger) : BackgroundService
{
    /// <summary>Pings per call: half of what the drivers service takes, so a burst spreads over the calls in flight.</summary>
    public const int MaxBatch = LocationBatches.MaxItems / 2;

    /// <summary>Calls on their way at once; pings wait in the queue meanwhile and go together in the next one.</summary>
    public const int MaxCallsInFlight = 4;

    /// <summary>Pings that may wait; past that, a ping is refused at once rather than queued behind a stalled service.</summary>
    public const int MaxWaiting = 20_000;

    private const int MaxLinks = 32;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly ActivitySource Source = new("UberClone.Gateway.Realtime");

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Sends one driver's ping with the next batch; the result is what <c>UpdateLocation</c> would have answered.</summary>
    public async Task<LocationResult> SendAsync(string driverId, LocationUpdate update, CancellationToken ct)
    {
        var pending = new Pending(new DriverLocationUpdate { DriverId = driverId, Update = update }, Activity.Current?.Context ?? default);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "Too many locations are waiting for the drivers service; send the next one."));
        }
        return await pending.Result.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxCallsInFlight);
        var calls = new List<Task>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var batch = new List<Pending>();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending)) batch.Add(pending);
                calls.RemoveAll(call => call.IsCompleted);
                calls.Add(CallAsync(batch, slots));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(calls);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        var stopping = new RpcException(new Status(StatusCode.Unavailable, "The gateway is stopping; send the location again."));
        while (_queue.Reader.TryRead(out var pending)) pending.Result.TrySetException(stopping);
    }

    private async Task CallAsync(List<Pending> batch, SemaphoreSlim slots)
    {
        // Each batch is a trace of its own, linked to the socket messages it carries.
        var previous = Activity.Current;
        Activity.Current = null;
        using var activity = Source.StartActivity("ws location batch", ActivityKind.Internal, parentContext: default,
            links: batch.Where(p => p.Context != default).Take(MaxLinks).Select(p => new ActivityLink(p.Context)));
        activity?.SetTag("uberclone.batch.size", batch.Count);
        try
        {
            var request = new LocationBatch();
            request.Items.AddRange(batch.Select(p => p.Item));
            var ack = await drivers.UpdateLocationsAsync(request, Caller.GatewayMetadata(), DateTime.UtcNow + CallTimeout);
            if (ack.Results.Count != batch.Count)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"The drivers service answered {ack.Results.Count} of {batch.Count} locations."));
            }
            for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(ack.Results[i]);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            logger.LogWarning(ex, "A batch of {Count} locations failed", batch.Count);
            var error = ex as RpcException ?? new RpcException(new Status(StatusCode.Unavailable, "The drivers service could not take the location; send the next one."));
            foreach (var pending in batch) pending.Result.TrySetException(error);
        }
        finally
        {
            Activity.Current = previous;
            slots.Release();
        }
    }

    private sealed record Pending(DriverLocationUpdate Item, ActivityContext Context)
    {
        public TaskCompletionSource<LocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
