using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.IntegrationEvents.EventHandling;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Fixes another replica accepted reach this replica's index through <c>driver.event.positions</c>; a fix of a driver
/// whose state this replica missed makes it read the driver from the store first.
/// </summary>
public sealed class DriverPositionsFeedTests() : StoreBackedTest("positions-feed", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Home = new(48.8566, 2.3522);
    private static readonly GeoPoint Away = new(48.8600, 2.3600);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fix_of_a_driver_whose_state_this_replica_missed_is_applied_after_reading_the_driver_from_the_store()
    {
        using var pinged = Process();
        using var other = Process(); // never told about the driver: its state announcement was lost
        var online = await pinged.Drivers.GoOnlineAsync("d1", "economy", Home, Ct);
        var context = new MessageContext("m1", Topics.DriverPositions, "d1", nameof(DriverFixBatch), Clock.GetUtcNow(), 1);
        var handler = new DriverPositionsHandler(other.Registry, other.Repository, NullLogger<DriverPositionsHandler>.Instance);

        await handler.HandleAsync(new DriverFixBatch([
            new DriverFix("d1", Away.Lat, Away.Lng, Clock.GetUtcNow().AddSeconds(4), online.Revision),
            new DriverFix("nobody", Away.Lat, Away.Lng, Clock.GetUtcNow().AddSeconds(4), 3), // not in the store either
        ]), context, Ct);

        Assert.Equal(DriverStates.Available, other.Registry.Get("d1")?.State);
        var position = other.Registry.Position("d1")!.Value;
        Assert.Equal((Away.Lat, Away.Lng), (Math.Round(position.Lat, 6), Math.Round(position.Lng, 6)));
        Assert.Null(other.Registry.Get("nobody"));
        Assert.Null(other.Registry.Position("nobody"));
    }

    [Fact]
    public async Task A_fix_of_a_driver_known_at_the_same_revision_needs_no_store_read()
    {
        using var pinged = Process();
        using var other = Process();
        var online = await pinged.Drivers.GoOnlineAsync("d1", "economy", Home, Ct);
        other.Registry.Apply(online);
        // The store has moved on (the driver went offline; that announcement has not reached the other replica yet).
        // Read from the store, the record would take the driver out of the other replica's index; not read, the fix
        // sent at the revision that replica holds moves the driver.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await pinged.Drivers.GoOfflineAsync("d1", Ct);
        var handler = new DriverPositionsHandler(other.Registry, other.Repository, NullLogger<DriverPositionsHandler>.Instance);

        await handler.HandleAsync(new DriverFixBatch([new DriverFix("d1", Away.Lat, Away.Lng, Clock.GetUtcNow().AddSeconds(4), online.Revision)]),
            new MessageContext("m1", Topics.DriverPositions, "d1", nameof(DriverFixBatch), Clock.GetUtcNow(), 1), Ct);

        Assert.Equal(DriverStates.Available, other.Registry.Get("d1")?.State);
        Assert.Equal(Clock.GetUtcNow().AddSeconds(4), other.Registry.Position("d1")!.Value.At);
    }

    [Fact]
    public async Task A_driver_whose_stored_record_cannot_be_read_loses_their_fix_not_the_batch()
    {
        using var pinged = Process();
        using var other = Process(); // knows neither driver: both need a store read
        var good = await pinged.Drivers.GoOnlineAsync("good", "economy", Home, Ct);
        var broken = await pinged.Drivers.GoOnlineAsync("broken", "economy", Home, Ct);
        var raw = pinged.Database.Collection<JsonObject>("drivers", "state");
        var stored = await raw.GetAsync("broken", Ct);
        await raw.ReplaceAsync("broken", new JsonObject { ["id"] = "broken", ["state"] = 42 }, stored!.Version, ct: Ct);
        var handler = new DriverPositionsHandler(other.Registry, other.Repository, NullLogger<DriverPositionsHandler>.Instance);

        await handler.HandleAsync(new DriverFixBatch([
            new DriverFix("broken", Away.Lat, Away.Lng, Clock.GetUtcNow().AddSeconds(4), broken.Revision),
            new DriverFix("good", Away.Lat, Away.Lng, Clock.GetUtcNow().AddSeconds(4), good.Revision),
        ]), new MessageContext("m1", Topics.DriverPositions, "broken", nameof(DriverFixBatch), Clock.GetUtcNow(), 1), Ct);

        Assert.Equal(Clock.GetUtcNow().AddSeconds(4), other.Registry.Position("good")!.Value.At);
        Assert.Null(other.Registry.Get("broken"));
        Assert.Null(other.Registry.Position("broken"));
    }

    private DriversProcess Process() =>
        DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
}
