using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Storage.Sqlite;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.IntegrationEvents.EventHandling;

namespace UberClone.Trips.Tests;

/// <summary>
/// Trips keeps on-trip drivers' positions from <c>driver.event.locations_updated</c> batches, against a real SQLite store:
/// a batch's trips in one read and one write, a trip changed in between decided again, an unreadable trip left out.
/// </summary>
public sealed class DriverLocationsUpdatedHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Pickup = new(52.52, 13.40);
    private static readonly TripRules Rules = new();

    private static readonly SafetyRules Safety = new() { LongStopAfter = TimeSpan.FromMinutes(4) };

    private readonly TripsDatabaseFile _file = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(Now);
    private readonly SqliteDocumentDatabase _database;
    private readonly CountingDatabase _counted;
    private readonly TripRepository _repository;

    public DriverLocationsUpdatedHandlerTests()
    {
        _database = _file.Database;
        _counted = new CountingDatabase(_database);
        _repository = new TripRepository(_counted);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_is_one_read_and_one_write_and_each_trip_keeps_its_own_drivers_newest_position()
    {
        await InsertAsync(Assigned("t1", "d1"));
        await InsertAsync(Assigned("t2", "d2"));
        await InsertAsync(Assigned("t3", "d3").CancelByRider("r1", "changed my mind", Rules, Now.AddSeconds(20)));
        await InsertAsync(Assigned("t4", "d4"));
        _counted.Reset();

        await HandleAsync(
            Position("d1", "t1", NorthOfPickup(2_000), Now.AddSeconds(30)),
            Position("d1", "t1", NorthOfPickup(1_900), Now.AddSeconds(34)), // newer: this one is kept
            Position("d1", "t1", NorthOfPickup(2_100), Now.AddSeconds(26)),
            Position("d2", "t2", NorthOfPickup(1_000), Now.AddSeconds(30)),
            Position("d3", "t3", NorthOfPickup(500), Now.AddSeconds(30)), // cancelled trip: nothing to keep
            Position("someone-else", "t4", NorthOfPickup(500), Now.AddSeconds(30)), // not t4's driver
            Position("d5", "t-missing", NorthOfPickup(500), Now.AddSeconds(30)));

        Assert.Equal(NorthOfPickup(1_900), await DriverLocationAsync("t1"));
        Assert.Equal(NorthOfPickup(1_000), await DriverLocationAsync("t2"));
        Assert.Null((await GetAsync("t3")).Driver?.Location);
        Assert.Null(await DriverLocationAsync("t4"));
        Assert.Equal((1, 1), (_counted.GetMany, _counted.ReplaceEach));
        Assert.Equal((0, 0), (_counted.Get, _counted.Replace));
    }

    [Fact]
    public async Task Handled_twice_or_overtaken_by_a_newer_batch_it_writes_nothing()
    {
        await InsertAsync(Assigned("t1", "d1"));
        await HandleAsync(Position("d1", "t1", NorthOfPickup(2_000), Now.AddSeconds(40)));
        var version = (await _database.Collection<Trip>("trips").GetAsync("t1", Ct))!.Version;
        _counted.Reset();

        await HandleAsync(Position("d1", "t1", NorthOfPickup(2_000), Now.AddSeconds(40)));
        await HandleAsync(Position("d1", "t1", NorthOfPickup(2_500), Now.AddSeconds(30)));

        Assert.Equal(NorthOfPickup(2_000), await DriverLocationAsync("t1"));
        Assert.Equal(version, (await _database.Collection<Trip>("trips").GetAsync("t1", Ct))!.Version);
        Assert.Equal(0, _counted.ReplaceEach);
    }

    [Fact]
    public async Task A_trip_changed_between_the_read_and_the_write_is_decided_again_on_its_fresh_state()
    {
        await InsertAsync(Assigned("t1", "d1"));
        await InsertAsync(Assigned("t2", "d2"));
        var trips = _database.Collection<Trip>("trips");
        // The driver of t1 arrives (another request, another replica) after the batch read t1 and before it writes.
        _counted.BeforeFirstReplaceEach = async () =>
            await trips.UpdateAsync("t1", t => t.Arrive("d1", NorthOfPickup(30), Rules, Now.AddSeconds(50)), ct: Ct);

        await HandleAsync(
            Position("d1", "t1", NorthOfPickup(60), Now.AddSeconds(55)),
            Position("d2", "t2", NorthOfPickup(800), Now.AddSeconds(55)));

        var t1 = await GetAsync("t1");
        Assert.Equal(TripStatus.DriverArrived, t1.Status); // not written over by the position decided on the stale trip
        Assert.Equal(NorthOfPickup(60), t1.Driver!.Location);
        Assert.Equal(NorthOfPickup(800), await DriverLocationAsync("t2"));
        Assert.Equal((2, 2), (_counted.GetMany, _counted.ReplaceEach));
    }

    [Fact]
    public async Task A_trip_whose_stored_record_cannot_be_read_loses_its_position_not_the_batch()
    {
        await InsertAsync(Assigned("t1", "d1"));
        await InsertAsync(Assigned("broken", "d2"));
        var raw = _database.Collection<JsonObject>("trips");
        var stored = await raw.GetAsync("broken", Ct);
        await raw.ReplaceAsync("broken", new JsonObject { ["id"] = "broken", ["status"] = new JsonArray() }, stored!.Version, ct: Ct);

        await HandleAsync(
            Position("d2", "broken", NorthOfPickup(800), Now.AddSeconds(40)),
            Position("d1", "t1", NorthOfPickup(800), Now.AddSeconds(40)));

        Assert.Equal(NorthOfPickup(800), await DriverLocationAsync("t1"));
    }

    [Fact]
    public async Task A_ride_standing_still_too_long_opens_its_safety_check_with_the_event_once_however_often_the_fix_comes()
    {
        var riding = Assigned("t1", "d1").Arrive("d1", Pickup, Rules, Now.AddMinutes(1)) is var arrived ? arrived.Start("d1", arrived.Pin, Now.AddMinutes(2), out _) : null!;
        await InsertAsync(riding);
        var jam = NorthOfPickup(2_000);

        await HandleAsync(Position("d1", "t1", jam, Now.AddMinutes(3)));
        _clock.SetUtcNow(Now.AddMinutes(7));
        await HandleAsync(Position("d1", "t1", jam, Now.AddMinutes(7)));
        await HandleAsync(Position("d1", "t1", jam, Now.AddMinutes(7))); // redelivered
        await HandleAsync(Position("d1", "t1", NorthOfPickup(2_010), Now.AddMinutes(8)));

        var check = Assert.Single((await GetAsync("t1")).SafetyChecks);
        Assert.Equal((jam, 4, Now.AddMinutes(7)), (check.At, check.StoppedMinutes, check.OpenedAt));
        var told = Assert.Single(await _file.PublishedAsync<TripSafetyCheckIntegrationEvent>(Topics.TripSafetyCheck));
        Assert.Equal(("t1", "r1", "d1", 1, RideCheck.Opened, 4), (told.TripId, told.RiderId, told.DriverId, told.Number, told.State, told.StoppedMinutes));
    }

    [Fact]
    public async Task Malformed_items_are_skipped_one_by_one()
    {
        await InsertAsync(Assigned("t1", "d1"));

        await Handler().HandleAsync(
            new DriverLocationsUpdatedIntegrationEvent([
                null!,
                Position("d1", null!, NorthOfPickup(900), Now.AddSeconds(40)),
                Position("d1", "", NorthOfPickup(900), Now.AddSeconds(40)),
                Position(null!, "t1", NorthOfPickup(900), Now.AddSeconds(40)),
                Position("d1", "t1", null!, Now.AddSeconds(40)),
                Position("d1", "t1", NorthOfPickup(800), Now.AddSeconds(40)),
            ]), Context(), Ct);
        await Handler().HandleAsync(
            new DriverLocationsUpdatedIntegrationEvent(null!), Context(), Ct);

        Assert.Equal(NorthOfPickup(800), await DriverLocationAsync("t1"));
    }

    private static Trip Assigned(string tripId, string driverId)
    {
        var quote = new Quote
        {
            Id = "q-" + tripId, RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        return Trip.Request(tripId, "r1", quote, quote.Options[0], "4321", Now).AssignDriver(driverId, null, Now.AddSeconds(10));
    }

    private static GeoPoint NorthOfPickup(double meters) => new(Math.Round(Pickup.Lat + meters / 111_195, 7), Pickup.Lng);

    private static DriverLocationUpdatedIntegrationEvent Position(string driverId, string tripId, GeoPoint location, DateTimeOffset at) =>
        new(driverId, location, null, at, tripId, "r1");

    private static MessageContext Context() => new("m1", Topics.DriverLocationsUpdated, "d1", nameof(DriverLocationsUpdatedIntegrationEvent), Now, 1);

    private Task HandleAsync(params DriverLocationUpdatedIntegrationEvent[] locations) =>
        Handler()
            .HandleAsync(new DriverLocationsUpdatedIntegrationEvent(locations), Context(), Ct);

    private DriverLocationsUpdatedHandler Handler() =>
        new(_repository, Microsoft.Extensions.Options.Options.Create(Safety), _clock, NullLogger<DriverLocationsUpdatedHandler>.Instance);

    private Task InsertAsync(Trip trip) => _database.Collection<Trip>("trips").InsertAsync(trip.Id, trip, ct: Ct);

    private async Task<Trip> GetAsync(string tripId) => (await _database.Collection<Trip>("trips").GetAsync(tripId, Ct))!.Document;

    private async Task<GeoPoint?> DriverLocationAsync(string tripId) => (await GetAsync(tripId)).Driver?.Location;

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// The database, counting the trips collection's reads and writes and running <see cref="BeforeFirstReplaceEach"/> once
    /// before the first batch write.
    /// </summary>
    private sealed class CountingDatabase(IDocumentDatabase inner) : IDocumentDatabase
    {
        public int Get, GetMany, Replace, ReplaceEach;

        public Func<Task>? BeforeFirstReplaceEach { get; set; }

        public void Reset() => Get = GetMany = Replace = ReplaceEach = 0;

        public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
        {
            var store = inner.Collection<T>(name, indexedFields);
            return name == "trips" ? CountingStore<T>.Create(store, this) : store;
        }

        public IOutbox Outbox => inner.Outbox;

        public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
    }

    /// <summary>A DispatchProxy, so a method the store interface gains later is forwarded without editing this.</summary>
    public class CountingStore<T> : DispatchProxy where T : class
    {
        private object _inner = null!;
        private object _counts = null!;

        internal static IDocumentStore<T> Create(IDocumentStore<T> inner, object counts)
        {
            var proxy = Create<IDocumentStore<T>, CountingStore<T>>();
            var counting = (CountingStore<T>)(object)proxy;
            (counting._inner, counting._counts) = (inner, counts);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var counts = (CountingDatabase)_counts;
            switch (method!.Name)
            {
                case nameof(IDocumentStore<T>.GetAsync): counts.Get++; break;
                case nameof(IDocumentStore<T>.GetManyAsync): counts.GetMany++; break;
                case nameof(IDocumentStore<T>.ReplaceAsync): counts.Replace++; break;
                case nameof(IDocumentStore<T>.ReplaceEachAsync):
                    counts.ReplaceEach++;
                    if (counts.BeforeFirstReplaceEach is { } before)
                    {
                        counts.BeforeFirstReplaceEach = null;
                        return Then(before(), () => Forward(method, args));
                    }
                    break;
            }
            return Forward(method, args);
        }

        private static async Task<IReadOnlyList<long?>> Then(Task first, Func<object?> next)
        {
            await first;
            return await (Task<IReadOnlyList<long?>>)next()!;
        }

        private object? Forward(MethodInfo method, object?[]? args)
        {
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
