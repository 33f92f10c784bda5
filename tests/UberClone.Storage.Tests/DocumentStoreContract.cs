using static UberClone.Storage.Tests.Documents;

namespace UberClone.Storage.Tests;

/// <summary>The behaviour every <see cref="IDocumentDatabase"/> provider must have. Each test gets an empty database.</summary>
public abstract class DocumentStoreContract : IAsyncDisposable
{
    private IDocumentDatabase? database;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opened on first use, so a provider without a server can skip the test from inside it.</summary>
    protected IDocumentDatabase Database => database ??= OpenDatabase();

    /// <summary>A new, empty database, or <see cref="Assert.Skip(string)"/> when the provider is not reachable.</summary>
    protected abstract IDocumentDatabase OpenDatabase();

    /// <summary>A new handle on the stored data of the database last opened.</summary>
    protected abstract IDocumentDatabase ReopenDatabase();

    private IDocumentStore<Trip> Trips => Database.Collection<Trip>("trips", "riderId", "status");

    /// <summary>Closes the database and opens the same stored data again, as a restarted process would.</summary>
    private void RestartDatabase()
    {
        (Database as IDisposable)?.Dispose();
        database = ReopenDatabase();
    }

    public virtual ValueTask DisposeAsync()
    {
        (database as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Inserted_document_reads_back_with_version_1()
    {
        var trip = Trip.For("rider-1");

        var inserted = await Trips.InsertAsync("trip-1", trip, ct: Ct);
        var read = await Trips.GetAsync("trip-1", Ct);

        Assert.Equal(1, inserted.Version);
        Assert.NotNull(read);
        Assert.Equal(("trip-1", 1L), (read.Id, read.Version));
        AssertSame(trip, read.Document);
    }

    [Fact]
    public async Task Put_inserts_a_missing_document_and_writes_over_an_existing_one()
    {
        await Trips.PutAsync("setting-1", Trip.For("rider-1"), Ct);
        var replaced = await Trips.PutAsync("setting-1", Trip.For("rider-1", TripStatus.Completed), Ct);
        var read = await Trips.GetAsync("setting-1", Ct);

        Assert.Equal(TripStatus.Completed, replaced.Status);
        Assert.Equal((2L, TripStatus.Completed), (read!.Version, read.Document.Status));
    }

    [Fact]
    public async Task Missing_document_reads_back_as_null()
    {
        Assert.Null(await Trips.GetAsync("nobody", Ct));
    }

    [Fact]
    public async Task Documents_round_trip_longs_doubles_nested_objects_arrays_nulls_and_dates()
    {
        var trip = new Trip(
            "rider-ü-1", TripStatus.DriverAssigned, long.MaxValue, 0.1 + 0.2,
            new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(330)).AddTicks(1234567),
            [new Place(-33.8688, 151.2093, "quay \"one\""), new Place(1e-7, -1e300, "")],
            new Fare(int.MaxValue + 1L, "EUR"),
            DriverId: null);

        await Trips.InsertAsync("trip-1", trip, ct: Ct);

        AssertSame(trip, (await Trips.GetAsync("trip-1", Ct))?.Document);
    }

    [Fact]
    public async Task Inserting_an_existing_id_throws_and_keeps_the_original()
    {
        var original = Trip.For("rider-1");
        await Trips.InsertAsync("trip-1", original, ct: Ct);

        await Assert.ThrowsAsync<DuplicateDocumentException>(
            () => Trips.InsertAsync("trip-1", Trip.For("rider-2"), [Message()], Ct));

        var read = await Trips.GetAsync("trip-1", Ct);
        Assert.Equal(1, read?.Version);
        AssertSame(original, read?.Document);
        Assert.Empty(await Database.Outbox.GetPendingAsync(10, Ct));
    }

    [Fact]
    public async Task Replace_with_the_current_version_increments_it()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        var assigned = Trip.For("rider-1", TripStatus.DriverAssigned) with { DriverId = "driver-7" };

        var replaced = await Trips.ReplaceAsync("trip-1", assigned, expectedVersion: 1, ct: Ct);
        var again = await Trips.ReplaceAsync("trip-1", assigned with { Status = TripStatus.Completed }, expectedVersion: 2, ct: Ct);

        Assert.Equal((2L, 3L), (replaced.Version, again.Version));
        var read = await Trips.GetAsync("trip-1", Ct);
        Assert.Equal(3, read?.Version);
        AssertSame(assigned with { Status = TripStatus.Completed }, read?.Document);
    }

    [Fact]
    public async Task Replace_with_a_stale_version_throws_and_writes_nothing()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        var current = Trip.For("rider-1", TripStatus.DriverAssigned);
        var carried = Message();
        await Trips.ReplaceAsync("trip-1", current, expectedVersion: 1, [carried], Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Trips.ReplaceAsync("trip-1", Trip.For("rider-1", TripStatus.Completed), expectedVersion: 1, [Message()], Ct));

        var read = await Trips.GetAsync("trip-1", Ct);
        Assert.Equal(2, read?.Version);
        AssertSame(current, read?.Document);
        Assert.Equal([carried.Id], (await Database.Outbox.GetPendingAsync(10, Ct)).Select(m => m.Id));
    }

    [Fact]
    public async Task Replace_of_a_missing_document_is_a_conflict()
    {
        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Trips.ReplaceAsync("nobody", Trip.For("rider-1"), expectedVersion: 1, ct: Ct));
    }

    [Fact]
    public async Task Delete_at_the_current_version_removes_the_document_and_its_id_can_be_inserted_again()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        await Trips.ReplaceAsync("trip-1", Trip.For("rider-1", TripStatus.Completed), expectedVersion: 1, ct: Ct);

        await Trips.DeleteAsync("trip-1", expectedVersion: 2, Ct);

        Assert.Null(await Trips.GetAsync("trip-1", Ct));
        Assert.Empty(await Trips.QueryAsync("riderId", "rider-1", ct: Ct));
        Assert.Equal(1, (await Trips.InsertAsync("trip-1", Trip.For("rider-2"), ct: Ct)).Version);
    }

    [Fact]
    public async Task Delete_at_a_stale_version_or_of_a_missing_document_is_a_conflict_and_deletes_nothing()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        await Trips.ReplaceAsync("trip-1", Trip.For("rider-1", TripStatus.Completed), expectedVersion: 1, ct: Ct);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Trips.DeleteAsync("trip-1", expectedVersion: 1, Ct));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Trips.DeleteAsync("nobody", expectedVersion: 1, Ct));

        Assert.Equal(2, (await Trips.GetAsync("trip-1", Ct))?.Version);
    }

    [Fact]
    public async Task A_document_whose_outbox_messages_are_not_relayed_is_not_deleted_with_them()
    {
        var carried = Message();
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), [carried], Ct);

        try
        {
            await Trips.DeleteAsync("trip-1", expectedVersion: 1, Ct);
            Assert.Null(await Trips.GetAsync("trip-1", Ct)); // a provider that keeps the outbox apart may delete the row
        }
        catch (ConcurrencyConflictException)
        {
            Assert.NotNull(await Trips.GetAsync("trip-1", Ct)); // one that keeps it in the document must not
        }
        Assert.Equal([carried.Id], (await Database.Outbox.GetPendingAsync(10, Ct)).Select(m => m.Id));
    }

    [Fact]
    public async Task Outbox_messages_are_pending_after_the_write_that_carried_them()
    {
        var created = Message("trip.event.created", traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var assigned = Message("trip.event.driver_assigned");
        var offered = Message("driver.cmd.offer", key: "driver-7");

        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), [created], Ct);
        await Trips.ReplaceAsync("trip-1", Trip.For("rider-1", TripStatus.DriverAssigned), 1, [assigned, offered], Ct);

        Assert.Equal([created, assigned, offered], await Database.Outbox.GetPendingAsync(10, Ct));
    }

    [Fact]
    public async Task Marked_messages_are_no_longer_pending()
    {
        var first = Message();
        var second = Message();
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), [first, second], Ct);

        await Database.Outbox.MarkPublishedAsync([first.Id, "unknown-id"], Ct);

        Assert.Equal([second], await Database.Outbox.GetPendingAsync(10, Ct));
        await Database.Outbox.MarkPublishedAsync([second.Id], Ct);
        Assert.Empty(await Database.Outbox.GetPendingAsync(10, Ct));
    }

    [Fact]
    public async Task Pending_messages_come_oldest_first()
    {
        var payments = Database.Collection<Payment>("payments");
        var messages = Enumerable.Range(0, 6).Select(i => Message(key: $"k{i}")).ToArray();

        // Interleaved over two collections and over inserts and replaces.
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), [messages[0]], Ct);
        await payments.InsertAsync("pay-1", new Payment("trip-1", 1_250), [messages[1], messages[2]], Ct);
        await Trips.ReplaceAsync("trip-1", Trip.For("rider-1", TripStatus.DriverAssigned), 1, [messages[3]], Ct);
        await Trips.InsertAsync("trip-2", Trip.For("rider-2"), [messages[4]], Ct);
        await payments.ReplaceAsync("pay-1", new Payment("trip-1", 1_300), 1, [messages[5]], Ct);

        Assert.Equal(messages, await Database.Outbox.GetPendingAsync(10, Ct));
        Assert.Equal(messages[..4], await Database.Outbox.GetPendingAsync(4, Ct));
    }

    [Fact]
    public async Task Query_by_indexed_field_returns_matches_newest_first()
    {
        await Trips.InsertAsync("trip-a", Trip.For("rider-1"), ct: Ct);
        await Trips.InsertAsync("trip-b", Trip.For("rider-1"), ct: Ct);
        await Trips.InsertAsync("other", Trip.For("rider-2"), ct: Ct);
        await Trips.InsertAsync("trip-c", Trip.For("rider-1"), ct: Ct);
        // Newest by insertion: replacing an older document does not move it to the front.
        await Trips.ReplaceAsync("trip-a", Trip.For("rider-1", TripStatus.Completed), 1, ct: Ct);

        var all = await Trips.QueryAsync("riderId", "rider-1", ct: Ct);
        var firstTwo = await Trips.QueryAsync("riderId", "rider-1", limit: 2, ct: Ct);

        Assert.Equal(["trip-c", "trip-b", "trip-a"], all.Select(t => t.Id));
        Assert.Equal(["trip-c", "trip-b"], firstTwo.Select(t => t.Id));
        Assert.Equal(2, all[2].Version);
        Assert.Equal(TripStatus.Completed, all[2].Document.Status);
        Assert.Empty(await Trips.QueryAsync("riderId", "rider-3", ct: Ct));
    }

    [Fact]
    public async Task Query_matches_enum_fields_by_their_camel_case_name()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1", TripStatus.DriverAssigned), ct: Ct);
        await Trips.InsertAsync("trip-2", Trip.For("rider-2", TripStatus.Requested), ct: Ct);

        var assigned = await Trips.QueryAsync("status", "driverAssigned", ct: Ct);

        Assert.Equal(["trip-1"], assigned.Select(t => t.Id));
    }

    [Fact]
    public async Task Query_on_an_unindexed_field_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Trips.QueryAsync("driverId", "driver-7", ct: Ct));

        Assert.Contains("driverId", error.Message);
        Assert.Contains("not indexed", error.Message);
    }

    [Fact]
    public async Task Get_many_returns_the_documents_that_exist_with_their_versions()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        await Trips.InsertAsync("trip-2", Trip.For("rider-2"), ct: Ct);
        await Trips.InsertAsync("trip-3", Trip.For("rider-3"), ct: Ct);
        await Trips.ReplaceAsync("trip-2", Trip.For("rider-2", TripStatus.Completed), 1, ct: Ct);

        var found = await Trips.GetManyAsync(["trip-2", "nobody", "trip-1", "trip-2"], Ct);

        Assert.Equal([("trip-1", 1L, "rider-1"), ("trip-2", 2L, "rider-2")],
            found.Select(t => (t.Id, t.Version, t.Document.RiderId)).OrderBy(t => t.Id));
        Assert.Equal(TripStatus.Completed, found.Single(t => t.Id == "trip-2").Document.Status);
        Assert.Empty(await Trips.GetManyAsync([], Ct));
        var thousand = await Trips.GetManyAsync([.. Enumerable.Range(0, 999).Select(i => $"x{i}"), "trip-3"], Ct);
        Assert.Equal(["trip-3"], thousand.Select(t => t.Id));
    }

    [Fact]
    public async Task Get_many_refuses_more_than_a_thousand_ids_and_empty_ones()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Trips.GetManyAsync(Enumerable.Range(0, 1_001).Select(i => $"t{i}").ToList(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Trips.GetManyAsync(["trip-1", ""], Ct));
    }

    [Fact]
    public async Task Query_all_reads_every_match_newest_first_past_any_page_or_limit()
    {
        // Over two of SQLite's 1,000-document pages, with other values in between and a replace that must not move one.
        const int matches = 2_345;
        for (var i = 0; i < matches; i++)
        {
            await Trips.InsertAsync($"trip-{i:D4}", Trip.For("rider-1"), ct: Ct);
            if (i % 100 == 0) await Trips.InsertAsync($"other-{i:D4}", Trip.For("rider-2"), ct: Ct);
        }
        await Trips.ReplaceAsync("trip-0000", Trip.For("rider-1", TripStatus.Completed), 1, ct: Ct);

        var all = new List<Versioned<Trip>>();
        await foreach (var trip in Trips.QueryAllAsync("riderId", "rider-1", Ct)) all.Add(trip);

        Assert.Equal(Enumerable.Range(0, matches).Reverse().Select(i => $"trip-{i:D4}"), all.Select(t => t.Id));
        Assert.Equal((2, TripStatus.Completed), (all[^1].Version, all[^1].Document.Status));
        Assert.Empty(await Trips.QueryAllAsync("riderId", "rider-3", Ct).ToListAsync(Ct));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Trips.QueryAllAsync("driverId", "d", Ct).ToListAsync(Ct));
    }

    /// <summary>Timers due at 5,000, 2,000 (older), never (null), -7, 2,000 (newer), 3,000, and one with a due time as text.</summary>
    private async Task<IDocumentStore<Timer>> MixedTimersAsync()
    {
        var timers = Database.Collection<Timer>("timers", "dueAt");
        await timers.InsertAsync("late", new Timer("late", 5_000), ct: Ct);
        await timers.InsertAsync("tie-older", new Timer("tie-older", 2_000), ct: Ct);
        await timers.InsertAsync("never", new Timer("never", null), ct: Ct);
        await timers.InsertAsync("first", new Timer("first", -7), ct: Ct);
        await timers.InsertAsync("tie-newer", new Timer("tie-newer", 2_000), ct: Ct);
        await timers.InsertAsync("bound", new Timer("bound", 3_000), ct: Ct);
        await Database.Collection<TimerWithTextDue>("timers", "dueAt").InsertAsync("text", new TimerWithTextDue("text", "1000"), ct: Ct);
        return timers;
    }

    [Fact]
    public async Task Query_up_to_returns_numbers_at_most_the_bound_smallest_first_then_oldest()
    {
        var timers = await MixedTimersAsync();

        var due = await timers.QueryUpToAsync("dueAt", 3_000, ct: Ct);
        var firstTwo = await timers.QueryUpToAsync("dueAt", 3_000, limit: 2, ct: Ct);

        Assert.Equal(["first", "tie-older", "tie-newer", "bound"], due.Select(t => t.Id));
        Assert.Equal(["first", "tie-older"], firstTwo.Select(t => t.Id));
        Assert.Empty(await timers.QueryUpToAsync("dueAt", -8, ct: Ct));
    }

    [Fact]
    public async Task Query_between_returns_numbers_in_the_range_both_ends_included_smallest_first()
    {
        var timers = Database.Collection<Timer>("timers", "dueAt");
        await timers.InsertAsync("below", new Timer("below", 999), ct: Ct);
        await timers.InsertAsync("low", new Timer("low", 1_000), ct: Ct);
        await timers.InsertAsync("mid", new Timer("mid", 1_500), ct: Ct);
        await timers.InsertAsync("high", new Timer("high", 2_000), ct: Ct);
        await timers.InsertAsync("above", new Timer("above", 2_001), ct: Ct);
        await timers.InsertAsync("never", new Timer("never", null), ct: Ct);
        await Database.Collection<TimerWithTextDue>("timers", "dueAt").InsertAsync("text", new TimerWithTextDue("text", "1500"), ct: Ct);

        Assert.Equal(["low", "mid", "high"], (await timers.QueryBetweenAsync("dueAt", 1_000, 2_000, ct: Ct)).Select(t => t.Id));
        Assert.Equal(["low"], (await timers.QueryBetweenAsync("dueAt", 1_000, 2_000, limit: 1, ct: Ct)).Select(t => t.Id));
        Assert.Equal(["above"], (await timers.QueryBetweenAsync("dueAt", 2_001, long.MaxValue, ct: Ct)).Select(t => t.Id));
        Assert.Empty(await timers.QueryBetweenAsync("dueAt", 2_000, 1_000, ct: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Trips.QueryBetweenAsync("distanceMetres", 0, 1, ct: Ct));
    }

    [Fact]
    public async Task Query_up_to_follows_replaces()
    {
        var timers = Database.Collection<Timer>("timers", "dueAt");
        await timers.InsertAsync("a", new Timer("a", 1_000), ct: Ct);
        await timers.InsertAsync("b", new Timer("b", 1_500), ct: Ct);

        await timers.ReplaceAsync("a", new Timer("a", 9_000), 1, ct: Ct);
        await timers.ReplaceAsync("b", new Timer("b", null), 1, ct: Ct);
        await timers.InsertAsync("c", new Timer("c", 500), ct: Ct);

        var due = await timers.QueryUpToAsync("dueAt", 2_000, ct: Ct);

        Assert.Equal(["c"], due.Select(t => t.Id));
        Assert.Equal(["c", "a"], (await timers.QueryUpToAsync("dueAt", 9_000, ct: Ct)).Select(t => t.Id));
        Assert.Equal(2, (await timers.QueryUpToAsync("dueAt", 9_000, ct: Ct))[1].Version);
    }

    [Fact]
    public async Task Query_up_to_refuses_an_unindexed_field_and_a_limit_under_one()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Trips.QueryUpToAsync("distanceMetres", 1, ct: Ct));
        Assert.Contains("not indexed", error.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Trips.QueryUpToAsync("status", 1, limit: 0, ct: Ct));
    }

    [Fact]
    public async Task Delete_up_to_deletes_numbers_at_most_the_bound_smallest_first_within_the_limit()
    {
        var timers = await MixedTimersAsync();

        Assert.Equal(2, await timers.DeleteUpToAsync("dueAt", 3_000, limit: 2, ct: Ct));
        Assert.Null(await timers.GetAsync("first", Ct));
        Assert.Null(await timers.GetAsync("tie-older", Ct));
        Assert.Equal(["tie-newer", "bound"], (await timers.QueryUpToAsync("dueAt", 3_000, ct: Ct)).Select(t => t.Id));

        Assert.Equal(2, await timers.DeleteUpToAsync("dueAt", 3_000, ct: Ct));
        Assert.Equal(0, await timers.DeleteUpToAsync("dueAt", 3_000, ct: Ct));
        Assert.Equal(["late"], (await timers.QueryUpToAsync("dueAt", long.MaxValue, ct: Ct)).Select(t => t.Id));
        Assert.NotNull(await timers.GetAsync("never", Ct));
        Assert.NotNull(await timers.GetAsync("text", Ct));

        // A deleted id is free again.
        Assert.Equal(1, (await timers.InsertAsync("first", new Timer("first", 1), ct: Ct)).Version);
    }

    [Fact]
    public async Task Delete_up_to_never_loses_a_message_not_yet_relayed()
    {
        var timers = Database.Collection<Timer>("timers", "dueAt");
        var pending = Message(key: "relay-me");
        await timers.InsertAsync("with-message", new Timer("with-message", 1_000), [pending], Ct);

        await timers.DeleteUpToAsync("dueAt", 2_000, ct: Ct);

        Assert.Equal([pending], await Database.Outbox.GetPendingAsync(10, Ct));
        await Database.Outbox.MarkPublishedAsync([pending.Id], Ct);
        await timers.DeleteUpToAsync("dueAt", 2_000, ct: Ct);
        Assert.Null(await timers.GetAsync("with-message", Ct));
    }

    [Fact]
    public async Task Delete_up_to_refuses_an_unindexed_field_and_a_limit_under_one()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Trips.DeleteUpToAsync("distanceMetres", long.MaxValue, ct: Ct));
        Assert.Contains("not indexed", error.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Trips.DeleteUpToAsync("status", 1, limit: 0, ct: Ct));
        Assert.NotNull(await Trips.GetAsync("trip-1", Ct));
    }

    [Fact]
    public async Task Concurrent_replaces_at_the_same_version_let_exactly_one_win()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        var messages = Enumerable.Range(0, 20).Select(_ => Message()).ToArray();

        var attempts = messages.Select(message => Task.Run(async () =>
        {
            try
            {
                await Trips.ReplaceAsync("trip-1", Trip.For("rider-1") with { DriverId = message.Id }, 1, [message], Ct);
                return message;
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
        }, Ct));
        var winners = (await Task.WhenAll(attempts)).OfType<OutboxMessage>().ToArray();

        var winner = Assert.Single(winners);
        var read = await Trips.GetAsync("trip-1", Ct);
        Assert.Equal((2L, winner.Id), (read?.Version, read?.Document.DriverId));
        Assert.Equal([winner], await Database.Outbox.GetPendingAsync(100, Ct));
    }

    [Fact]
    public async Task Concurrent_inserts_of_one_id_let_exactly_one_win()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await Trips.InsertAsync("trip-1", Trip.For($"rider-{i}"), ct: Ct);
                return true;
            }
            catch (DuplicateDocumentException)
            {
                return false;
            }
        }, Ct));

        Assert.Single(await Task.WhenAll(attempts), won => won);
    }

    [Fact]
    public async Task Data_survives_reopening_the_database()
    {
        var trip = Trip.For("rider-1");
        var pending = Message();
        await Trips.InsertAsync("trip-1", trip, [pending], Ct);

        RestartDatabase();
        var trips = Trips;

        AssertSame(trip, (await trips.GetAsync("trip-1", Ct))?.Document);
        Assert.Equal(["trip-1"], (await trips.QueryAsync("riderId", "rider-1", ct: Ct)).Select(t => t.Id));
        Assert.Equal([pending], await Database.Outbox.GetPendingAsync(10, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Trips")]
    [InlineData("trip-history")]
    [InlineData("trips\"; DROP TABLE outbox; --")]
    [InlineData("1trips")]
    [InlineData("outbox")]
    public void Invalid_collection_name_is_refused(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Database.Collection<Trip>(name));

        Assert.Contains("collection name", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fare.amountMinor")]
    [InlineData("rider') IS NULL; --")]
    public void Invalid_indexed_field_name_is_refused(string field)
    {
        Assert.Throws<ArgumentException>(() => Database.Collection<Trip>("trips", field));
    }

    [Fact]
    public async Task Ping_succeeds()
    {
        await Database.PingAsync(Ct);
    }

    [Fact]
    public async Task Replace_each_writes_every_item_at_its_expected_version_and_leaves_pending_messages_alone()
    {
        var carried = Message();
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), [carried], Ct);
        await Trips.InsertAsync("trip-2", Trip.For("rider-2"), ct: Ct);
        await Trips.ReplaceAsync("trip-2", Trip.For("rider-2", TripStatus.DriverAssigned), 1, ct: Ct);
        var first = Trip.For("rider-1", TripStatus.DriverAssigned) with { DriverId = "driver-1" };
        var second = Trip.For("rider-2", TripStatus.Completed) with { DriverId = "driver-2" };

        var versions = await Trips.ReplaceEachAsync([new("trip-1", first, 1), new("trip-2", second, 2)], Ct);

        Assert.Equal([2L, 3L], versions);
        var one = await Trips.GetAsync("trip-1", Ct);
        var two = await Trips.GetAsync("trip-2", Ct);
        Assert.Equal((2L, 3L), (one?.Version, two?.Version));
        AssertSame(first, one?.Document);
        AssertSame(second, two?.Document);
        Assert.Equal([carried], await Database.Outbox.GetPendingAsync(10, Ct));
    }

    [Fact]
    public async Task Replace_each_skips_a_stale_item_and_still_writes_the_others()
    {
        foreach (var id in new[] { "trip-1", "trip-2", "trip-3" }) await Trips.InsertAsync(id, Trip.For("rider-1"), ct: Ct);
        var current = Trip.For("rider-1", TripStatus.DriverAssigned) with { DriverId = "driver-7" };
        await Trips.ReplaceAsync("trip-2", current, 1, ct: Ct);
        var completed = Trip.For("rider-1", TripStatus.Completed);

        var versions = await Trips.ReplaceEachAsync(
            [new("trip-1", completed, 1), new("trip-2", completed, 1), new("trip-3", completed, 1)], Ct);

        Assert.Equal([2L, null, 2L], versions);
        var stale = await Trips.GetAsync("trip-2", Ct);
        Assert.Equal(2, stale?.Version);
        AssertSame(current, stale?.Document);
        AssertSame(completed, (await Trips.GetAsync("trip-1", Ct))?.Document);
        AssertSame(completed, (await Trips.GetAsync("trip-3", Ct))?.Document);
    }

    [Fact]
    public async Task Replace_each_reports_a_missing_document_as_null_and_does_not_create_it()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        var completed = Trip.For("rider-1", TripStatus.Completed);

        var versions = await Trips.ReplaceEachAsync([new("nobody", completed, 1), new("trip-1", completed, 1)], Ct);

        Assert.Equal([null, 2L], versions);
        Assert.Null(await Trips.GetAsync("nobody", Ct));
        AssertSame(completed, (await Trips.GetAsync("trip-1", Ct))?.Document);
    }

    [Fact]
    public async Task Replace_each_at_version_0_inserts_a_missing_document_and_skips_a_stored_one()
    {
        var stored = Trip.For("rider-1", TripStatus.DriverAssigned);
        await Trips.InsertAsync("trip-1", stored, ct: Ct);
        var fresh = Trip.For("rider-2");
        var completed = Trip.For("rider-1", TripStatus.Completed);

        var versions = await Trips.ReplaceEachAsync([new("trip-1", fresh, 0), new("trip-2", fresh, 0), new("trip-3", completed, 1)], Ct);

        Assert.Equal([null, 1L, null], versions);
        var one = await Trips.GetAsync("trip-1", Ct);
        Assert.Equal(1, one?.Version);
        AssertSame(stored, one?.Document);
        var two = await Trips.GetAsync("trip-2", Ct);
        Assert.Equal(1, two?.Version);
        AssertSame(fresh, two?.Document);
        Assert.Null(await Trips.GetAsync("trip-3", Ct));
        // An inserted document is found by its indexed fields like any other.
        Assert.Contains(await Trips.QueryAsync("riderId", "rider-2", ct: Ct), d => d.Id == "trip-2");
    }

    [Fact]
    public async Task Replace_each_of_no_items_writes_nothing()
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);

        Assert.Empty(await Trips.ReplaceEachAsync([], Ct));

        Assert.Equal(1, (await Trips.GetAsync("trip-1", Ct))?.Version);
    }

    public static TheoryData<string> BadBatches => ["null item", "empty id", "null document", "id twice"];

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Replace_each_refuses_a_bad_batch_before_writing_any_of_it(string bad)
    {
        await Trips.InsertAsync("trip-1", Trip.For("rider-1"), ct: Ct);
        await Trips.InsertAsync("trip-2", Trip.For("rider-2"), ct: Ct);
        var completed = Trip.For("rider-1", TripStatus.Completed);
        VersionedReplace<Trip> second = bad switch
        {
            "null item" => null!,
            "empty id" => new("", completed, 1),
            "null document" => new("trip-2", null!, 1),
            _ => new("trip-1", completed, 1),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Trips.ReplaceEachAsync([new("trip-1", completed, 1), second], Ct));

        Assert.Equal(1, (await Trips.GetAsync("trip-1", Ct))?.Version);
        Assert.Equal(1, (await Trips.GetAsync("trip-2", Ct))?.Version);
        await Assert.ThrowsAsync<ArgumentNullException>(() => Trips.ReplaceEachAsync(null!, Ct));
    }
}
