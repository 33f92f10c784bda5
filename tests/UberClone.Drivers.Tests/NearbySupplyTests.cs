using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Grpc;

namespace UberClone.Drivers.Tests;

/// <summary>
/// What a rider is shown near a pickup before booking (<c>FindNearby</c>): per class, only the drivers dispatch would
/// offer a trip to now, the nearest one's ETA by dispatch's model, and the nearest available cars without ids.
/// </summary>
public sealed class NearbySupplyTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly DispatchOptions _options = new();
    private readonly DriversProcess _process;
    private readonly DriverGrpcService _grpc;

    public NearbySupplyTests()
        : base("nearby", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(_options), Meters);
        _grpc = new DriverGrpcService(_process.Drivers, Clock, Options.Create(_options), NullLogger<DriverGrpcService>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    [Fact]
    public async Task Each_class_counts_only_offerable_drivers_and_gives_the_nearest_ones_eta()
    {
        // Seen 31 s ago: too old to be offered anything, so not "nearby" either (dispatch would not find them).
        await _process.Drivers.GoOnlineAsync("stale", "economy", North(100), Ct);
        Clock.Advance(TimeSpan.FromSeconds(31));
        await _process.Drivers.GoOnlineAsync("offered", "economy", North(200), Ct);
        await _process.Drivers.GoOnlineAsync("near", "economy", North(1_000), Ct);
        await _process.Drivers.GoOnlineAsync("further", "economy", North(2_500), Ct);
        await _process.Drivers.GoOnlineAsync("comfort", "comfort", North(2_000), Ct);
        await _process.Drivers.GoOnlineAsync("beyond", "premium", North(10_500), Ct); // past dispatch's largest radius (10 km)
        await _process.Drivers.GoOnlineAsync("gone", "xl", North(300), Ct);
        await _process.Drivers.GoOfflineAsync("gone", Ct);
        // A trip's offer reserves the nearest offerable economy driver.
        await _process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t1", "r1", "economy", Pickup, North(-3_000), 1_000, "EUR", 3_000, 400, Clock.GetUtcNow()), Ct);
        Assert.Equal("offered", _process.Registry.Get("offered")!.State);

        var supply = _process.Drivers.FindNearby(Pickup);

        Assert.Equal(VehicleClasses.All, supply.Classes.Select(c => c.VehicleClass));
        var economy = supply.Classes[0];
        Assert.Equal(2, economy.DriversNearby);
        Assert.Equal(1_000, economy.PickupDistanceMeters);
        Assert.Equal(_options.EtaSeconds(Pickup, North(1_000)), economy.PickupEtaSeconds);
        Assert.Equal(156, economy.PickupEtaSeconds); // 1 km × 1.3 road factor at 8.33 m/s
        var comfort = supply.Classes[1];
        Assert.Equal((1, 2_000), (comfort.DriversNearby, comfort.PickupDistanceMeters!.Value));
        Assert.All(supply.Classes.Skip(2), c => Assert.True(c is { DriversNearby: 0, PickupEtaSeconds: null, PickupDistanceMeters: null }, c.ToString()));
        Assert.Equal(10_000, supply.RadiusMeters);
        // Cars for the map: nearest first, positions rounded to 4 decimals.
        Assert.Equal(["economy", "comfort", "economy"], supply.Cars.Select(c => c.VehicleClass));
        Assert.Equal(Math.Round(North(1_000).Lat, 4), supply.Cars[0].Location.Lat);
        Assert.Equal(Pickup.Lng, supply.Cars[0].Location.Lng);
    }

    [Fact]
    public async Task Counts_stop_at_ten_per_class_and_cars_at_twenty()
    {
        for (var i = 0; i < 12; i++) await _process.Drivers.GoOnlineAsync($"e{i}", "economy", North(100 + 50 * i), Ct);
        for (var i = 0; i < 12; i++) await _process.Drivers.GoOnlineAsync($"c{i}", "comfort", North(125 + 50 * i), Ct);

        var supply = _process.Drivers.FindNearby(Pickup);

        Assert.Equal([10, 10, 0, 0], supply.Classes.Select(c => c.DriversNearby));
        Assert.Equal(NearbySupply.MaxCars, supply.Cars.Count);
        Assert.Equal(100, supply.Classes[0].PickupDistanceMeters);
    }

    [Fact]
    public async Task Over_grpc_only_riders_may_ask_and_the_pickup_is_checked()
    {
        await _process.Drivers.GoOnlineAsync("near", "economy", North(500), Ct);
        var rider = new Caller("r1", Roles.Rider).ToMetadata();

        var reply = await _grpc.FindNearby(new NearbyRequest { Lat = Pickup.Lat, Lng = Pickup.Lng }, new TestCallContext(rider, Ct));
        Assert.Equal(4, reply.Classes.Count);
        Assert.True(reply.Classes[0].HasPickupEtaSeconds);
        Assert.Equal(78, reply.Classes[0].PickupEtaSeconds);
        Assert.False(reply.Classes[1].HasPickupEtaSeconds);
        Assert.Equal(10_000, reply.RadiusMeters);
        Assert.Single(reply.Cars);

        var asDriver = await Assert.ThrowsAsync<RpcException>(() => _grpc.FindNearby(new NearbyRequest { Lat = Pickup.Lat, Lng = Pickup.Lng },
            new TestCallContext(new Caller("d1", Roles.Driver).ToMetadata(), Ct)));
        Assert.Equal(StatusCode.PermissionDenied, asDriver.StatusCode);
        var noLng = await Assert.ThrowsAsync<RpcException>(() => _grpc.FindNearby(new NearbyRequest { Lat = Pickup.Lat }, new TestCallContext(rider, Ct)));
        Assert.Equal((StatusCode.InvalidArgument, "lat and lng (the pickup) are required."), (noLng.StatusCode, noLng.Status.Detail));
        var outOfRange = await Assert.ThrowsAsync<RpcException>(() => _grpc.FindNearby(new NearbyRequest { Lat = 91, Lng = 0 }, new TestCallContext(rider, Ct)));
        Assert.Equal(StatusCode.InvalidArgument, outOfRange.StatusCode);
    }

    [Fact]
    public async Task For_a_rider_bringing_a_pet_only_drivers_who_welcome_pets_are_counted_shown_and_timed()
    {
        await _process.Drivers.GoOnlineAsync("near-no-pets", "economy", North(500), Ct);
        await _process.Drivers.GoOnlineAsync("far-pets", "economy", North(1_500), Ct);
        await _process.Drivers.WelcomePetsAsync("far-pets", true, Ct);
        await _process.Drivers.GoOnlineAsync("comfort-no-pets", "comfort", North(800), Ct);

        var anyone = _process.Drivers.FindNearby(Pickup);
        Assert.Equal([2, 1, 0, 0], anyone.Classes.Select(c => c.DriversNearby));
        Assert.Equal(500, anyone.Classes[0].PickupDistanceMeters);

        var withPet = _process.Drivers.FindNearby(Pickup, Needs.Pet);
        Assert.Equal([1, 0, 0, 0], withPet.Classes.Select(c => c.DriversNearby));
        Assert.Equal((1_500, _options.EtaSeconds(Pickup, North(1_500))), (withPet.Classes[0].PickupDistanceMeters!.Value, withPet.Classes[0].PickupEtaSeconds!.Value));
        Assert.Null(withPet.Classes[1].PickupEtaSeconds);
        Assert.Equal(Math.Round(North(1_500).Lat, 4), Assert.Single(withPet.Cars).Location.Lat);

        // Over gRPC (GET /api/drivers/nearby?lat&lng&withPet=true), the same.
        var reply = await _grpc.FindNearby(new NearbyRequest { Lat = Pickup.Lat, Lng = Pickup.Lng, WithPet = true },
            new TestCallContext(new Caller("r1", Roles.Rider).ToMetadata(), Ct));
        Assert.Equal((1, 1_500), (reply.Classes[0].DriversNearby, reply.Classes[0].PickupDistanceMeters));
        Assert.False(reply.Classes[1].HasPickupEtaSeconds);
        Assert.Single(reply.Cars);
    }

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }
}
