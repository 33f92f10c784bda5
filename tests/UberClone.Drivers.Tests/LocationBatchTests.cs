using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Grpc;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>
/// The gateway's batches of pings (<c>UpdateLocations</c>): each item is checked and answered as UpdateLocation would
/// answer it, one item's refusal does not touch the others, and only the gateway may send them.
/// </summary>
public sealed class LocationBatchTests : StoreBackedTest
{
    private static readonly GeoPoint Home = new(48.8566, 2.3522);
    private readonly DriversProcess _process;
    private readonly DriverGrpcService _grpc;

    public LocationBatchTests()
        : base("location-batch", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
        _grpc = new DriverGrpcService(_process.Drivers, Clock, Options.Create(new DispatchOptions()), NullLogger<DriverGrpcService>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_ping_of_a_batch_gets_the_answer_a_single_call_would_get()
    {
        await _process.Drivers.GoOnlineAsync("online", "economy", Home, Ct);
        await _process.Drivers.GoOnlineAsync("twice", "economy", Home, Ct);
        await _process.Drivers.GoOnlineAsync("fast", "economy", Home, Ct);
        Clock.Advance(TimeSpan.FromSeconds(4));
        var now = Clock.GetUtcNow();
        var batch = new LocationBatch();
        batch.Items.Add(Item("online", Home.Lat + 0.001, Home.Lng));
        batch.Items.Add(Item("online", 91, Home.Lng));                         // out of range
        batch.Items.Add(Item("never-online", Home.Lat, Home.Lng));            // not online
        batch.Items.Add(Item("", Home.Lat, Home.Lng));                        // no driver
        batch.Items.Add(Item("twice", Home.Lat, Home.Lng, now));
        batch.Items.Add(Item("twice", Home.Lat, Home.Lng, now.AddSeconds(-2))); // older than the one before it
        batch.Items.Add(new DriverLocationUpdate { DriverId = "online" });    // no update
        batch.Items.Add(Item("fast", Home.Lat, Home.Lng, now.AddSeconds(-1)));
        batch.Items.Add(Item("fast", Home.Lat + 0.003, Home.Lng, now));        // newer, but within the rate limit of the one before it
        batch.Items.Add(Item("online", Home.Lat, Home.Lng, now.AddSeconds(-31))); // a phone whose clock is 31 s behind

        var ack = await _grpc.UpdateLocations(batch, new TestCallContext(Caller.GatewayMetadata(), Ct));

        Assert.Equal(
            [(true, StatusCode.OK), (false, StatusCode.InvalidArgument), (false, StatusCode.FailedPrecondition), (false, StatusCode.InvalidArgument),
             (true, StatusCode.OK), (false, StatusCode.OK), (false, StatusCode.InvalidArgument), (true, StatusCode.OK), (false, StatusCode.OK), (false, StatusCode.InvalidArgument)],
            ack.Results.Select(r => (r.Accepted, (StatusCode)r.StatusCode)));
        Assert.Contains("lat must be in [-90, 90]", ack.Results[1].Message);
        Assert.Contains("Go online", ack.Results[2].Message);
        Assert.Contains("recordedAt is 31 s old; a position older than 30 s is not used", ack.Results[^1].Message);
        Assert.Equal(Home.Lat + 0.001, _process.Registry.Position("online")!.Value.Lat, 6);
        Assert.Equal(Home.Lat, _process.Registry.Position("fast")!.Value.Lat, 6);
    }

    [Fact]
    public async Task Drivers_this_replica_does_not_know_are_read_in_one_store_read_and_a_failed_read_fails_only_their_pings()
    {
        // The drivers went online through another replica, so this one's view does not know them and reads them from
        // the store first: all in one read, not one read per driver.
        const int drivers = 8;
        using (var other = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters))
        {
            for (var i = 0; i < drivers; i++) await other.Drivers.GoOnlineAsync($"a{i}", "economy", Home, Ct);
            await other.Drivers.GoOnlineAsync("late", "economy", Home, Ct);
        }
        var (singleReads, failRead) = (0, false);
        var manyReads = new ConcurrentQueue<string[]>(); // the stored-position writer reads too
        using var process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters,
            wrapDatabase: database => new HookedDatabase(database, beforeReplaceEach: null,
                beforeGet: (_, _) => { Interlocked.Increment(ref singleReads); return Task.CompletedTask; },
                beforeGetMany: (ids, _) =>
                {
                    manyReads.Enqueue([.. ids.Order()]);
                    return failRead ? Task.FromException(new TimeoutException("The store did not answer.")) : Task.CompletedTask;
                }));
        var grpc = new DriverGrpcService(process.Drivers, Clock, Options.Create(new DispatchOptions()), NullLogger<DriverGrpcService>.Instance);
        var batch = new LocationBatch();
        for (var i = 0; i < drivers; i++) batch.Items.Add(Item($"a{i}", Home.Lat + 0.001 * i, Home.Lng));
        Clock.Advance(TimeSpan.FromSeconds(4));

        var ack = await grpc.UpdateLocations(batch, new TestCallContext(Caller.GatewayMetadata(), Ct));

        Assert.All(ack.Results, r => Assert.True(r.Accepted));
        Assert.Equal(0, singleReads);
        Assert.Contains(manyReads, ids => ids.SequenceEqual(Enumerable.Range(0, drivers).Select(i => $"a{i}")));
        Assert.Equal(Home.Lat + 0.007, process.Registry.Position("a7")!.Value.Lat, 6);

        // The store fails while a driver this view does not know pings beside known ones: only that ping is refused, as
        // "try again", not as "go online".
        failRead = true;
        Clock.Advance(TimeSpan.FromSeconds(4));
        var mixed = new LocationBatch();
        mixed.Items.Add(Item("late", Home.Lat, Home.Lng));
        mixed.Items.Add(Item("a0", Home.Lat + 0.002, Home.Lng));

        var answered = await grpc.UpdateLocations(mixed, new TestCallContext(Caller.GatewayMetadata(), Ct));

        Assert.Equal([(false, StatusCode.Unavailable), (true, StatusCode.OK)], answered.Results.Select(r => (r.Accepted, (StatusCode)r.StatusCode)));
        Assert.Contains("send the next one", answered.Results[0].Message);
        Assert.Null(process.Registry.Position("late"));
    }

    [Fact]
    public async Task A_ping_older_than_the_drivers_last_fix_is_dropped_and_does_not_use_up_the_rate_limit()
    {
        await _process.Drivers.GoOnlineAsync("d1", "economy", Home, Ct);
        Clock.Advance(TimeSpan.FromSeconds(4));
        var now = Clock.GetUtcNow();
        Assert.True(await _process.Drivers.UpdateLocationAsync("d1", new GeoPoint(Home.Lat + 0.001, Home.Lng), null, now, Ct));
        Clock.Advance(TimeSpan.FromSeconds(1));

        var late = new LocationBatch();
        late.Items.Add(Item("d1", Home.Lat + 0.005, Home.Lng, now.AddSeconds(-1)));
        var dropped = await _grpc.UpdateLocations(late, new TestCallContext(Caller.GatewayMetadata(), Ct));
        var next = new LocationBatch();
        next.Items.Add(Item("d1", Home.Lat + 0.002, Home.Lng, now.AddSeconds(1)));
        var taken = await _grpc.UpdateLocations(next, new TestCallContext(Caller.GatewayMetadata(), Ct));

        Assert.Equal((false, StatusCode.OK), (dropped.Results[0].Accepted, (StatusCode)dropped.Results[0].StatusCode));
        Assert.True(taken.Results[0].Accepted);
        Assert.Equal(Home.Lat + 0.002, _process.Registry.Position("d1")!.Value.Lat, 6);
    }

    [Fact]
    public async Task A_ping_as_new_as_the_go_online_position_is_taken()
    {
        // The go-online position carries this service's time; a ping sent in the same instant is not older, so it moves
        // the driver.
        await _process.Drivers.GoOnlineAsync("d1", "economy", Home, Ct);
        var batch = new LocationBatch();
        batch.Items.Add(Item("d1", Home.Lat + 0.004, Home.Lng, Clock.GetUtcNow()));

        var ack = await _grpc.UpdateLocations(batch, new TestCallContext(Caller.GatewayMetadata(), Ct));

        Assert.True(ack.Results[0].Accepted);
        Assert.Equal(Home.Lat + 0.004, _process.Registry.Position("d1")!.Value.Lat, 6);
    }

    [Fact]
    public async Task Only_the_gateway_sends_batches_and_a_batch_has_at_most_a_thousand_pings()
    {
        var asDriver = new Metadata { { Caller.UserIdHeader, "d1" }, { Caller.RoleHeader, Roles.Driver } };
        var denied = await Assert.ThrowsAsync<RpcException>(() => _grpc.UpdateLocations(new LocationBatch(), new TestCallContext(asDriver, Ct)));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var tooMany = new LocationBatch();
        tooMany.Items.AddRange(Enumerable.Range(0, LocationBatches.MaxItems + 1).Select(i => Item($"d{i}", Home.Lat, Home.Lng)));
        var refused = await Assert.ThrowsAsync<RpcException>(() => _grpc.UpdateLocations(tooMany, new TestCallContext(Caller.GatewayMetadata(), Ct)));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("at most 1000", refused.Status.Detail);
    }

    private static DriverLocationUpdate Item(string driverId, double lat, double lng, DateTimeOffset? at = null) => new()
    {
        DriverId = driverId,
        Update = new LocationUpdate { Lat = lat, Lng = lng, AccuracyMeters = 5, RecordedAt = at?.ToString("O") ?? "" },
    };

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }
}
