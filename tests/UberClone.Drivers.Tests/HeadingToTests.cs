using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>A driver heading somewhere (home) is offered only trips that take them towards it.</summary>
public sealed class HeadingToTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;

    public HeadingToTests()
        : base("heading", Now)
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    [Fact]
    public void A_trip_is_towards_the_destination_when_it_ends_near_it_or_a_third_of_the_way_nearer()
    {
        var home = new HeadingTo(North(12_000), Now); // 12 km north of the driver, who is at the pickup
        Assert.True(home.IsTowards(Pickup, North(4_100)));   // 7.9 km left: over a third nearer
        Assert.False(home.IsTowards(Pickup, North(3_000)));  // 9 km left: not enough
        Assert.False(home.IsTowards(Pickup, North(-3_000))); // the other way
        Assert.True(home.IsTowards(Pickup, North(12_900)));  // past it, but within 1 km
        Assert.True(home.IsReachedAt(North(11_200)));
        Assert.False(home.IsReachedAt(North(10_900)));
    }

    [Fact]
    public void Only_an_online_driver_heads_somewhere_and_going_offline_or_a_trip_ending_there_stops_it()
    {
        var offline = Driver.New("d1", "economy", Now);
        Assert.Throws<DriverTransitionException>(() => offline.HeadTo(North(5_000), 2, Now));

        var heading = offline.GoOnline("economy", Pickup, Now).HeadTo(North(5_000), 2, Now);
        Assert.Equal(North(5_000), heading.HeadingTo!.Destination);
        Assert.Same(heading, heading.HeadTo(North(5_000), 2, Now.AddMinutes(1)));
        Assert.True(heading.Takes(Pickup, North(4_000)));
        Assert.False(heading.Takes(Pickup, North(-4_000)));
        Assert.Null(heading.GoOffline(Now).HeadingTo);
        Assert.Null(heading.StopHeadingTo(Now).HeadingTo);

        Driver Ride(Driver d, string tripId, GeoPoint dropoff) =>
            d.OfferTrip(new Offer("o-" + tripId, tripId, "r1", Now.AddSeconds(15), Pickup, dropoff), Now).Accept(tripId, Now) with { TripDropoff = dropoff };
        var partWay = Ride(heading, "t1", North(3_000)).ReleaseFromTrip("t1", Now.AddMinutes(20));
        Assert.NotNull(partWay.HeadingTo); // 2 km left: still heading there
        var there = Ride(partWay, "t2", North(4_500)).ReleaseFromTrip("t2", Now.AddMinutes(40));
        Assert.Null(there.HeadingTo);
        Assert.Equal(DriverStates.Available, there.State);
    }

    [Fact]
    public void A_driver_sets_a_destination_twice_a_day_at_most_and_the_same_one_again_does_not_count()
    {
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now);
        var second = online.HeadTo(North(5_000), 2, Now).HeadTo(North(5_000), 2, Now.AddMinutes(1)).StopHeadingTo(Now.AddMinutes(2))
            .HeadTo(North(-5_000), 2, Now.AddHours(1));
        Assert.Equal(2, second.DestinationsSet);
        var third = Assert.Throws<DriverTransitionException>(() => second.HeadTo(North(9_000), 2, Now.AddHours(2)));
        Assert.Contains("2 times a day", third.Message);
        // A new (UTC) day: again.
        Assert.Equal(1, second.HeadTo(North(9_000), 2, Now.AddDays(1)).DestinationsSet);
    }

    [Fact]
    public async Task Dispatch_passes_over_a_nearer_driver_heading_elsewhere_and_offers_them_a_trip_their_way()
    {
        await _process.Drivers.GoOnlineAsync("home-north", "economy", North(100), Ct);
        await _process.Drivers.HeadToAsync("home-north", North(20_000), Ct);
        await _process.Drivers.GoOnlineAsync("anywhere", "economy", North(1_500), Ct);

        // Southbound: not their way.
        await _process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("south", "r1", "economy", Pickup, North(-8_000), 1_000, "EUR", 8_000, 900, Clock.GetUtcNow()), Ct);
        Assert.Equal(("available", "offered"), (_process.Registry.Get("home-north")!.State, _process.Registry.Get("anywhere")!.State));

        // Northbound, 15 km: theirs.
        await _process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("north", "r2", "economy", Pickup, North(15_000), 2_000, "EUR", 15_000, 1_500, Clock.GetUtcNow()), Ct);
        Assert.Equal("offered", _process.Registry.Get("home-north")!.State);
    }
}
