using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The gateway's socket pings reach the drivers service in batches: one call at a time per free slot, carrying every
/// ping that waited meanwhile, and each ping gets its own item's answer back.
/// </summary>
public sealed class LocationBatcherTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly FakeDrivers _drivers = new();
    private readonly LocationBatcher _batcher;

    public LocationBatcherTests()
    {
        _batcher = new LocationBatcher(_drivers, NullLogger<LocationBatcher>.Instance);
        _batcher.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Pings_that_wait_for_a_free_call_go_together_and_each_gets_its_own_answer()
    {
        // Every call slot taken by a ping alone, held by the drivers service.
        var first = new List<Task<LocationResult>>();
        for (var i = 0; i < LocationBatcher.MaxCallsInFlight; i++)
        {
            first.Add(Send($"early-{i}", lat: i));
            await _drivers.WaitForCallsAsync(i + 1, Patience);
        }
        var waiting = Enumerable.Range(0, 300).Select(i => Send($"driver-{i}", lat: i % 7)).ToList();

        _drivers.Release();
        var answers = await Task.WhenAll(waiting).WaitAsync(Patience);
        await Task.WhenAll(first).WaitAsync(Patience);

        Assert.Equal([1, 1, 1, 1, 300], _drivers.Calls.Select(c => c.Batch.Items.Count));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"driver-{i}"), answers.Select(a => a.Message));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => i % 7 > 0), answers.Select(a => a.Accepted));
        Assert.All(_drivers.Calls, call => Assert.Equal(Roles.Gateway, call.Headers.GetValue(Caller.RoleHeader)));
    }

    [Fact]
    public async Task A_refused_ping_gets_its_own_status_and_a_failed_call_fails_only_its_pings()
    {
        _drivers.Release();
        var refused = await Send("driver-x", lat: 1, code: StatusCode.FailedPrecondition).WaitAsync(Patience);
        Assert.Equal((int)StatusCode.FailedPrecondition, refused.StatusCode);

        _drivers.FailNextCall(new RpcException(new Status(StatusCode.Unavailable, "drivers is down")));
        var failed = await Assert.ThrowsAsync<RpcException>(() => Send("driver-y", lat: 1).WaitAsync(Patience));
        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);

        var after = await Send("driver-z", lat: 1).WaitAsync(Patience);
        Assert.True(after.Accepted);
    }

    [Fact]
    public async Task When_too_many_pings_wait_the_next_is_refused_at_once()
    {
        for (var i = 0; i < LocationBatcher.MaxCallsInFlight; i++)
        {
            _ = Send($"early-{i}", lat: 1);
            await _drivers.WaitForCallsAsync(i + 1, Patience);
        }
        var waiting = Enumerable.Range(0, LocationBatcher.MaxWaiting).Select(i => Send($"driver-{i}", lat: 1)).ToList();

        var refused = await Assert.ThrowsAsync<RpcException>(() => Send("one-too-many", lat: 1).WaitAsync(Patience));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("Too many locations", refused.Status.Detail);
        _drivers.Release();
        Assert.Equal(LocationBatcher.MaxWaiting, (await Task.WhenAll(waiting).WaitAsync(Patience)).Length);
        Assert.All(_drivers.Calls.Skip(LocationBatcher.MaxCallsInFlight), call => Assert.True(call.Batch.Items.Count <= LocationBatcher.MaxBatch));
    }

    [Fact]
    public async Task Stopping_answers_the_waiting_pings_instead_of_leaving_them_hanging()
    {
        for (var i = 0; i < LocationBatcher.MaxCallsInFlight; i++)
        {
            _ = Send($"early-{i}", lat: 1);
            await _drivers.WaitForCallsAsync(i + 1, Patience);
        }
        var waiting = Send("waiting", lat: 1);

        var stopping = _batcher.StopAsync(CancellationToken.None);
        _drivers.Release();
        await stopping.WaitAsync(Patience);

        // Either it still went out with a last batch, or it was told to send again: never left without an answer.
        var outcome = await Record.ExceptionAsync(() => waiting.WaitAsync(Patience));
        Assert.True(outcome is null || outcome is RpcException { StatusCode: StatusCode.Unavailable }, outcome?.ToString());
    }

    private Task<LocationResult> Send(string driverId, double lat, StatusCode code = StatusCode.OK) =>
        _batcher.SendAsync(driverId, new LocationUpdate { Lat = lat, Lng = 13.4, RecordedAt = code == StatusCode.OK ? "" : code.ToString() }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        _drivers.Release();
        await _batcher.StopAsync(CancellationToken.None);
        _batcher.Dispose();
    }

    /// <summary>
    /// The drivers service as the batcher sees it: holds every call until released, answers each item with its driver
    /// id as the message (so a test sees whose answer a ping got), accepted when lat &gt; 0, refused with the status named
    /// in recordedAt when there is one.
    /// </summary>
    private sealed class FakeDrivers : DriverService.DriverServiceClient
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _gate = new();
        private readonly List<(LocationBatch Batch, Metadata Headers)> _calls = [];
        private RpcException? _failNext;

        public IReadOnlyList<(LocationBatch Batch, Metadata Headers)> Calls
        {
            get { lock (_gate) return _calls.ToList(); }
        }

        public void Release() => _released.TrySetResult();

        public void FailNextCall(RpcException error)
        {
            lock (_gate) _failNext = error;
        }

        public async Task WaitForCallsAsync(int count, TimeSpan patience)
        {
            using var deadline = new CancellationTokenSource(patience);
            while (Calls.Count < count) await Task.Delay(5, deadline.Token);
        }

        public override AsyncUnaryCall<LocationBatchAck> UpdateLocationsAsync(LocationBatch request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            RpcException? fail;
            lock (_gate)
            {
                _calls.Add((request, headers ?? []));
                (fail, _failNext) = (_failNext, null);
            }
            return new AsyncUnaryCall<LocationBatchAck>(AnswerAsync(request, fail), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        private async Task<LocationBatchAck> AnswerAsync(LocationBatch request, RpcException? fail)
        {
            await _released.Task;
            if (fail is not null) throw fail;
            var ack = new LocationBatchAck();
            ack.Results.AddRange(request.Items.Select(item => Enum.TryParse<StatusCode>(item.Update.RecordedAt, out var code)
                ? new LocationResult { StatusCode = (int)code, Message = item.DriverId }
                : new LocationResult { Accepted = item.Update.Lat > 0, Message = item.DriverId }));
            return ack;
        }
    }
}
