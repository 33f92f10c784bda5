using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.Grpc;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Ride preferences (ADR 0049): wishes shown with the offer (and again after a reload), never a reason to pass a driver
/// over; a change while the trip searches goes with its offers from then on, and the driver looking at the offer now is
/// sent the same offer again with it.
/// </summary>
public sealed class RidePreferencesTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(47.0707, 15.4395); // Graz
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TripPreferences Quiet = new("quiet", true, "cooler");
    private readonly DriversProcess _process;

    public RidePreferencesTests()
        : base("ride-preferences", Now) => _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    private TripCreatedIntegrationEvent Trip(string id, TripPreferences? preferences) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), Preferences: preferences);

    private async Task<List<DriverTripRequestCommand>> RequestsAsync() =>
        [.. (await _process.Database.Outbox.GetPendingAsync(100, Ct)).Where(m => m.Topic == Topics.DriverTripRequest)
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<DriverTripRequestCommand>>(m.Value, MessageEnvelope.SerializerOptions)!.Data)];

    [Fact]
    public async Task A_quiet_ride_goes_to_the_nearest_driver_as_any_other_and_the_offer_shows_the_preferences_after_a_reload()
    {
        await _process.Drivers.GoOnlineAsync("near", "economy", North(100), Ct);
        await _process.Drivers.GoOnlineAsync("far", "economy", North(2_000), Ct);

        await _process.Dispatcher.StartAsync(Trip("quiet", Quiet), Ct);

        Assert.Equal(("quiet", Quiet), (_process.Registry.Get("near")!.Offer?.TripId, _process.Registry.Get("near")!.Offer?.Preferences));
        Assert.Equal(DriverStates.Available, _process.Registry.Get("far")!.State);
        Assert.Equal(Quiet, Assert.Single(await RequestsAsync()).Preferences);

        var grpc = new DriverGrpcService(_process.Drivers, Clock, Options.Create(new DispatchOptions()), NullLogger<DriverGrpcService>.Instance);
        var state = await grpc.GetMe(new GetMeRequest(), new TestCallContext(new Caller("near", Roles.Driver).ToMetadata(), Ct));
        Assert.Equal(("quiet", true, "cooler"), (state.Offer.Conversation, state.Offer.HelpWithBags, state.Offer.Temperature));
    }

    [Fact]
    public async Task A_change_while_the_offer_is_out_sends_the_same_offer_again_with_them_and_later_offers_carry_them()
    {
        await _process.Drivers.GoOnlineAsync("d1", "economy", North(100), Ct);
        await _process.Dispatcher.StartAsync(Trip("t1", preferences: null), Ct);
        var first = _process.Registry.Get("d1")!.Offer!;
        Assert.Null(first.Preferences);

        await _process.Dispatcher.PreferencesChangedAsync(new TripPreferencesChangedIntegrationEvent("t1", "r-t1", null, Quiet, Now.AddSeconds(3)), Ct);

        var offer = _process.Registry.Get("d1")!.Offer!;
        Assert.Equal((first.OfferId, first.ExpiresAt, Quiet), (offer.OfferId, offer.ExpiresAt, offer.Preferences));
        var requests = await RequestsAsync();
        Assert.Equal(2, requests.Count);
        Assert.Equal((first.OfferId, Quiet), (requests[1].OfferId, requests[1].Preferences));
        Assert.Equal(Quiet, (await _process.Repository.Dispatches.GetAsync("t1", Ct))!.Document.Preferences);

        // The same again sends nothing more.
        await _process.Dispatcher.PreferencesChangedAsync(new TripPreferencesChangedIntegrationEvent("t1", "r-t1", null, Quiet, Now.AddSeconds(4)), Ct);
        Assert.Equal(2, (await RequestsAsync()).Count);
    }

    [Fact]
    public async Task A_change_for_a_trip_without_a_search_changes_nothing_here()
    {
        await _process.Dispatcher.PreferencesChangedAsync(new TripPreferencesChangedIntegrationEvent("booked-later", "r1", null, Quiet, Now), Ct);
        Assert.Null(await _process.Repository.Dispatches.GetAsync("booked-later", Ct));
        Assert.Empty(await RequestsAsync());
    }

    [Fact]
    public void Only_the_offer_waiting_for_the_driver_takes_new_preferences()
    {
        var offer = new Offer("o-t1", "t1", "r1", Now.AddSeconds(15), Pickup, North(3_000));
        var offered = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now).OfferTrip(offer, Now);

        var changed = offered.OfferPreferencesChanged("o-t1", Quiet, Now.AddSeconds(5));
        Assert.Equal((Quiet, offered.Revision + 1), (changed.Offer!.Preferences, changed.Revision));
        Assert.Same(changed, changed.OfferPreferencesChanged("o-t1", Quiet, Now.AddSeconds(6)));
        Assert.Same(changed, changed.OfferPreferencesChanged("o-t2", null, Now.AddSeconds(6)));
        var available = Driver.New("d2", "economy", Now).GoOnline("economy", Pickup, Now);
        Assert.Same(available, available.OfferPreferencesChanged("o-t1", Quiet, Now));
    }
}
