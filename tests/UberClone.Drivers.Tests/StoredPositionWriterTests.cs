using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Pings hand their positions to the <see cref="StoredPositionWriter"/>, which stores them in batches in the
/// background, apart from the drivers' records. These pin what it must never do: lose a position, store an older fix
/// over a newer one, or touch a driver's state.
/// </summary>
public sealed class StoredPositionWriterTests() : StoreBackedTest("stored-positions", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Center = new(48.8566, 2.3522);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Many_drivers_pinging_at_once_while_a_batch_is_held_all_have_their_latest_position_stored_in_capped_batches()
    {
        var drivers = StoredPositionWriter.MaxBatch + 250;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = false;
        var batchSizes = new ConcurrentQueue<int>();
        using var process = Open(async (ids, ct) =>
        {
            if (!Volatile.Read(ref holding)) return;
            batchSizes.Enqueue(ids.Count);
            await release.Task.WaitAsync(ct);
        });
        var ids = Enumerable.Range(0, drivers).Select(i => $"d{i}").ToArray();
        foreach (var id in ids) await process.Drivers.GoOnlineAsync(id, "economy", Center, Ct);
        await PingAsync(process, ids, round: 0); // each driver's first stored position
        Volatile.Write(ref holding, true);

        // Two rounds of pings from every driver at once while the writer's first batch is held: most drivers have a
        // round-1 fix pending when their round-2 fix arrives, and more are pending than one batch takes.
        for (var round = 1; round <= 2; round++)
        {
            Clock.Advance(TimeSpan.FromSeconds(10));
            var at = Clock.GetUtcNow();
            var accepted = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => process.Drivers.UpdateLocationAsync(id, Fix(i, round), null, at, Ct), Ct)));
            Assert.All(accepted, Assert.True);
        }
        release.SetResult();
        await process.FlushPositionsAsync(Ct);

        var last = Clock.GetUtcNow();
        for (var i = 0; i < drivers; i++) Assert.Equal((Fix(i, 2), last), await StoredAsync(process, ids[i]));
        Assert.Equal(StoredPositionWriter.MaxBatch, batchSizes.Max());
    }

    [Fact]
    public async Task Of_two_pending_fixes_of_a_driver_the_later_one_is_stored_whichever_came_first()
    {
        using var process = Open();
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        var (earlier, later) = (Clock.GetUtcNow().AddSeconds(10), Clock.GetUtcNow().AddSeconds(20));
        using var writer = new StoredPositionWriter(process.Repository, NullLogger<StoredPositionWriter>.Instance);

        writer.Enqueue("d1", Fix(1, 2), later);
        writer.Enqueue("d1", Fix(1, 1), earlier);
        writer.Enqueue("d2", Fix(2, 1), earlier);
        writer.Enqueue("d2", Fix(2, 2), later);
        await writer.StartAsync(Ct);
        await writer.FlushAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await writer.StopAsync(Ct);

        foreach (var (id, i) in new[] { ("d1", 1), ("d2", 2) }) Assert.Equal((Fix(i, 2), later), await StoredAsync(process, id));
    }

    [Fact]
    public async Task Drivers_first_positions_are_inserted_in_one_batch_write()
    {
        var batches = new ConcurrentQueue<IReadOnlyList<string>>();
        using var process = Open((ids, _) =>
        {
            batches.Enqueue(ids);
            return Task.CompletedTask;
        });
        var ids = Enumerable.Range(0, 5).Select(i => $"d{i}").ToArray();
        foreach (var id in ids) await process.Drivers.GoOnlineAsync(id, "economy", Center, Ct);
        var at = Clock.GetUtcNow().AddSeconds(10);
        using var writer = new StoredPositionWriter(process.Repository, NullLogger<StoredPositionWriter>.Instance);
        for (var i = 0; i < ids.Length; i++) writer.Enqueue(ids[i], Fix(i, 1), at);

        await writer.StartAsync(Ct);
        await writer.FlushAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await writer.StopAsync(Ct);

        Assert.Equal(ids, Assert.Single(batches).Order());
        for (var i = 0; i < ids.Length; i++) Assert.Equal((Fix(i, 1), at), await StoredAsync(process, ids[i]));
    }

    [Fact]
    public async Task A_newer_position_another_replica_stored_meanwhile_is_kept_and_a_state_stored_meanwhile_is_untouched()
    {
        var offer = new Offer("o1", "t1", "r1", Clock.GetUtcNow().AddMinutes(1));
        var newer = (Location: new GeoPoint(48.9, 2.4), At: Clock.GetUtcNow().AddSeconds(25));
        DriversProcess process = null!;
        var raced = 0;
        process = Open(async (ids, ct) =>
        {
            // After the writer read the stored positions, before its batch is written: dispatch reserves d2, and another
            // replica stores a newer position of d3.
            if (ids.Contains("d2") && Interlocked.Exchange(ref raced, 1) == 0)
            {
                await process.Repository.Drivers.UpdateAsync("d2", d => d.OfferTrip(offer, Clock.GetUtcNow()), ct: ct);
                await process.Repository.Positions.UpdateAsync("d3", p => p.MoveTo(newer.Location, newer.At), ct: ct);
            }
        });
        using var _ = process;
        var ids = new[] { "d1", "d2", "d3" };
        foreach (var id in ids) await process.Drivers.GoOnlineAsync(id, "economy", Center, Ct);
        await PingAsync(process, ids, round: 0);
        Volatile.Write(ref raced, 0);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        for (var i = 0; i < ids.Length; i++) Assert.True(await process.Drivers.UpdateLocationAsync(ids[i], Fix(i, 1), null, at, Ct));
        await process.FlushPositionsAsync(Ct);

        Assert.Equal(1, raced);
        var d2 = await process.Drivers.GetAsync("d2", Ct);
        Assert.Equal((DriverStates.Offered, offer, Fix(1, 1), at), (d2.State, d2.Offer, d2.Location!, d2.LocationAt));
        Assert.Equal((Fix(0, 1), at), await StoredAsync(process, "d1"));
        Assert.Equal((newer.Location, newer.At), await StoredAsync(process, "d3"));
    }

    [Fact]
    public async Task A_write_that_fails_is_logged_and_its_positions_stored_on_the_next_attempt_unless_newer_ones_came()
    {
        var logger = new RecordingLogger();
        var failures = 0;
        var failing = false;
        DriversProcess process = null!;
        process = Open(async (ids, ct) =>
        {
            if (!Volatile.Read(ref failing) || Interlocked.Increment(ref failures) > 1) return;
            // d1 pings again while its older fix is being written: the newer one must win over the retried older one.
            Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 2), null, Clock.GetUtcNow(), ct));
            throw new InvalidOperationException("disk I/O error");
        }, logger);
        using var _ = process;
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        await PingAsync(process, ["d1", "d2"], round: 0);
        Volatile.Write(ref failing, true);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var first = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, first, Ct));
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, first, Ct));
        await process.FlushPositionsAsync(Ct);

        Assert.True(failures >= 2, $"{failures} batch writes");
        Assert.Equal((Fix(0, 2), first.AddSeconds(10)), await StoredAsync(process, "d1"));
        Assert.Equal((Fix(1, 1), first), await StoredAsync(process, "d2"));
        Assert.Contains(logger.Errors, e => e is InvalidOperationException { Message: "disk I/O error" });
    }

    [Fact]
    public async Task Stopping_stores_the_positions_still_pending()
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var holding = false;
        using var process = Open(async (ids, ct) =>
        {
            if (!Volatile.Read(ref holding) || Interlocked.Increment(ref calls) > 1) return;
            // The loop's write is in flight when the service stops: cancelled, so its positions are pending again.
            writing.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        await PingAsync(process, ["d1", "d2"], round: 0);
        Volatile.Write(ref holding, true);
        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, at, Ct));
        await writing.Task.WaitAsync(Ct);
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, at, Ct));

        await process.Writer.StopAsync(Ct);

        foreach (var (id, i) in new[] { ("d1", 0), ("d2", 1) }) Assert.Equal((Fix(i, 1), at), await StoredAsync(process, id));
    }

    [Fact]
    public async Task A_driver_whose_stored_position_cannot_be_read_does_not_hold_up_the_others_positions()
    {
        var logger = new RecordingLogger();
        using var process = Open(logger: logger);
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        await PingAsync(process, ["d1", "d2"], round: 0);
        await using (var connection = new SqliteConnection($"Data Source={StoreFile};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var corrupt = connection.CreateCommand();
            corrupt.CommandText = "UPDATE driver_positions SET data = json_set(data, '$.at', 'soon') WHERE id = 'd1';";
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync(Ct));
        }

        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, at, Ct));
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, at, Ct));
        await process.FlushPositionsAsync(Ct);

        Assert.Equal((Fix(1, 1), at), await StoredAsync(process, "d2"));
        Assert.Contains(logger.Errors, e => e is JsonException);
    }

    /// <summary>Every driver pings once (10 s after the last round) and the writer stores it: their first stored position.</summary>
    private async Task PingAsync(DriversProcess process, string[] ids, int round)
    {
        Clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < ids.Length; i++) Assert.True(await process.Drivers.UpdateLocationAsync(ids[i], Fix(i, round), null, Clock.GetUtcNow(), Ct));
        await process.FlushPositionsAsync(Ct);
    }

    /// <summary>The driver's stored position as GetMe shows it.</summary>
    private static async Task<(GeoPoint, DateTimeOffset?)> StoredAsync(DriversProcess process, string id)
    {
        var driver = await process.Drivers.GetAsync(id, Ct);
        return (driver.Location!, driver.LocationAt);
    }

    /// <summary>Driver <paramref name="i"/>'s position in round <paramref name="round"/>: distinct per driver and per round.</summary>
    private static GeoPoint Fix(int i, int round) => new(Center.Lat + i * 0.0001, Center.Lng + round * 0.0001);

    private DriversProcess Open(Func<IReadOnlyList<string>, CancellationToken, Task>? beforeBatchWrite = null, ILogger<StoredPositionWriter>? logger = null) =>
        DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters,
            wrapDatabase: beforeBatchWrite is null ? null : database => new HookedDatabase(database, beforeBatchWrite), writerLogger: logger);

    private sealed class RecordingLogger : ILogger<StoredPositionWriter>
    {
        private readonly ConcurrentQueue<Exception> _errors = new();

        public IReadOnlyCollection<Exception> Errors => _errors;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null) _errors.Enqueue(exception);
        }
    }
}
