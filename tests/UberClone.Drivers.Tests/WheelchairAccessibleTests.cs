using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.Grpc;
using UberClone.Drivers.IntegrationEvents.EventHandling;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Wheelchair-accessible vehicles (ADR 0045): support's approval says so and the drivers service keeps it on the
/// driver's record (even before they first go online); a ride that needs one is offered only to such drivers, however
/// near the others are; nearby cars for such a rider are only those; any other ride goes to anyone.
/// </summary>
public sealed class WheelchairAccessibleTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(51.2194, 4.4025); // Antwerp
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;
    private readonly DriverApprovalChangedIntegrationEventHandler _approvals;

    public WheelchairAccessibleTests()
        : base("wheelchair", Now)
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
        _approvals = new DriverApprovalChangedIntegrationEventHandler(_process.Drivers, Clock, NullLogger<DriverApprovalChangedIntegrationEventHandler>.Instance);
    }

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    private TripCreatedIntegrationEvent Trip(string id, bool wheelchair) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), WheelchairAccessible: wheelchair);

    private Task ApprovedAsync(string driverId, bool wheelchairAccessible, string outcome = "approved", params string[] classes) =>
        _approvals.HandleAsync(new DriverApprovalChangedIntegrationEvent(driverId, "approved", classes.Length > 0 ? classes : ["economy"], Now.AddYears(1), null,
                Clock.GetUtcNow(), outcome, wheelchairAccessible),
            new MessageContext("m-" + driverId, Topics.AccountDriverApproval, driverId, nameof(DriverApprovalChangedIntegrationEvent), Clock.GetUtcNow(), 1), Ct);

    [Fact]
    public void It_is_supports_word_kept_as_a_state_change_and_only_such_drivers_take_such_rides()
    {
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now);
        Assert.False(online.WheelchairAccessible);
        Assert.True(online.Takes(RideNeeds.None));
        Assert.False(online.Takes(Needs.Wheelchair));

        var accessible = online.ApproveWheelchairAccessible(true, Now.AddMinutes(1));
        Assert.Equal(online.Revision + 1, accessible.Revision); // announced to the other replicas
        Assert.Same(accessible, accessible.ApproveWheelchairAccessible(true, Now.AddMinutes(2)));
        Assert.True(accessible.GoOffline(Now.AddHours(1)).GoOnline("economy", Pickup, Now.AddHours(2)).Takes(Needs.Wheelchair));
    }

    [Fact]
    public async Task An_approval_before_the_first_time_online_is_kept_for_it_and_a_restriction_takes_it_away()
    {
        await ApprovedAsync("new-driver", wheelchairAccessible: true, classes: "xl");
        var stored = await _process.Drivers.GetAsync("new-driver", Ct);
        Assert.Equal((DriverStates.Offline, true), (stored.State, stored.WheelchairAccessible));

        var online = await _process.Drivers.GoOnlineAsync("new-driver", "xl", Pickup, Ct);
        Assert.Equal(("xl", true), (online.VehicleClass, online.WheelchairAccessible));
        Assert.True(_process.Registry.Get("new-driver")!.WheelchairAccessible);

        await ApprovedAsync("new-driver", wheelchairAccessible: false, "restricted", "xl");
        Assert.False((await _process.Drivers.GetAsync("new-driver", Ct)).WheelchairAccessible);
        Assert.False(_process.Registry.Get("new-driver")!.WheelchairAccessible);
        Assert.Equal(DriverStates.Available, _process.Registry.Get("new-driver")!.State); // still approved for xl: keeps driving

        // A plain approval of a driver who never went online leaves nothing behind.
        await ApprovedAsync("plain-driver", wheelchairAccessible: false);
        await Assert.ThrowsAsync<DriverNotFoundException>(() => _process.Drivers.GetAsync("plain-driver", Ct));
    }

    [Fact]
    public async Task A_ride_that_needs_a_wheelchair_accessible_vehicle_passes_over_a_nearer_driver_without_one()
    {
        await _process.Drivers.GoOnlineAsync("near-plain", "economy", North(100), Ct);
        await ApprovedAsync("far-ramp", wheelchairAccessible: true);
        await _process.Drivers.GoOnlineAsync("far-ramp", "economy", North(2_000), Ct);

        await _process.Dispatcher.StartAsync(Trip("wav", wheelchair: true), Ct);

        Assert.Equal(DriverStates.Available, _process.Registry.Get("near-plain")!.State);
        var offer = _process.Registry.Get("far-ramp")!.Offer;
        Assert.Equal(("wav", true), (offer?.TripId, offer?.WheelchairAccessible));
        var request = Assert.Single(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverTripRequest);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<DriverTripRequestCommand>>(request.Value, MessageEnvelope.SerializerOptions)!.Data
            .WheelchairAccessible);

        // Any other ride goes to the nearest driver, as before.
        await _process.Dispatcher.StartAsync(Trip("plain", wheelchair: false), Ct);
        Assert.Equal("plain", _process.Registry.Get("near-plain")!.Offer?.TripId);
    }

    [Fact]
    public async Task Nearby_cars_for_a_rider_who_needs_one_are_only_wheelchair_accessible_ones()
    {
        await _process.Drivers.GoOnlineAsync("near-plain", "economy", North(500), Ct);
        await ApprovedAsync("far-ramp", wheelchairAccessible: true);
        await _process.Drivers.GoOnlineAsync("far-ramp", "economy", North(1_500), Ct);

        Assert.Equal(2, _process.Drivers.FindNearby(Pickup).Classes[0].DriversNearby);
        var grpc = new DriverGrpcService(_process.Drivers, Clock, Options.Create(new DispatchOptions()), NullLogger<DriverGrpcService>.Instance);
        var reply = await grpc.FindNearby(new NearbyRequest { Lat = Pickup.Lat, Lng = Pickup.Lng, Wheelchair = true },
            new TestCallContext(new Caller("r1", Roles.Rider).ToMetadata(), Ct));

        Assert.Equal((1, 1_500), (reply.Classes[0].DriversNearby, reply.Classes[0].PickupDistanceMeters));
        Assert.Equal(Math.Round(North(1_500).Lat, 4), Assert.Single(reply.Cars).Location.Lat, 4);
    }
}
