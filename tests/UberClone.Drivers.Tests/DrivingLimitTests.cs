using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A driver may be online 12 hours in a working period, then must rest 6 hours offline (ADR 0026): the count, short
/// breaks that pause it, the refusal to go online while resting, and the sweep that takes drivers at the limit out of
/// service (an available one offline at once, one on a trip when it ends).
/// </summary>
public sealed class DrivingLimitTests() : StoreBackedTest("driving-limit", new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Here = new(59.437, 24.7536);
    private static readonly DrivingLimits Limits = DrivingLimits.Default;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Short_breaks_pause_the_count_a_rest_of_six_hours_resets_it_and_going_online_at_the_limit_is_refused_until_then()
    {
        var driver = Driver.New("d1", "economy", Start).GoOnline("economy", Here, Start, Limits);
        Assert.Equal(TimeSpan.FromHours(5), driver.OnlineFor(Start.AddHours(5), Limits));

        // Five hours, a lunch break of one, then six more: eleven in the period.
        var lunch = driver.GoOffline(Start.AddHours(5));
        Assert.Equal(TimeSpan.FromHours(5), lunch.OnlineFor(Start.AddHours(5.5), Limits));
        var afternoon = lunch.GoOnline("economy", Here, Start.AddHours(6), Limits);
        Assert.Equal(TimeSpan.FromHours(11), afternoon.OnlineFor(Start.AddHours(12), Limits));
        Assert.Null(lunch.RestsUntil(Start.AddHours(5.5), Limits)); // a break before the limit: back whenever they like

        // At the limit (18:00) they go offline; until midnight they may not go online again.
        var resting = afternoon.GoOffline(Start.AddHours(13));
        Assert.Equal(TimeSpan.FromHours(12), resting.OnlineBefore);
        Assert.Equal(Start.AddHours(19), resting.RestsUntil(Start.AddHours(14), Limits));
        var refused = Assert.Throws<DriverTransitionException>(() => resting.GoOnline("economy", Here, Start.AddHours(18.9), Limits));
        Assert.Equal("You have been online 12 hours without a break of 6 hours: rest, and go online again from 01:00 UTC (2026-12-08).", refused.Message);

        var rested = resting.GoOnline("economy", Here, Start.AddHours(19), Limits);
        Assert.Equal((DriverStates.Available, TimeSpan.Zero), (rested.State, rested.OnlineFor(Start.AddHours(19), Limits)));
    }

    [Fact]
    public void Time_on_a_trip_counts_and_a_driver_taken_offline_when_it_ends_rests_from_then()
    {
        var offer = new Offer("o1", "t1", "r1", Start.AddHours(11).AddSeconds(15));
        var onTrip = Driver.New("d1", "economy", Start).GoOnline("economy", Here, Start, Limits)
            .OfferTrip(offer, Start.AddHours(11)).Accept("t1", Start.AddHours(11).AddSeconds(5));
        Assert.Equal(TimeSpan.FromHours(12), onTrip.OnlineFor(Start.AddHours(12), Limits));

        var ended = onTrip.TakeOfflineAfterTrip(Limits.Reason, Start.AddHours(12)).ReleaseFromTrip("t1", Start.AddHours(12.5));

        Assert.Equal((DriverStates.Offline, Limits.Reason), (ended.State, ended.OfflineReason));
        Assert.Equal(TimeSpan.FromHours(12.5), ended.OnlineBefore);
        Assert.Equal(Start.AddHours(18.5), ended.RestsUntil(Start.AddHours(13), Limits));
    }

    [Fact]
    public async Task Each_change_of_the_drivers_state_tells_all_their_apps_in_the_same_write_and_none_that_changed_nothing()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DispatchOptions { OfferTimeout = TimeSpan.FromHours(1) });
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        async Task<List<DriverStateChangedIntegrationEvent>> ToldAsync() => (await drivers.Database.Outbox.GetPendingAsync(100, Ct))
            .Where(m => m.Topic == Topics.DriverStateChanged && m.Key == "d1")
            .Select(m => JsonSerializer.Deserialize<MessageEnvelope<DriverStateChangedIntegrationEvent>>(m.Value, MessageEnvelope.SerializerOptions)!.Data).ToList();

        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        await drivers.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t-ride", "r1", "economy", Here, new GeoPoint(Here.Lat + 0.03, Here.Lng), 1_500, "EUR", 5_000, 600,
            Clock.GetUtcNow()), Ct);
        await drivers.Drivers.AcceptAsync("d1", "t-ride", Ct);
        // "Stop new requests" during the trip, pressed twice (two devices), taken back, then the service's own reason.
        await drivers.Drivers.GoOfflineAsync("d1", Ct);
        await drivers.Drivers.GoOfflineAsync("d1", Ct);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", null, Ct);
        await drivers.Drivers.TakeOfflineAfterTripAsync("d1", Limits.Reason, Ct);

        var told = await ToldAsync();
        Assert.Equal(
            [(DriverStates.Available, false, null), (DriverStates.OnTrip, true, null), (DriverStates.OnTrip, false, null), (DriverStates.OnTrip, true, Limits.Reason)],
            told.Select(t => (t.State, t.OfflineAfterTrip, t.OfflineAfterTripReason)));
        Assert.Equal((await drivers.Drivers.GetAsync("d1", Ct)).Revision, told[^1].Revision);
        Assert.True(told.Zip(told.Skip(1)).All(p => p.First.Revision < p.Second.Revision));
    }

    [Fact]
    public async Task The_sweep_takes_an_available_driver_at_the_limit_offline_and_tells_them_and_one_on_a_trip_after_it()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DispatchOptions { OfferTimeout = TimeSpan.FromHours(1) });
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        var sweeper = new DrivingLimitSweeper(null!, drivers.Registry, options, Clock, NullLogger<DrivingLimitSweeper>.Instance); // swept by hand below
        await drivers.Drivers.GoOnlineAsync("d-available", "economy", Here, Ct);
        await drivers.Drivers.GoOnlineAsync("d-on-trip", "xl", Here, Ct);
        Clock.Advance(TimeSpan.FromHours(11));
        await drivers.Drivers.UpdateLocationAsync("d-on-trip", Here, null, Clock.GetUtcNow(), Ct);
        await drivers.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t-ride", "r1", "xl", Here, new GeoPoint(Here.Lat + 0.03, Here.Lng), 1_500, "EUR", 5_000, 600,
            Clock.GetUtcNow()), Ct);
        await drivers.Drivers.AcceptAsync("d-on-trip", "t-ride", Ct);

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(await sweeper.SweepAsync(drivers.Drivers, Ct)); // 11 h 59 min
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["d-available", "d-on-trip"], (await sweeper.SweepAsync(drivers.Drivers, Ct)).Order());

        var available = await drivers.Drivers.GetAsync("d-available", Ct);
        Assert.Equal((DriverStates.Offline, Limits.Reason), (available.State, available.OfflineReason));
        var told = Assert.Single(await drivers.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverWentOffline);
        Assert.Equal(Limits.Reason, JsonSerializer.Deserialize<MessageEnvelope<DriverWentOfflineIntegrationEvent>>(told.Value, MessageEnvelope.SerializerOptions)!.Data.Reason);
        var riding = await drivers.Drivers.GetAsync("d-on-trip", Ct);
        Assert.Equal((DriverStates.OnTrip, Limits.Reason), (riding.State, riding.OfflineAfterTrip));
        Assert.Empty(await sweeper.SweepAsync(drivers.Drivers, Ct)); // once each

        Clock.Advance(TimeSpan.FromMinutes(20));
        await drivers.Dispatcher.TripCompletedAsync(new TripCompletedIntegrationEvent("t-ride", "r1", "d-on-trip", 1_500, "EUR", Clock.GetUtcNow()), Ct);
        var home = await drivers.Drivers.GetAsync("d-on-trip", Ct);
        Assert.Equal((DriverStates.Offline, Limits.Reason), (home.State, home.OfflineReason));

        // Resting: refused until six hours after each went offline.
        Clock.Advance(TimeSpan.FromHours(5));
        var refused = await Assert.ThrowsAsync<DriverTransitionException>(() => drivers.Drivers.GoOnlineAsync("d-available", "economy", Here, Ct));
        Assert.Contains("go online again from", refused.Message);
        Clock.Advance(TimeSpan.FromMinutes(40)); // 18:00: six hours after the first went offline, 5 h 40 min after the second
        Assert.Equal(DriverStates.Available, (await drivers.Drivers.GoOnlineAsync("d-available", "economy", Here, Ct)).State);
        await Assert.ThrowsAsync<DriverTransitionException>(() => drivers.Drivers.GoOnlineAsync("d-on-trip", "xl", Here, Ct));
        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(DriverStates.Available, (await drivers.Drivers.GoOnlineAsync("d-on-trip", "xl", Here, Ct)).State);
    }

    [Fact]
    public async Task The_driver_is_told_half_an_hour_before_the_limit_once_in_a_working_period_and_again_in_the_next()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DispatchOptions());
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        var sweeper = new DrivingLimitSweeper(null!, drivers.Registry, options, Clock, NullLogger<DrivingLimitSweeper>.Instance);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        async Task<IReadOnlyList<DriverDrivingLimitNearIntegrationEvent>> ToldAsync() =>
            (await drivers.Database.Outbox.GetPendingAsync(100, Ct)).Where(m => m.Topic == Topics.DriverDrivingLimitNear)
                .Select(m => JsonSerializer.Deserialize<MessageEnvelope<DriverDrivingLimitNearIntegrationEvent>>(m.Value, MessageEnvelope.SerializerOptions)!.Data).ToList();

        Clock.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(29));
        await sweeper.SweepAsync(drivers.Drivers, Ct);
        Assert.Empty(await ToldAsync()); // 31 minutes left: not yet

        // A break of an hour pauses the count; back online, at 11 h 30 min online they are told, once.
        await drivers.Drivers.GoOfflineAsync("d1", Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await sweeper.SweepAsync(drivers.Drivers, Ct);
        await sweeper.SweepAsync(drivers.Drivers, Ct);
        var told = Assert.Single(await ToldAsync());
        Assert.Equal(("d1", (long)TimeSpan.FromHours(11.5).TotalSeconds, (long)Limits.MaxOnline.TotalSeconds, Clock.GetUtcNow().AddMinutes(30)),
            (told.DriverId, told.OnlineSeconds, told.MaxOnlineSeconds, told.LimitAt));
        Assert.Equal("30 minutes left of your 12 hours online: after that you get no new trips and rest 6 hours.", told.Message);
        Assert.Equal(Clock.GetUtcNow(), (await drivers.Drivers.GetAsync("d1", Ct)).DrivingLimitWarnedAt);
        // A short break and back: the same period, not told again.
        await drivers.Drivers.GoOfflineAsync("d1", Ct);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        await sweeper.SweepAsync(drivers.Drivers, Ct);
        Assert.Single(await ToldAsync());

        // After a rest of six hours a new period starts: told again when it nears its limit.
        await drivers.Drivers.GoOfflineAsync("d1", Ct);
        Clock.Advance(Limits.Rest);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        Assert.Null((await drivers.Drivers.GetAsync("d1", Ct)).DrivingLimitWarnedAt);
        Clock.Advance(TimeSpan.FromHours(11.75));
        await sweeper.SweepAsync(drivers.Drivers, Ct);
        Assert.Equal(2, (await ToldAsync()).Count);
    }

    [Fact]
    public async Task A_driver_near_the_limit_is_offered_only_trips_they_can_drive_to_and_finish_within_it()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DispatchOptions());
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        Clock.Advance(TimeSpan.FromHours(11) + TimeSpan.FromMinutes(40));
        var near = new GeoPoint(Here.Lat + 0.005, Here.Lng); // ≈ 560 m: about 90 s to the pickup by the ETA model
        await drivers.Drivers.UpdateLocationAsync("d1", near, null, Clock.GetUtcNow(), Ct);

        // 20 minutes left: a ride of 19 minutes would end past the limit once the drive to the pickup is counted.
        await drivers.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t-long", "r1", "economy", Here, new GeoPoint(Here.Lat + 0.1, Here.Lng), 4_000, "EUR",
            12_000, 19 * 60, Clock.GetUtcNow()), Ct);
        Assert.Equal(DriverStates.Available, (await drivers.Drivers.GetAsync("d1", Ct)).State);
        Assert.Null((await drivers.Repository.Dispatches.GetAsync("t-long", Ct))!.Document.Offer);

        // One of 15 minutes fits: offered.
        await drivers.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t-short", "r2", "economy", Here, new GeoPoint(Here.Lat + 0.05, Here.Lng), 2_000, "EUR",
            6_000, 15 * 60, Clock.GetUtcNow()), Ct);
        var offered = await drivers.Drivers.GetAsync("d1", Ct);
        Assert.Equal((DriverStates.Offered, "t-short"), (offered.State, offered.Offer?.TripId));
    }
}
