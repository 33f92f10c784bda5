using Grpc.Core;
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
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// "Pets welcome" (ADR 0041): a driver's own setting, kept across going offline and online; a ride with a pet is
/// offered only to drivers who welcome pets, however near the others are, and a ride without one to anyone.
/// </summary>
public sealed class PetsWelcomeTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(45.764, 4.8357);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;

    public PetsWelcomeTests()
        : base("pets", Now)
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

    private TripCreatedIntegrationEvent Trip(string id, bool withPet) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), WithPet: withPet);

    [Fact]
    public void The_setting_is_the_drivers_own_kept_across_going_offline_and_online_and_the_same_again_changes_nothing()
    {
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now);
        Assert.False(online.PetsWelcome);
        Assert.True(online.Takes(RideNeeds.None));
        Assert.False(online.Takes(Needs.Pet));

        var welcoming = online.WelcomePets(true, Now.AddMinutes(1));
        Assert.True(welcoming.PetsWelcome);
        Assert.Equal(online.Revision + 1, welcoming.Revision); // announced to the other replicas as a state change
        Assert.Same(welcoming, welcoming.WelcomePets(true, Now.AddMinutes(2)));
        Assert.True(welcoming.Takes(Needs.Pet));

        var backOnline = welcoming.GoOffline(Now.AddHours(1)).GoOnline("economy", Pickup, Now.AddHours(2));
        Assert.True(backOnline.PetsWelcome);
        Assert.False(backOnline.WelcomePets(false, Now.AddHours(3)).Takes(Needs.Pet));
    }

    [Fact]
    public async Task A_driver_who_never_went_online_has_no_setting_to_change_and_one_who_did_keeps_it_offline()
    {
        await Assert.ThrowsAsync<DriverNotFoundException>(() => _process.Drivers.WelcomePetsAsync("nobody", true, Ct));

        await _process.Drivers.GoOnlineAsync("d1", "economy", Pickup, Ct);
        await _process.Drivers.GoOfflineAsync("d1", Ct);
        Assert.True((await _process.Drivers.WelcomePetsAsync("d1", true, Ct)).PetsWelcome);
        await _process.Drivers.GoOnlineAsync("d1", "economy", Pickup, Ct);

        Assert.True((await _process.Drivers.GetAsync("d1", Ct)).PetsWelcome);
        Assert.True(_process.Registry.Get("d1")!.PetsWelcome);
    }

    [Fact]
    public async Task Over_grpc_a_request_without_welcome_is_refused_naming_it_and_changes_nothing()
    {
        var grpc = new DriverGrpcService(_process.Drivers, Clock, Options.Create(new DispatchOptions()), NullLogger<DriverGrpcService>.Instance);
        var driver = new TestCallContext(new Caller("d1", Roles.Driver).ToMetadata(), Ct);
        await _process.Drivers.GoOnlineAsync("d1", "economy", Pickup, Ct);
        Assert.True((await grpc.SetPetsWelcome(new SetPetsWelcomeRequest { Welcome = true }, driver)).PetsWelcome);

        var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.SetPetsWelcome(new SetPetsWelcomeRequest(), driver));

        Assert.Equal((StatusCode.InvalidArgument, "welcome (true or false) is required."), (refused.StatusCode, refused.Status.Detail));
        Assert.True((await _process.Drivers.GetAsync("d1", Ct)).PetsWelcome);
        Assert.False((await grpc.SetPetsWelcome(new SetPetsWelcomeRequest { Welcome = false }, driver)).PetsWelcome);
    }

    [Fact]
    public async Task A_driver_who_unticks_pets_welcome_keeps_the_offer_on_their_screen_and_gets_no_new_ride_with_a_pet()
    {
        await _process.Drivers.GoOnlineAsync("d1", "economy", North(500), Ct);
        await _process.Drivers.WelcomePetsAsync("d1", true, Ct);
        await _process.Dispatcher.StartAsync(Trip("seen", withPet: true), Ct);
        Assert.Equal("seen", _process.Registry.Get("d1")!.Offer?.TripId);

        // They saw the ride and the pet on it: the answer is still theirs to give, and accepting it works.
        var unticked = await _process.Drivers.WelcomePetsAsync("d1", false, Ct);
        Assert.Equal((DriverStates.Offered, "seen", true, false), (unticked.State, unticked.Offer?.TripId, unticked.Offer?.WithPet, unticked.PetsWelcome));
        Assert.Equal("seen", (await _process.Drivers.GetAsync("d1", Ct)).Offer?.TripId); // what a reload of the app shows
        await _process.Drivers.AcceptAsync("d1", "seen", Ct);
        Assert.Equal((DriverStates.OnTrip, "seen"), (_process.Registry.Get("d1")!.State, _process.Registry.Get("d1")!.CurrentTripId));

        // Declining one instead, the next ride with a pet passes them over: it is only for drivers who welcome pets now.
        await _process.Drivers.GoOnlineAsync("d2", "economy", North(500), Ct);
        await _process.Drivers.WelcomePetsAsync("d2", true, Ct);
        await _process.Dispatcher.StartAsync(Trip("declined", withPet: true), Ct);
        await _process.Drivers.WelcomePetsAsync("d2", false, Ct);
        Assert.Equal("declined", _process.Registry.Get("d2")!.Offer?.TripId);
        await _process.Drivers.DeclineAsync("d2", "declined", "declined", Ct);
        await _process.Dispatcher.StartAsync(Trip("next", withPet: true), Ct);
        Assert.Equal((DriverStates.Available, null), (_process.Registry.Get("d2")!.State, _process.Registry.Get("d2")!.Offer?.TripId));
        await _process.Dispatcher.StartAsync(Trip("no-pet", withPet: false), Ct);
        Assert.Equal("no-pet", _process.Registry.Get("d2")!.Offer?.TripId);
    }

    [Fact]
    public async Task A_ride_with_a_pet_passes_over_a_nearer_driver_who_takes_no_pets_and_is_offered_to_one_who_does()
    {
        await _process.Drivers.GoOnlineAsync("near-no-pets", "economy", North(100), Ct);
        await _process.Drivers.GoOnlineAsync("far-pets", "economy", North(2_000), Ct);
        await _process.Drivers.WelcomePetsAsync("far-pets", true, Ct);

        await _process.Dispatcher.StartAsync(Trip("with-pet", withPet: true), Ct);

        Assert.Equal(DriverStates.Available, _process.Registry.Get("near-no-pets")!.State);
        var offer = _process.Registry.Get("far-pets")!.Offer;
        Assert.Equal(("with-pet", true), (offer?.TripId, offer?.WithPet));
        // The driver's app is sent that the rider brings a pet.
        var request = Assert.Single(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverTripRequest);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<DriverTripRequestCommand>>(request.Value, MessageEnvelope.SerializerOptions)!.Data.WithPet);

        // A ride without a pet goes to the nearest driver, as before.
        await _process.Dispatcher.StartAsync(Trip("no-pet", withPet: false), Ct);
        Assert.Equal(("no-pet", false), (_process.Registry.Get("near-no-pets")!.Offer?.TripId, _process.Registry.Get("near-no-pets")!.Offer?.WithPet));
    }

    [Fact]
    public async Task A_ride_with_a_pet_and_no_driver_who_welcomes_pets_ends_as_any_search_that_finds_nobody()
    {
        await _process.Drivers.GoOnlineAsync("no-pets", "economy", North(100), Ct);

        await _process.Dispatcher.StartAsync(Trip("with-pet", withPet: true), Ct);
        for (var i = 0; i < 10; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(15));
            await _process.Drivers.UpdateLocationAsync("no-pets", North(100), null, Clock.GetUtcNow(), Ct);
            await _process.Dispatcher.SweepAsync(Ct);
        }

        Assert.Equal(DispatchStatus.NoDriversFound, (await _process.Repository.Dispatches.GetAsync("with-pet", Ct))!.Document.Status);
        Assert.Equal(DriverStates.Available, _process.Registry.Get("no-pets")!.State);
        Assert.Single(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.TripNoDriversFound);
        Assert.DoesNotContain(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverTripRequest);
    }
}
