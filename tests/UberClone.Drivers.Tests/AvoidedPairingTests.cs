using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;

namespace UberClone.Drivers.Tests;

/// <summary>A driver the rider must not meet again (a one-star rating either way) is never offered the rider's trip.</summary>
public sealed class AvoidedPairingTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly DriversProcess _process;

    public AvoidedPairingTests()
        : base("avoided", new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero))
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    private TripCreatedIntegrationEvent Trip(string id, IReadOnlyList<string>? avoid) =>
        new(id, "r1", "economy", Pickup, North(-3_000), 1_000, "EUR", 3_000, 400, Clock.GetUtcNow(), AvoidDriverIds: avoid);

    [Fact]
    public async Task The_nearest_driver_is_passed_over_when_the_rider_must_not_meet_them_and_the_next_one_is_offered_the_trip()
    {
        await _process.Drivers.GoOnlineAsync("avoided", "economy", North(100), Ct);
        await _process.Drivers.GoOnlineAsync("next", "economy", North(1_500), Ct);

        await _process.Dispatcher.StartAsync(Trip("t1", ["avoided"]), Ct);

        Assert.Equal(("available", "offered"), (_process.Registry.Get("avoided")!.State, _process.Registry.Get("next")!.State));
        // Another rider's trip goes to the nearest as usual.
        await _process.Dispatcher.StartAsync(Trip("t2", null) with { RiderId = "r2" }, Ct);
        Assert.Equal("offered", _process.Registry.Get("avoided")!.State);
    }

    [Fact]
    public async Task When_only_that_driver_is_near_the_trip_waits_rather_than_offering_it_to_them()
    {
        await _process.Drivers.GoOnlineAsync("avoided", "economy", North(100), Ct);
        await _process.Dispatcher.StartAsync(Trip("t1", ["avoided"]), Ct);
        Assert.Equal("available", _process.Registry.Get("avoided")!.State);

        // Going offline and online again (which wakes waiting searches) does not get them the offer either.
        await _process.Drivers.GoOfflineAsync("avoided", Ct);
        await _process.Drivers.GoOnlineAsync("avoided", "economy", North(50), Ct);
        await _process.Dispatcher.OfferNextAsync("t1", Ct);
        Assert.Equal("available", _process.Registry.Get("avoided")!.State);
    }
}
