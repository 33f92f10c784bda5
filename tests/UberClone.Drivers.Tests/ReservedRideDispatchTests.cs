using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A ride booked for later that a driver reserved (ADR 0047): when its search starts it is offered to that driver first,
/// and only them, however near others are, marked as their reserved ride; once they decline it, or when they cannot take
/// it (offline, on another trip), the search goes on as any.
/// </summary>
public sealed class ReservedRideDispatchTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(47.8095, 13.0550);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;

    public ReservedRideDispatchTests()
        : base("reserved", Now)
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
    }

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    private TripCreatedIntegrationEvent Reserved(string id, string? reservedBy) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), ScheduledFor: Clock.GetUtcNow().AddMinutes(15),
            ReservedDriverId: reservedBy);

    [Fact]
    public async Task The_reserved_driver_is_offered_it_first_however_near_others_are_and_after_a_decline_the_nearest()
    {
        await _process.Drivers.GoOnlineAsync("near", "economy", North(200), Ct);
        await _process.Drivers.GoOnlineAsync("reserver", "economy", North(2_500), Ct);

        await _process.Dispatcher.StartAsync(Reserved("t1", "reserver"), Ct);

        var offer = _process.Registry.Get("reserver")!.Offer;
        Assert.Equal(("t1", true), (offer?.TripId, offer?.Reserved));
        Assert.Null(_process.Registry.Get("near")!.Offer);

        await _process.Drivers.DeclineAsync("reserver", "t1", "declined", Ct);
        await _process.Dispatcher.OfferNextAsync("t1", Ct);

        var next = _process.Registry.Get("near")!.Offer;
        Assert.Equal(("t1", false), (next?.TripId, next?.Reserved));
    }

    [Fact]
    public async Task A_reserved_driver_who_is_offline_or_on_another_trip_is_passed_over_and_the_ride_searches_as_any()
    {
        await _process.Drivers.GoOnlineAsync("near", "economy", North(200), Ct);
        await _process.Drivers.GoOnlineAsync("busy", "economy", North(1_000), Ct);
        await _process.Dispatcher.StartAsync(Reserved("other", reservedBy: null), Ct); // "near" is offered it, nearer
        await _process.Drivers.DeclineAsync("near", "other", "declined", Ct);
        await _process.Dispatcher.OfferNextAsync("other", Ct);
        Assert.Equal("other", _process.Registry.Get("busy")!.Offer?.TripId);

        await _process.Dispatcher.StartAsync(Reserved("t-busy", "busy"), Ct);
        Assert.Equal(("t-busy", false), (_process.Registry.Get("near")!.Offer?.TripId, _process.Registry.Get("near")!.Offer?.Reserved));

        await _process.Drivers.GoOnlineAsync("far", "economy", North(3_000), Ct);
        await _process.Dispatcher.StartAsync(Reserved("t-offline", "gone-offline"), Ct);
        Assert.Equal("t-offline", _process.Registry.Get("far")!.Offer?.TripId);
    }

    [Fact]
    public async Task A_reserved_driver_heading_elsewhere_is_still_offered_the_ride_they_chose_and_others_heading_away_are_not()
    {
        // The ride goes north; both drivers head south, so neither is offered an ordinary ride there.
        await _process.Drivers.GoOnlineAsync("reserver", "economy", North(2_500), Ct);
        await _process.Drivers.HeadToAsync("reserver", North(-20_000), Ct);
        await _process.Drivers.GoOnlineAsync("homebound", "economy", North(200), Ct);
        await _process.Drivers.HeadToAsync("homebound", North(-20_000), Ct);

        await _process.Dispatcher.StartAsync(Reserved("t1", "reserver"), Ct);
        Assert.Equal(("t1", true), (_process.Registry.Get("reserver")!.Offer?.TripId, _process.Registry.Get("reserver")!.Offer?.Reserved));

        await _process.Drivers.DeclineAsync("reserver", "t1", "declined", Ct);
        await _process.Dispatcher.OfferNextAsync("t1", Ct);
        Assert.Null(_process.Registry.Get("homebound")!.Offer);
    }
}
