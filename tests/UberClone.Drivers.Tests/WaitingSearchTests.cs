using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A search that found nobody waits for its next attempt on the timer; a driver who becomes available meanwhile, on
/// this replica or announced by another, wakes it at once. The retry interval here is 40 s, so only a wake can make
/// the offers these tests wait for (the clock does not move and nothing sweeps).
/// </summary>
public sealed class WaitingSearchTests() : StoreBackedTest("waiting-searches", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly IOptions<DispatchOptions> _options = Options.Create(new DispatchOptions { RetryInterval = TimeSpan.FromSeconds(40) });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_driver_another_replica_announces_after_the_search_found_nobody_is_offered_the_trip_at_once()
    {
        // The driver goes online through replica A; the rider's trip.event.created reached replica B before A's announcement.
        var announced = new List<Driver>();
        using var a = DriversProcess.Open(StoreFile, Clock, _options, Meters, announce: announced.Add);
        using var b = Process();
        await b.Dispatcher.StartAsync(Trip("t1"), Ct);
        Assert.Equal(DispatchStatus.Searching, (await DispatchAsync(b, "t1")).Status);

        await a.Drivers.GoOnlineAsync("d1", "economy", Offset(2_000), Ct);
        b.Registry.Apply(Assert.Single(announced));

        var offered = await EventuallyAsync(b, "t1", d => d.Status == DispatchStatus.Offered);
        Assert.Equal("d1", offered.Offer?.DriverId);
        await WaitUntilAsync(() => b.Registry.Get("d1")?.Offer?.TripId == "t1");
    }

    [Fact]
    public async Task A_driver_back_from_a_trip_is_offered_the_longest_waiting_search_near_them()
    {
        using var drivers = Process();
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Offset(500), Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-ride"), Ct);
        await drivers.Drivers.AcceptAsync("d1", "t-ride", Ct);
        await drivers.Dispatcher.AcceptedAsync("t-ride", "d1", Ct);
        await drivers.Dispatcher.StartAsync(Trip("t-first"), Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.StartAsync(Trip("t-second"), Ct);
        Assert.Equal(2, drivers.Waiting.Count);

        await drivers.Dispatcher.TripCompletedAsync(new TripCompletedIntegrationEvent("t-ride", "r-t-ride", "d1", 1_500, "USD", Clock.GetUtcNow()), Ct);

        Assert.Equal("d1", (await EventuallyAsync(drivers, "t-first", d => d.Status == DispatchStatus.Offered)).Offer?.DriverId);
        Assert.Equal(DispatchStatus.Searching, (await DispatchAsync(drivers, "t-second")).Status);
        await WaitUntilAsync(() => drivers.Waiting.Count == 1); // t-first waits no more once its offer is made
    }

    [Fact]
    public async Task A_woken_search_that_finds_nobody_keeps_its_radius_and_its_timer()
    {
        var announced = new List<Driver>();
        using var a = DriversProcess.Open(StoreFile, Clock, _options, Meters, announce: announced.Add);
        using var b = Process();
        await b.Dispatcher.StartAsync(Trip("t1"), Ct);
        var waiting = await DispatchAsync(b, "t1");

        // Announced late: the driver's position is older than LocationFreshness by the time it arrives.
        await a.Drivers.GoOnlineAsync("d1", "economy", Offset(1_000), Ct);
        Clock.Advance(_options.Value.LocationFreshness + TimeSpan.FromSeconds(1));
        var inVain = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == Meters && instrument.Name == "uberclone.dispatch.searches_woken_in_vain") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref inVain, value));
        listener.Start();
        b.Registry.Apply(Assert.Single(announced));
        await WaitUntilAsync(() => Interlocked.Read(ref inVain) == 1);

        var after = await b.Repository.Dispatches.GetAsync("t1", Ct);
        Assert.Equal(DispatchStatus.Searching, after!.Document.Status);
        Assert.Equal(waiting.EmptySearches, after.Document.EmptySearches);
        Assert.Equal(waiting.NextAttemptAt, after.Document.NextAttemptAt);
        Assert.Equal(1, b.Waiting.Count); // still waiting for the next driver
    }

    private async Task<TripDispatch> DispatchAsync(DriversProcess drivers, string id) =>
        (await drivers.Repository.Dispatches.GetAsync(id, Ct))!.Document;

    private async Task<TripDispatch> EventuallyAsync(DriversProcess drivers, string id, Func<TripDispatch, bool> condition)
    {
        TripDispatch? last = null;
        await WaitUntilAsync(() =>
        {
            last = drivers.Repository.Dispatches.GetAsync(id, Ct).GetAwaiter().GetResult()!.Document;
            return condition(last);
        });
        return last!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not true within 10 s");
            await Task.Delay(20, Ct);
        }
    }

    private TripCreatedIntegrationEvent Trip(string id) =>
        new(id, "r-" + id, "economy", Pickup, Offset(4_000), 1_500, "USD", 5_000, 600, Clock.GetUtcNow());

    private static GeoPoint Offset(double northMeters) => new(Pickup.Lat + northMeters / 111_195, Pickup.Lng);

    private DriversProcess Process() => DriversProcess.Open(StoreFile, Clock, _options, Meters);
}

/// <summary>Which waiting search a newly available driver wakes: pure, without a store.</summary>
public sealed class WaitingSearchesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);
    private readonly ManualClock _clock = new(Now);

    [Fact]
    public void Wakes_the_longest_waiting_search_of_the_drivers_class_whose_radius_reaches_them()
    {
        var waiting = new WaitingSearches(_clock);
        waiting.Wait(Search("t-near-late", startedAgo: 5), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-old-far", startedAgo: 60, pickup: North(8_000)), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-old-comfort", startedAgo: 50, vehicleClass: "comfort"), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-old-declined", startedAgo: 40, excluded: ["d1"]), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-near-early", startedAgo: 30), 3_000, Now.AddSeconds(2));

        Assert.Equal("t-near-early", waiting.DriverAvailable("d1", "economy", North(2_500))); // t-old-declined excludes d1
        Assert.Equal("t-old-declined", waiting.DriverAvailable("d2", "economy", North(2_500))); // ... and no one else
        Assert.Equal("t-near-late", waiting.DriverAvailable("d3", "economy", North(2_500)));
        Assert.Null(waiting.DriverAvailable("d4", "economy", North(2_500)));
        Assert.Equal(2, waiting.Count);
        Assert.True(waiting.Woken.TryRead(out var first));
        Assert.Equal("t-near-early", first);
    }

    [Fact]
    public void A_search_is_woken_within_the_radius_it_waits_with_across_the_grids_cells_and_the_antimeridian()
    {
        var waiting = new WaitingSearches(_clock);
        var fiji = new GeoPoint(-17.8, 179.99);
        waiting.Wait(Search("t-fiji", startedAgo: 1, pickup: fiji), 10_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-paris", startedAgo: 1), 6_000, Now.AddSeconds(2));

        Assert.Null(waiting.DriverAvailable("d1", "economy", North(6_100)));
        Assert.Equal("t-paris", waiting.DriverAvailable("d1", "economy", North(5_900)));
        Assert.Equal("t-fiji", waiting.DriverAvailable("d2", "economy", new GeoPoint(-17.8, -179.95))); // ~6 km east, past 180°
    }

    [Fact]
    public void A_search_past_its_next_attempt_or_removed_is_not_woken()
    {
        var waiting = new WaitingSearches(_clock);
        waiting.Wait(Search("t-due", startedAgo: 1), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-offered", startedAgo: 1), 3_000, Now.AddSeconds(60));
        waiting.Remove("t-offered");
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(waiting.DriverAvailable("d1", "economy", Pickup));
        Assert.Equal(0, waiting.Count);
        Assert.False(waiting.Woken.TryRead(out _));
    }

    [Fact]
    public void Waiting_again_replaces_the_searchs_entry()
    {
        var waiting = new WaitingSearches(_clock);
        waiting.Wait(Search("t1", startedAgo: 1), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t1", startedAgo: 1, pickup: North(20_000)), 3_000, Now.AddSeconds(4));

        Assert.Equal(1, waiting.Count);
        Assert.Null(waiting.DriverAvailable("d1", "economy", Pickup));
        Assert.Equal("t1", waiting.DriverAvailable("d1", "economy", North(20_000)));
    }

    [Theory]
    [InlineData("pet")]
    [InlineData("cash")]
    [InlineData("wheelchair")]
    public void A_driver_who_becomes_available_wakes_a_waiting_ride_only_if_they_take_what_it_needs(string need)
    {
        var waiting = new WaitingSearches(_clock);
        var online = Driver.New("d", "economy", Now).GoOnline("economy", North(1_000), Now);
        var (needs, takes, refuses) = need switch
        {
            "pet" => (Needs.Pet, online.WelcomePets(true, Now), online),
            "cash" => (Needs.Cash, online, online.AcceptCash(false, Now)),
            _ => (Needs.Wheelchair, online.ApproveWheelchairAccessible(true, Now), online),
        };
        waiting.Wait(Search("t-needs", startedAgo: 30, needs: needs), 3_000, Now.AddSeconds(2));
        waiting.Wait(Search("t-plain", startedAgo: 10), 3_000, Now.AddSeconds(2));
        var wake = Extensions.Extensions.WakeSearchesNear(waiting); // as the service wires it

        // The longer-waiting search needs more: a driver who does not take it wakes the other one, then nothing.
        wake(refuses with { Id = "d1" }, North(1_000));
        wake(refuses with { Id = "d2" }, North(1_000));
        Assert.Equal(1, waiting.Count);
        wake(takes with { Id = "d3" }, North(1_000));

        Assert.Equal(0, waiting.Count);
        Assert.True(waiting.Woken.TryRead(out var first));
        Assert.True(waiting.Woken.TryRead(out var second));
        Assert.Equal(("t-plain", "t-needs"), (first, second));
        Assert.Null(waiting.DriverAvailable("d4", "economy", North(1_000))); // without a say on needs: plain rides only
    }

    [Fact]
    public void Without_a_say_on_what_the_driver_takes_only_rides_that_need_nothing_more_are_woken()
    {
        var waiting = new WaitingSearches(_clock);
        waiting.Wait(Search("t-cash", startedAgo: 1, needs: Needs.Cash), 3_000, Now.AddSeconds(2));

        Assert.Null(waiting.DriverAvailable("d1", "economy", North(1_000)));
        Assert.Equal("t-cash", waiting.DriverAvailable("d1", "economy", North(1_000), n => n == Needs.Cash));
    }

    private static TripDispatch Search(string id, int startedAgo, GeoPoint? pickup = null, string vehicleClass = "economy", string[]? excluded = null,
        RideNeeds needs = default) => new()
    {
        Id = id, RiderId = "r-" + id, VehicleClass = vehicleClass, Pickup = pickup ?? Pickup, Dropoff = North(4_000), FareMinor = 1_500,
        Currency = "USD", Status = DispatchStatus.Searching, StartedAt = Now.AddSeconds(-startedAgo), GiveUpAt = Now.AddSeconds(90),
        NextAttemptAt = Now.AddSeconds(2), EmptySearches = 1, ExcludedDrivers = excluded ?? [],
        WithPet = needs.WithPet, PayInCash = needs.PayInCash, WheelchairAccessible = needs.WheelchairAccessible,
    };

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195, Pickup.Lng);
}
