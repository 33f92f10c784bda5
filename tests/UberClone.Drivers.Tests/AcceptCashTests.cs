using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// "Accept cash rides" (ADR 0042): on by default, the driver's own setting kept across going offline and online; a ride
/// paid in cash is offered only to drivers who accept cash, however near the others are, and any other ride to anyone.
/// </summary>
public sealed class AcceptCashTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(48.137, 11.575);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;

    public AcceptCashTests()
        : base("cash", Now)
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

    private TripCreatedIntegrationEvent Trip(string id, bool payInCash) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), PayInCash: payInCash);

    [Fact]
    public void Cash_is_accepted_by_default_the_setting_is_kept_across_going_offline_and_online_and_the_same_again_changes_nothing()
    {
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now);
        Assert.True(online.AcceptsCash);
        Assert.True(online.Takes(Needs.Cash));

        var declining = online.AcceptCash(false, Now.AddMinutes(1));
        Assert.False(declining.AcceptsCash);
        Assert.Equal(online.Revision + 1, declining.Revision); // announced to the other replicas as a state change
        Assert.Same(declining, declining.AcceptCash(false, Now.AddMinutes(2)));
        Assert.False(declining.Takes(Needs.Cash));
        Assert.True(declining.Takes(RideNeeds.None));

        var backOnline = declining.GoOffline(Now.AddHours(1)).GoOnline("economy", Pickup, Now.AddHours(2));
        Assert.False(backOnline.AcceptsCash);
        Assert.True(backOnline.AcceptCash(true, Now.AddHours(3)).Takes(Needs.Cash));
    }

    [Fact]
    public async Task A_driver_who_never_went_online_has_no_setting_to_change_and_one_who_did_keeps_it()
    {
        await Assert.ThrowsAsync<DriverNotFoundException>(() => _process.Drivers.AcceptCashAsync("nobody", false, Ct));

        await _process.Drivers.GoOnlineAsync("d1", "economy", Pickup, Ct);
        Assert.False((await _process.Drivers.AcceptCashAsync("d1", false, Ct)).AcceptsCash);
        await _process.Drivers.GoOfflineAsync("d1", Ct);
        await _process.Drivers.GoOnlineAsync("d1", "economy", Pickup, Ct);

        Assert.False((await _process.Drivers.GetAsync("d1", Ct)).AcceptsCash);
        Assert.False(_process.Registry.Get("d1")!.AcceptsCash);
    }

    [Fact]
    public async Task A_ride_paid_in_cash_passes_over_a_nearer_driver_who_takes_no_cash_and_is_offered_to_one_who_does()
    {
        await _process.Drivers.GoOnlineAsync("near-no-cash", "economy", North(100), Ct);
        await _process.Drivers.AcceptCashAsync("near-no-cash", false, Ct);
        await _process.Drivers.GoOnlineAsync("far-cash", "economy", North(2_000), Ct);

        await _process.Dispatcher.StartAsync(Trip("in-cash", payInCash: true), Ct);

        Assert.Equal(DriverStates.Available, _process.Registry.Get("near-no-cash")!.State);
        var offer = _process.Registry.Get("far-cash")!.Offer;
        Assert.Equal(("in-cash", true), (offer?.TripId, offer?.PayInCash));
        var request = Assert.Single(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverTripRequest);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<DriverTripRequestCommand>>(request.Value, MessageEnvelope.SerializerOptions)!.Data.PayInCash);

        // A ride paid in the app goes to the nearest driver, as before.
        await _process.Dispatcher.StartAsync(Trip("by-card", payInCash: false), Ct);
        Assert.Equal(("by-card", false), (_process.Registry.Get("near-no-cash")!.Offer?.TripId, _process.Registry.Get("near-no-cash")!.Offer?.PayInCash));
    }
}
