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
/// An available driver the service hears nothing of for <see cref="DispatchOptions.OfflineAfterSilence"/> (the app
/// closed, the phone lost its connection) is taken offline and told why; one who keeps pinging, to this replica or another,
/// or who is on an offer or a trip, is not.
/// </summary>
public sealed class SilentDriverTests() : StoreBackedTest("silent-drivers", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Here = new(48.8566, 2.3522);
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(5);
    private readonly List<DriverSupplyReport> _reports = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_available_driver_silent_for_five_minutes_is_taken_offline_and_told_why()
    {
        var options = Options(new DispatchOptions { OfflineAfterSilence = Silence });
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters, reportSupply: r => { lock (_reports) _reports.Add(r); });
        var sweeper = Sweeper(drivers, options);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);

        Clock.Advance(Silence);
        Assert.Empty(await sweeper.SweepAsync(Ct)); // heard of exactly 5 minutes ago: not yet
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["d1"], await sweeper.SweepAsync(Ct));

        var stored = await drivers.Drivers.GetAsync("d1", Ct);
        Assert.Equal(DriverStates.Offline, stored.State);
        Assert.Equal("We had no location from your phone for 5 minutes, so you were taken offline. Go online again when you are ready to drive.", stored.OfflineReason);
        var told = Assert.Single(await drivers.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverWentOffline);
        Assert.Equal("d1", told.Key);
        Assert.Equal(stored.OfflineReason, JsonSerializer.Deserialize<MessageEnvelope<DriverWentOfflineIntegrationEvent>>(told.Value, MessageEnvelope.SerializerOptions)!.Data.Reason);
        Assert.Null(drivers.Registry.Position("d1"));
        Assert.False(_reports[^1].Available); // no longer counted as supply
        Assert.Empty(await sweeper.SweepAsync(Ct)); // once

        var back = await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        Assert.Equal(DriverStates.Available, back.State);
        Assert.Null(back.OfflineReason);
    }

    [Fact]
    public async Task A_driver_who_keeps_pinging_or_is_on_an_offer_or_a_trip_stays()
    {
        var options = Options(new DispatchOptions { OfflineAfterSilence = Silence, OfferTimeout = TimeSpan.FromHours(1) });
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        var sweeper = Sweeper(drivers, options);
        await drivers.Drivers.GoOnlineAsync("d-pinging", "economy", Here, Ct);
        await drivers.Drivers.GoOnlineAsync("d-offered", "comfort", Here, Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-offered", "comfort"), Ct);
        await drivers.Drivers.GoOnlineAsync("d-on-trip", "xl", Here, Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-ride", "xl"), Ct);
        await drivers.Drivers.AcceptAsync("d-on-trip", "t-ride", Ct);

        for (var second = 4; second <= 12 * 60; second += 4)
        {
            Clock.Advance(TimeSpan.FromSeconds(4));
            Assert.True(await drivers.Drivers.UpdateLocationAsync("d-pinging", Here, null, Clock.GetUtcNow(), Ct));
            if (second % 30 != 0) continue;
            Assert.DoesNotContain(drivers.Registry.Silent(Clock.GetUtcNow() - Silence, SilentDriverSweeper.MaxPerSweep), d => d.DriverId == "d-pinging");
            Assert.Empty(await sweeper.SweepAsync(Ct));
        }

        Assert.Equal(DriverStates.Available, (await drivers.Drivers.GetAsync("d-pinging", Ct)).State);
        Assert.Equal(DriverStates.Offered, (await drivers.Drivers.GetAsync("d-offered", Ct)).State);
        Assert.Equal(DriverStates.OnTrip, (await drivers.Drivers.GetAsync("d-on-trip", Ct)).State);
    }

    [Fact]
    public async Task A_ping_that_reaches_the_view_after_the_sweep_looked_through_it_keeps_the_driver_online()
    {
        var options = Options(new DispatchOptions { OfflineAfterSilence = Silence });
        using var drivers = DriversProcess.Open(StoreFile, Clock, options, Meters);
        var sweeper = Sweeper(drivers, options);
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        Clock.Advance(Silence + TimeSpan.FromSeconds(1));
        var now = Clock.GetUtcNow();
        var (driverId, lastHeard) = Assert.Single(drivers.Registry.Silent(now - Silence, SilentDriverSweeper.MaxPerSweep));

        // The phone reconnects between the sweep's look through the view and its write.
        Assert.True(await drivers.Drivers.UpdateLocationAsync("d1", Here, null, now, Ct));
        var reason = SilentDriverSweeper.Reason(Silence);

        Assert.False(await sweeper.TakeOfflineIfStillSilentAsync(driverId, lastHeard, now - Silence, now, reason, Ct));
        Assert.Equal(DriverStates.Available, (await drivers.Drivers.GetAsync("d1", Ct)).State);
        Assert.NotNull(drivers.Registry.Position("d1"));
        Assert.DoesNotContain(await drivers.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverWentOffline);
    }

    [Fact]
    public async Task A_driver_pinging_another_replica_is_not_taken_offline_although_their_stored_position_is_old()
    {
        // Replica A stores positions rarely; replica B hears of the driver only through A's fixes.
        var options = Options(new DispatchOptions { OfflineAfterSilence = Silence, StoredPositionInterval = TimeSpan.FromHours(1) });
        var fixes = new List<DriverFix>();
        using var a = DriversProcess.Open(StoreFile, Clock, options, Meters, announceFix: f => { lock (fixes) fixes.Add(f); });
        using var b = DriversProcess.Open(StoreFile, Clock, options, Meters);
        var driver = await a.Drivers.GoOnlineAsync("d1", "economy", Here, Ct);
        b.Registry.Apply(driver);

        for (var i = 0; i < 100; i++) // 400 s of pings
        {
            Clock.Advance(TimeSpan.FromSeconds(4));
            await a.Drivers.UpdateLocationAsync("d1", Here, null, Clock.GetUtcNow(), Ct);
        }
        lock (fixes) b.Registry.ApplyFixes(fixes.ToList());
        await a.FlushPositionsAsync(Ct);
        Assert.True(Clock.GetUtcNow() - (await b.Drivers.GetAsync("d1", Ct)).LastChangedAt > Silence);

        // Not even a candidate: the view's look through its drivers sees the fixes (no store write to find out).
        Assert.Empty(b.Registry.Silent(Clock.GetUtcNow() - Silence, SilentDriverSweeper.MaxPerSweep));
        Assert.Empty(await Sweeper(b, options).SweepAsync(Ct));
        Assert.Equal(DriverStates.Available, (await b.Drivers.GetAsync("d1", Ct)).State);
    }

    private SilentDriverSweeper Sweeper(DriversProcess drivers, IOptions<DispatchOptions> options) =>
        new(drivers.Repository, drivers.Registry, options, Clock, NullLogger<SilentDriverSweeper>.Instance);

    private TripCreatedIntegrationEvent Trip(string id, string vehicleClass) =>
        new(id, "r-" + id, vehicleClass, Here, new GeoPoint(Here.Lat + 0.03, Here.Lng), 1_500, "USD", 5_000, 600, Clock.GetUtcNow());

    private static IOptions<DispatchOptions> Options(DispatchOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
