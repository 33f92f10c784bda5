using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.IntegrationEvents.EventHandling;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A restart of the drivers service in the middle of a search: the new process has only what is stored (searches,
/// offers with their deadlines, driver states) and must carry on: the pending offer still expires, the driver is
/// released, the next one is offered, and the search still ends.
/// </summary>
public sealed class DispatchRestartTests() : StoreBackedTest("dispatch-restart", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly IOptions<DispatchOptions> _options = Options.Create(new DispatchOptions
    {
        OfferTimeout = TimeSpan.FromSeconds(15),
        SearchTimeout = TimeSpan.FromSeconds(90),
        RetryInterval = TimeSpan.FromSeconds(2),
    });

    [Fact]
    public async Task After_a_restart_a_stored_offer_still_expires_its_driver_is_released_and_the_search_goes_on_and_ends()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var before = Process())
        {
            await before.Drivers.GoOnlineAsync("near", "economy", Offset(200), ct);
            await before.Drivers.GoOnlineAsync("far", "economy", Offset(900), ct);
            await before.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t1", "r1", "economy", Pickup,
                Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow()), ct);
            Assert.Equal("near", (await before.Repository.Dispatches.GetAsync("t1", ct))!.Document.Offer?.DriverId);
        } // the process stops here: nothing in memory survives

        using var after = Process();
        await new DriverRegistryLoader(after.Repository, after.Registry, NullLogger<DriverRegistryLoader>.Instance).StartAsync(ct);
        // Positions come back with the drivers' next pings.
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await after.Drivers.UpdateLocationAsync("near", Offset(200), null, Clock.GetUtcNow(), ct));
        Assert.True(await after.Drivers.UpdateLocationAsync("far", Offset(900), null, Clock.GetUtcNow(), ct));

        Clock.Advance(_options.Value.OfferTimeout);
        await after.Dispatcher.SweepAsync(ct);
        await after.Dispatcher.SweepAsync(ct);

        var dispatch = (await after.Repository.Dispatches.GetAsync("t1", ct))!.Document;
        Assert.Equal("far", dispatch.Offer?.DriverId);
        Assert.Contains("near", dispatch.ExcludedDrivers);
        Assert.Equal(DriverStates.Available, (await after.Repository.Drivers.GetAsync("near", ct))!.Document.State);
        Assert.Equal(DriverStates.Offered, (await after.Repository.Drivers.GetAsync("far", ct))!.Document.State);
        // The expired driver's screen is told the offer is gone (the gateway pushes it as offer.withdrawn).
        var withdrawn = Assert.Single(await after.Database.Outbox.GetPendingAsync(100, ct), m => m.Topic == Topics.DriverOfferWithdrawn);
        Assert.Equal("near", withdrawn.Key);
        Assert.Contains(Dispatcher.OfferExpiredReason, withdrawn.Value);
        Assert.Contains("\"t1\"", withdrawn.Value);

        // Nobody answers: once the search deadline passes the trip ends as no_drivers_found, it never searches forever.
        for (var i = 0; i < 10; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(15));
            await after.Dispatcher.SweepAsync(ct);
        }
        dispatch = (await after.Repository.Dispatches.GetAsync("t1", ct))!.Document;
        Assert.Equal(DispatchStatus.NoDriversFound, dispatch.Status);
        Assert.Equal(DriverStates.Available, (await after.Repository.Drivers.GetAsync("far", ct))!.Document.State);
    }

    [Fact]
    public async Task A_ride_booked_for_later_that_finds_nobody_says_its_pickup_time_in_no_drivers_found_and_one_requested_now_says_none()
    {
        var ct = TestContext.Current.CancellationToken;
        var pickupAt = Clock.GetUtcNow().AddMinutes(15);
        using var process = Process();
        await process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("later", "r1", "economy", Pickup,
            Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow(), ScheduledFor: pickupAt), ct);
        await process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("now", "r2", "economy", Pickup,
            Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow()), ct);

        Clock.Advance(_options.Value.SearchTimeout + TimeSpan.FromSeconds(1));
        await process.Dispatcher.SweepAsync(ct);

        // Only a ride booked for later is mailed about (its rider may not be watching): the gateway reads this, not the trip.
        var found = (await process.Database.Outbox.GetPendingAsync(100, ct)).Where(m => m.Topic == Topics.TripNoDriversFound).ToDictionary(m => m.Key, m => m.Value);
        TripNoDriversFoundIntegrationEvent Event(string tripId) =>
            System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<TripNoDriversFoundIntegrationEvent>>(found[tripId], MessageEnvelope.SerializerOptions)!.Data;
        Assert.Equal(pickupAt, Event("later").ScheduledFor);
        Assert.Null(Event("now").ScheduledFor);
    }

    [Fact]
    public async Task A_decline_stored_just_before_a_stop_sends_the_trip_to_the_next_driver_when_its_command_arrives()
    {
        var ct = TestContext.Current.CancellationToken;
        string offerId;
        using (var before = Process())
        {
            await before.Drivers.GoOnlineAsync("near", "economy", Offset(200), ct);
            await before.Drivers.GoOnlineAsync("far", "economy", Offset(900), ct);
            await before.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t1", "r1", "economy", Pickup,
                Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow()), ct);
            offerId = (await before.Repository.Dispatches.GetAsync("t1", ct))!.Document.Offer!.OfferId;
            // The decline is stored (with its command in the outbox), then the process stops before offering the trip again.
            await before.Repository.Drivers.UpdateAsync("near", d => d.Decline("t1", Clock.GetUtcNow()), ct: ct);
        }

        using var after = Process();
        await new DriverRegistryLoader(after.Repository, after.Registry, NullLogger<DriverRegistryLoader>.Instance).StartAsync(ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await after.Drivers.UpdateLocationAsync("near", Offset(200), null, Clock.GetUtcNow(), ct));
        Assert.True(await after.Drivers.UpdateLocationAsync("far", Offset(900), null, Clock.GetUtcNow(), ct));
        var handler = new DriverTripDeclineCommandHandler(after.Dispatcher);
        var command = new DriverTripDeclineCommand(offerId, "t1", "near", "declined", Clock.GetUtcNow());
        var context = new MessageContext("m1", Topics.DriverTripDecline, "t1", nameof(DriverTripDeclineCommand), Clock.GetUtcNow(), 1);

        await handler.HandleAsync(command, context, ct); // well before the offer's deadline
        var stored = (await after.Repository.Dispatches.GetAsync("t1", ct))!;
        var offered = stored.Document;
        await handler.HandleAsync(command, context, ct); // redelivered: changes nothing

        Assert.Equal("far", offered.Offer?.DriverId);
        Assert.Contains("near", offered.ExcludedDrivers);
        Assert.Equal(stored.Version, (await after.Repository.Dispatches.GetAsync("t1", ct))!.Version);
        Assert.Equal(DriverStates.Offered, (await after.Repository.Drivers.GetAsync("far", ct))!.Document.State);
    }

    private static GeoPoint Offset(double northMeters) => new(Pickup.Lat + northMeters / 111_195, Pickup.Lng);

    /// <summary>One drivers-service process over the shared database file (nothing in memory survives it).</summary>
    private DriversProcess Process() => DriversProcess.Open(StoreFile, Clock, _options, Meters);
}
