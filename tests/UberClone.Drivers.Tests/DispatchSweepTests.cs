using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Drivers.Tests;

/// <summary>
/// The sweeper drives every search's timers from the store: however many searches are open, each one that is due
/// gets its step, the most overdue first, and one that fails does not stop the others.
/// </summary>
public sealed class DispatchSweepTests() : StoreBackedTest("dispatch-sweep", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly IOptions<DispatchOptions> _options = Options.Create(new DispatchOptions
    {
        OfferTimeout = TimeSpan.FromSeconds(15),
        SearchTimeout = TimeSpan.FromSeconds(90),
        RetryInterval = TimeSpan.FromSeconds(2),
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_search_past_its_deadline_ends_in_one_sweep_however_many_are_open()
    {
        // More open searches than a sweep's page, and more than the 500 the sweeper once read per status (newest first,
        // so the oldest, most overdue searches were never looked at again and stayed open for ever).
        const int searches = 650;
        using var drivers = Process();
        for (var i = 0; i < searches; i++)
        {
            await drivers.Dispatcher.StartAsync(Trip($"t{i:D4}"), Ct); // nobody is online: each search waits for a retry
        }

        Clock.Advance(_options.Value.SearchTimeout + TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.SweepAsync(Ct);

        var open = new List<string>();
        for (var i = 0; i < searches; i++)
        {
            var dispatch = (await drivers.Repository.Dispatches.GetAsync($"t{i:D4}", Ct))!.Document;
            if (dispatch.Status != DispatchStatus.NoDriversFound) open.Add(dispatch.Id);
        }
        Assert.Empty(open);
        Assert.Equal(searches, (await drivers.Database.Outbox.GetPendingAsync(1_000, Ct)).Count(m => m.Topic == Topics.TripNoDriversFound));
    }

    [Fact]
    public async Task Searches_that_are_over_are_deleted_after_their_retention_and_open_ones_never()
    {
        using var drivers = Process();
        await drivers.Dispatcher.StartAsync(Trip("t-over"), Ct);
        Clock.Advance(_options.Value.SearchTimeout + TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.SweepAsync(Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-open"), Ct); // never swept again: stays open
        var rule = RetentionRule.For(drivers.Repository.Dispatches, "dispatches", TripDispatch.ClosedStartedAtField, _options.Value.ClosedSearchRetention);

        Assert.Equal(0, await rule.DeleteUpTo(rule.CutoffAt(Clock.GetUtcNow() + TimeSpan.FromDays(6)), 100, Ct));
        Assert.Equal(1, await rule.DeleteUpTo(rule.CutoffAt(Clock.GetUtcNow() + TimeSpan.FromDays(30)), 100, Ct));

        Assert.Null(await drivers.Repository.Dispatches.GetAsync("t-over", Ct));
        Assert.Equal(DispatchStatus.Searching, (await drivers.Repository.Dispatches.GetAsync("t-open", Ct))!.Document.Status);
    }

    [Fact]
    public async Task A_search_gives_up_at_its_deadline_even_when_its_next_retry_is_later()
    {
        using var drivers = Process();
        await drivers.Dispatcher.StartAsync(Trip("t1"), Ct);
        // The last retry before the deadline was due 1 s before it; the next would be 1 s after it.
        Clock.Advance(_options.Value.SearchTimeout - TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.SweepAsync(Ct);
        Assert.Equal(DispatchStatus.Searching, (await drivers.Repository.Dispatches.GetAsync("t1", Ct))!.Document.Status);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.SweepAsync(Ct);

        Assert.Equal(DispatchStatus.NoDriversFound, (await drivers.Repository.Dispatches.GetAsync("t1", Ct))!.Document.Status);
    }

    [Fact]
    public async Task A_step_that_fails_is_put_off_and_the_others_still_get_theirs()
    {
        using var drivers = Process();
        await drivers.Drivers.GoOnlineAsync("broken", "economy", Offset(100), Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-broken"), Ct);
        Assert.Equal("broken", (await drivers.Repository.Dispatches.GetAsync("t-broken", Ct))!.Document.Offer?.DriverId);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.StartAsync(Trip("t-fine"), Ct); // nobody left to offer: retries later
        // The offered driver's record cannot be read any more, so expiring that offer throws.
        var raw = drivers.Database.Collection<JsonObject>("drivers", "state");
        var stored = await raw.GetAsync("broken", Ct);
        await raw.ReplaceAsync("broken", new JsonObject { ["id"] = "broken", ["state"] = 42 }, stored!.Version, ct: Ct);

        Clock.Advance(_options.Value.SearchTimeout);
        var now = Clock.GetUtcNow();
        await drivers.Dispatcher.SweepAsync(Ct);

        var broken = (await drivers.Repository.Dispatches.GetAsync("t-broken", Ct))!.Document;
        Assert.Equal(DispatchStatus.Offered, broken.Status);
        Assert.Equal(now + _options.Value.RetryInterval, broken.NextAttemptAt);
        Assert.False(broken.IsDue(now));
        Assert.Equal(DispatchStatus.NoDriversFound, (await drivers.Repository.Dispatches.GetAsync("t-fine", Ct))!.Document.Status);
    }

    [Fact]
    public async Task Open_searches_stored_without_a_due_time_are_indexed_once_and_then_swept()
    {
        using (var older = Process())
        {
            // What a version before the due time stored: the same record without "dueAt".
            var legacy = older.Database.Collection<JsonObject>("dispatches", "status");
            foreach (var (id, status) in new[] { ("t-searching", DispatchStatus.Searching), ("t-over", DispatchStatus.NoDriversFound) })
            {
                var record = JsonSerializer.SerializeToNode(Dispatch(id, status), StorageJson.Options)!.AsObject();
                record.Remove(TripDispatch.DueField);
                record.Remove(TripDispatch.PartitionDueField);
                await legacy.InsertAsync(id, record, ct: Ct);
            }
            // And what a version with the due time but before the partition bands stored: one overdue, one due later.
            var later = Clock.GetUtcNow() + _options.Value.SearchTimeout + TimeSpan.FromHours(1);
            foreach (var dispatch in new[]
            {
                Dispatch("t-unbanded", DispatchStatus.Searching) with { Partition = 0 },
                Dispatch("t-unbanded-later", DispatchStatus.Searching) with { Partition = 0, NextAttemptAt = later, GiveUpAt = later },
            })
            {
                var record = JsonSerializer.SerializeToNode(dispatch, StorageJson.Options)!.AsObject();
                record.Remove(TripDispatch.PartitionDueField);
                await legacy.InsertAsync(dispatch.Id, record, ct: Ct);
            }
        }

        var holder = new PartitionOwnership();
        holder.Assign(Topics.TripCreated, [0]);
        using var drivers = Process(holder);
        Clock.Advance(_options.Value.SearchTimeout + TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.SweepAsync(Ct);
        Assert.Equal(DispatchStatus.Searching, (await drivers.Repository.Dispatches.GetAsync("t-searching", Ct))!.Document.Status);
        // Without its band it is found only once it is overdue by the takeover time, by the due time alone: it was.
        Assert.Equal(DispatchStatus.NoDriversFound, (await drivers.Repository.Dispatches.GetAsync("t-unbanded", Ct))!.Document.Status);

        Assert.Equal(2, await drivers.Dispatcher.IndexDueTimesAsync(Ct));
        Assert.Equal(0, await drivers.Dispatcher.IndexDueTimesAsync(Ct));
        await drivers.Dispatcher.SweepAsync(Ct);

        Assert.Equal(DispatchStatus.NoDriversFound, (await drivers.Repository.Dispatches.GetAsync("t-searching", Ct))!.Document.Status);
        var banded = await drivers.Repository.Dispatches.QueryUpToAsync(TripDispatch.PartitionDueField, long.MaxValue, ct: Ct);
        Assert.Contains("t-unbanded-later", banded.Select(d => d.Id));
    }

    [Fact]
    public async Task Each_replica_runs_the_timers_of_its_own_partitions_and_takes_over_a_step_long_overdue()
    {
        var first = new PartitionOwnership();
        first.Assign(Topics.TripCreated, [0, 2]);
        var second = new PartitionOwnership();
        second.Assign(Topics.TripCreated, [1]);
        using var a = Process(first);
        using var b = Process(second);
        await a.Dispatcher.StartAsync(Trip("t-first"), partition: 0, Ct);
        await b.Dispatcher.StartAsync(Trip("t-second"), partition: 1, Ct);
        await a.Dispatcher.StartAsync(Trip("t-unknown"), Ct); // stored without its partition (an older version): anyone's

        // Nobody is online, so every search is due again one retry interval later.
        Clock.Advance(_options.Value.RetryInterval);
        await a.Dispatcher.SweepAsync(Ct);
        Assert.Equal(["t-second"], await DueAsync(a, "t-first", "t-second", "t-unknown"));
        await b.Dispatcher.SweepAsync(Ct);
        Assert.Empty(await DueAsync(a, "t-first", "t-second", "t-unknown"));

        // The second replica stops sweeping (it died; the group has not noticed yet): its search waits, then is taken over.
        Clock.Advance(_options.Value.RetryInterval);
        await a.Dispatcher.SweepAsync(Ct);
        Assert.Equal(["t-second"], await DueAsync(a, "t-first", "t-second", "t-unknown"));
        Clock.Advance(_options.Value.SweepTakeoverAfter);
        await a.Dispatcher.SweepAsync(Ct);
        Assert.DoesNotContain("t-second", await DueAsync(a, "t-first", "t-second", "t-unknown"));

        // A replica whose consumer has not joined its group yet knows nobody's partitions and sweeps everything.
        using var c = Process(new PartitionOwnership());
        Clock.Advance(_options.Value.RetryInterval);
        await c.Dispatcher.SweepAsync(Ct);
        Assert.Empty(await DueAsync(c, "t-first", "t-second", "t-unknown"));
    }

    [Fact]
    public async Task Another_replicas_due_searches_do_not_hold_up_this_replicas_own()
    {
        var first = new PartitionOwnership();
        first.Assign(Topics.TripCreated, [0]);
        var second = new PartitionOwnership();
        second.Assign(Topics.TripCreated, [1]);
        using var a = Process(first);
        using var b = Process(second);
        // More of the second replica's searches than one page of the sweep, all due before the first replica's one.
        for (var i = 0; i <= Dispatcher.SweepPageSize; i++) await b.Dispatcher.StartAsync(Trip($"t-b{i:D3}"), partition: 1, Ct);
        await a.Dispatcher.StartAsync(Trip("t-a"), partition: 0, Ct);

        Clock.Advance(_options.Value.RetryInterval);
        await a.Dispatcher.SweepAsync(Ct);

        Assert.Equal(["t-b000", "t-b200"], await DueAsync(a, "t-a", "t-b000", "t-b200"));
    }

    private async Task<List<string>> DueAsync(DriversProcess drivers, params string[] ids)
    {
        var due = new List<string>();
        foreach (var id in ids)
        {
            if ((await drivers.Repository.Dispatches.GetAsync(id, Ct))!.Document.IsDue(Clock.GetUtcNow())) due.Add(id);
        }
        return due;
    }

    private TripDispatch Dispatch(string id, string status) => new()
    {
        Id = id, RiderId = "r1", VehicleClass = "economy", Pickup = Pickup, Dropoff = Offset(4_000), FareMinor = 1_500, Currency = "USD",
        Status = status, StartedAt = Clock.GetUtcNow(), GiveUpAt = Clock.GetUtcNow() + _options.Value.SearchTimeout,
        NextAttemptAt = Clock.GetUtcNow() + _options.Value.RetryInterval,
    };

    private TripCreatedIntegrationEvent Trip(string id) =>
        new(id, "r-" + id, "economy", Pickup, Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow());

    private static GeoPoint Offset(double northMeters) => new(Pickup.Lat + northMeters / 111_195, Pickup.Lng);

    private DriversProcess Process(PartitionOwnership? ownership = null) => DriversProcess.Open(StoreFile, Clock, _options, Meters, ownership: ownership);
}
