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
/// background. These pin what it must never do: lose a position, store an older fix over a newer one, or write a
/// position over a state stored meanwhile.
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
        var batchSizes = new ConcurrentQueue<int>();
        using var process = Open(async (items, ct) =>
        {
            batchSizes.Enqueue(items.Count);
            await release.Task.WaitAsync(ct);
        });
        var ids = Enumerable.Range(0, drivers).Select(i => $"d{i}").ToArray();
        foreach (var id in ids) await process.Drivers.GoOnlineAsync(id, "economy", Center, Ct);

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
        for (var i = 0; i < drivers; i++)
        {
            var stored = (await process.Repository.Drivers.GetAsync(ids[i], Ct))!.Document;
            Assert.Equal((Fix(i, 2), last), (stored.Location, stored.LocationAt));
        }
        Assert.Equal(StoredPositionWriter.MaxBatch, batchSizes.Max());
    }

    [Fact]
    public async Task Of_two_pending_fixes_of_a_driver_the_later_one_is_stored_whichever_came_first()
    {
        using var process = Open();
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        var (earlier, later) = (Clock.GetUtcNow().AddSeconds(10), Clock.GetUtcNow().AddSeconds(20));
        using var writer = new StoredPositionWriter(process.Repository, process.Registry, NullLogger<StoredPositionWriter>.Instance);

        writer.Enqueue("d1", Fix(1, 2), later);
        writer.Enqueue("d1", Fix(1, 1), earlier);
        writer.Enqueue("d2", Fix(2, 1), earlier);
        writer.Enqueue("d2", Fix(2, 2), later);
        await writer.StartAsync(Ct);
        await writer.FlushAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await writer.StopAsync(Ct);

        foreach (var (id, i) in new[] { ("d1", 1), ("d2", 2) })
        {
            var stored = (await process.Repository.Drivers.GetAsync(id, Ct))!.Document;
            Assert.Equal((Fix(i, 2), later), (stored.Location, stored.LocationAt));
        }
    }

    [Fact]
    public async Task An_offer_stored_between_the_writers_read_and_its_batch_write_is_kept_and_the_position_still_stored()
    {
        var offer = new Offer("o1", "t1", "r1", Clock.GetUtcNow().AddMinutes(1));
        DriversProcess process = null!;
        var offered = 0;
        process = Open(async (items, ct) =>
        {
            // Dispatch reserves d2 after the writer read d2's record, before the writer's batch is written.
            if (items.Any(item => item.Id == "d2") && Interlocked.Exchange(ref offered, 1) == 0)
            {
                var drivers = process.Database.Collection<Driver>("drivers", "state");
                await drivers.UpdateAsync("d2", d => d.OfferTrip(offer, Clock.GetUtcNow()), ct: ct);
            }
        });
        using var _ = process;
        var ids = new[] { "d1", "d2", "d3" };
        foreach (var id in ids) await process.Drivers.GoOnlineAsync(id, "economy", Center, Ct);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        for (var i = 0; i < ids.Length; i++) Assert.True(await process.Drivers.UpdateLocationAsync(ids[i], Fix(i, 1), null, at, Ct));
        await process.FlushPositionsAsync(Ct);

        Assert.Equal(1, offered);
        var d2 = (await process.Repository.Drivers.GetAsync("d2", Ct))!.Document;
        Assert.Equal((DriverStates.Offered, offer), (d2.State, d2.Offer));
        Assert.Equal((Fix(1, 1), at), (d2.Location, d2.LocationAt));
        Assert.Equal(DriverStates.Offered, process.Registry.Get("d2")!.State);
        foreach (var i in new[] { 0, 2 })
        {
            var stored = (await process.Repository.Drivers.GetAsync(ids[i], Ct))!.Document;
            Assert.Equal((DriverStates.Available, Fix(i, 1), at), (stored.State, stored.Location, stored.LocationAt));
        }
    }

    [Fact]
    public async Task A_write_that_fails_is_logged_and_its_positions_stored_on_the_next_attempt_unless_newer_ones_came()
    {
        var logger = new RecordingLogger();
        var failures = 0;
        DriversProcess process = null!;
        process = Open(async (items, ct) =>
        {
            if (Interlocked.Increment(ref failures) > 1) return;
            // d1 pings again while its older fix is being written: the newer one must win over the retried older one.
            Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 2), null, Clock.GetUtcNow(), ct));
            throw new InvalidOperationException("disk I/O error");
        }, logger);
        using var _ = process;
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);

        Clock.Advance(TimeSpan.FromSeconds(10));
        var first = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, first, Ct));
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, first, Ct));
        await process.FlushPositionsAsync(Ct);

        Assert.True(failures >= 2, $"{failures} batch writes");
        var d1 = (await process.Repository.Drivers.GetAsync("d1", Ct))!.Document;
        Assert.Equal((Fix(0, 2), first.AddSeconds(10)), (d1.Location, d1.LocationAt));
        var d2 = (await process.Repository.Drivers.GetAsync("d2", Ct))!.Document;
        Assert.Equal((Fix(1, 1), first), (d2.Location, d2.LocationAt));
        Assert.Contains(logger.Errors, e => e is InvalidOperationException { Message: "disk I/O error" });
    }

    [Fact]
    public async Task Stopping_stores_the_positions_still_pending()
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        using var process = Open(async (items, ct) =>
        {
            if (Interlocked.Increment(ref calls) > 1) return;
            // The loop's write is in flight when the service stops: cancelled, so its positions are pending again.
            writing.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, at, Ct));
        await writing.Task.WaitAsync(Ct);
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, at, Ct));

        await process.Writer.StopAsync(Ct);

        foreach (var (id, i) in new[] { ("d1", 0), ("d2", 1) })
        {
            var stored = (await process.Repository.Drivers.GetAsync(id, Ct))!.Document;
            Assert.Equal((Fix(i, 1), at), (stored.Location, stored.LocationAt));
        }
    }

    [Fact]
    public async Task A_driver_whose_stored_record_cannot_be_read_does_not_hold_up_the_others_positions()
    {
        var logger = new RecordingLogger();
        using var process = Open(logger: logger);
        await process.Drivers.GoOnlineAsync("d1", "economy", Center, Ct);
        await process.Drivers.GoOnlineAsync("d2", "economy", Center, Ct);
        await using (var connection = new SqliteConnection($"Data Source={StoreFile};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var corrupt = connection.CreateCommand();
            // Valid JSON (SQLite's index on the state field refuses anything else) that is not a Driver.
            corrupt.CommandText = "UPDATE drivers SET data = json_set(data, '$.revision', 'many') WHERE id = 'd1';";
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync(Ct));
        }

        Clock.Advance(TimeSpan.FromSeconds(10));
        var at = Clock.GetUtcNow();
        Assert.True(await process.Drivers.UpdateLocationAsync("d1", Fix(0, 1), null, at, Ct));
        Assert.True(await process.Drivers.UpdateLocationAsync("d2", Fix(1, 1), null, at, Ct));
        await process.FlushPositionsAsync(Ct);

        var d2 = (await process.Repository.Drivers.GetAsync("d2", Ct))!.Document;
        Assert.Equal((Fix(1, 1), at), (d2.Location, d2.LocationAt));
        Assert.Contains(logger.Errors, e => e is JsonException);
    }

    /// <summary>Driver <paramref name="i"/>'s position in round <paramref name="round"/>: distinct per driver and per round.</summary>
    private static GeoPoint Fix(int i, int round) => new(Center.Lat + i * 0.0001, Center.Lng + round * 0.0001);

    private DriversProcess Open(Func<IReadOnlyList<VersionedReplace<Driver>>, CancellationToken, Task>? beforeBatchWrite = null, ILogger<StoredPositionWriter>? logger = null) =>
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
