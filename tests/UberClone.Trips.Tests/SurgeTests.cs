using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.IntegrationEvents.EventHandling;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

public class SurgeTests
{
    private static readonly SurgeOptions Options = new();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Downtown = new(52.52, 13.40);
    private static readonly GeoPoint Elsewhere = new(48.85, 2.35);

    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(3, 5, 1.0)]
    [InlineData(5, 5, 1.0)]
    [InlineData(10, 5, 1.5)]
    [InlineData(15, 5, 2.0)]
    [InlineData(3, 0, 2.0)]
    [InlineData(100, 5, 3.0)]
    public void Surge_follows_requests_per_available_driver_and_is_capped_at_three(int requests, int drivers, double expected) =>
        Assert.Equal(expected, SurgePolicy.Multiplier(requests, drivers, Options));

    [Fact]
    public void Cap_is_configurable() =>
        Assert.Equal(2.0, SurgePolicy.Multiplier(100, 1, new SurgeOptions { Cap = 2.0 }));

    [Fact]
    public void The_surge_map_shows_each_square_a_quote_would_surge_in_and_no_others()
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", Downtown, Now);
        window.RequestOpened("t2", Downtown, Now);
        window.RequestOpened("t3", Elsewhere, Now);

        var map = window.SurgeAround(Downtown, reach: 4, Now);
        // Two requests and no driver surge the quotes of their square and the eight around it (each counts its neighbours).
        Assert.Equal(9, map.Count);
        Assert.All(map, c => Assert.Equal(1.5, c.Multiplier));
        var home = Assert.Single(map, c => c.Bounds.South <= Downtown.Lat && Downtown.Lat < c.Bounds.North && c.Bounds.West <= Downtown.Lng && Downtown.Lng < c.Bounds.East);
        Assert.Equal(SurgePolicy.CellOf(Downtown, Options), home.Cell);
        Assert.All(map, c => Assert.Equal(Options.CellDegrees, c.Bounds.North - c.Bounds.South, 6));
        foreach (var cell in map) Assert.Equal(cell.Multiplier, window.MultiplierAt(new GeoPoint((cell.Bounds.South + cell.Bounds.North) / 2, (cell.Bounds.West + cell.Bounds.East) / 2), Now));

        // A driver nearby who keeps up with them: nothing surges; and Paris's one request is far from Berlin's map.
        window.DriverSeen("d1", Downtown, available: true, Now);
        window.DriverSeen("d2", Downtown, available: true, Now);
        Assert.Empty(window.SurgeAround(Downtown, reach: 4, Now));
        Assert.Empty(window.SurgeAround(Downtown, reach: 4, Now.Add(Options.Window).AddSeconds(1)));
    }

    [Fact]
    public void Open_requests_without_drivers_raise_the_surge_of_their_area_only()
    {
        var window = new DemandSupplyWindow(Options);
        for (var i = 0; i < 4; i++) window.RequestOpened($"t{i}", Downtown, Now);
        window.DriverSeen("d1", Downtown, available: true, Now);
        window.DriverSeen("d2", Downtown, available: true, Now);

        Assert.Equal((4, 2), window.Counts(Downtown, Now));
        Assert.Equal(1.5, window.MultiplierAt(Downtown, Now));
        Assert.Equal(1.0, window.MultiplierAt(Elsewhere, Now));
    }

    [Fact]
    public void Served_or_cancelled_requests_stop_counting()
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", Downtown, Now);
        window.RequestOpened("t2", Downtown, Now);
        window.RequestClosed("t1", Now);
        Assert.Equal((1, 0), window.Counts(Downtown, Now));
    }

    [Fact]
    public void Requests_and_drivers_older_than_the_window_are_forgotten()
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", Downtown, Now);
        window.DriverSeen("d1", Downtown, available: true, Now);
        Assert.Equal((0, 0), window.Counts(Downtown, Now + Options.Window + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_driver_counts_where_and_as_they_were_last_seen()
    {
        var window = new DemandSupplyWindow(Options);
        window.DriverSeen("d1", Downtown, available: true, Now);
        window.DriverSeen("d1", Elsewhere, available: true, Now.AddSeconds(10));
        window.DriverSeen("d2", Downtown, available: true, Now);
        window.DriverSeen("d2", Downtown, available: false, Now.AddSeconds(10));
        window.DriverSeen("d2", Downtown, available: true, Now.AddSeconds(5));

        Assert.Equal(0, window.Counts(Downtown, Now.AddSeconds(20)).AvailableDrivers);
        Assert.Equal(1, window.Counts(Elsewhere, Now.AddSeconds(20)).AvailableDrivers);
    }

    [Fact]
    public async Task A_batch_of_supply_reports_counts_each_driver_as_last_reported_and_skips_a_malformed_report()
    {
        var window = new DemandSupplyWindow(Options);
        var feed = new SurgeFeed(window);
        var context = new MessageContext("m1", Topics.DriverSupply, "d1", nameof(DriverSupplyReportedIntegrationEvent), Now, 1);
        await feed.HandleAsync(new DriverSupplyReportedIntegrationEvent([
            new DriverSupplyReport("d1", Downtown, Available: true, Now),
            new DriverSupplyReport("d2", Downtown, Available: true, Now),
            null!,
            new DriverSupplyReport("", Downtown, Available: true, Now),
            new DriverSupplyReport("d3", new GeoPoint(91, 0), Available: true, Now),
            new DriverSupplyReport("d4", Downtown, Available: true, Now),
        ]), context, TestContext.Current.CancellationToken);
        Assert.Equal(3, window.Counts(Downtown, Now.AddSeconds(1)).AvailableDrivers);

        // A later batch: d2 took a trip, d4 went offline; an older report of d2 (a batch that overtook) changes nothing.
        await feed.HandleAsync(new DriverSupplyReportedIntegrationEvent([
            new DriverSupplyReport("d2", Downtown, Available: false, Now.AddSeconds(10)),
            new DriverSupplyReport("d4", Downtown, Available: false, Now.AddSeconds(10)),
            new DriverSupplyReport("d2", Downtown, Available: true, Now.AddSeconds(5)),
        ]), context, TestContext.Current.CancellationToken);
        Assert.Equal(1, window.Counts(Downtown, Now.AddSeconds(11)).AvailableDrivers);
    }

    [Theory]
    [InlineData(52.52, 13.40)]
    [InlineData(52.5399, 13.4199)]
    [InlineData(-33.8600, 151.2099)]
    [InlineData(59.9999, -0.0001)]
    public void Points_a_hundred_metres_apart_see_the_same_demand_wherever_the_grid_lines_run(double lat, double lng)
    {
        var window = new DemandSupplyWindow(Options);
        var pickup = new GeoPoint(lat, lng);
        // ~100 m north and east: with these starting points a cell boundary runs between some of the pairs.
        var nearby = new GeoPoint(lat + 0.0009, lng + 0.0009 / Math.Cos(lat * Math.PI / 180));
        window.RequestOpened("t1", nearby, Now);
        window.RequestOpened("t2", nearby, Now);

        Assert.Equal(1.5, window.MultiplierAt(pickup, Now));
    }

    [Fact]
    public void Demand_further_than_the_neighbouring_squares_does_not_count()
    {
        var window = new DemandSupplyWindow(Options);
        var far = new GeoPoint(Downtown.Lat + 3 * Options.CellDegrees, Downtown.Lng);
        window.RequestOpened("t1", far, Now);
        window.RequestOpened("t2", far, Now);

        Assert.Equal((0, 0), window.Counts(Downtown, Now));
        Assert.Equal(1.5, window.MultiplierAt(far, Now));
    }

    [Fact]
    public void Late_or_repeated_events_never_reopen_a_served_request_nor_count_twice()
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", Downtown, Now);
        window.RequestOpened("t1", Downtown, Now); // the booking replica counted it, then its event arrived
        window.RequestOpened("t2", Downtown, Now);
        window.RequestClosed("t1", Now.AddSeconds(30));
        window.RequestOpened("t1", Downtown, Now); // trip.event.created redelivered after driver_assigned
        window.RequestClosed("t3", Now.AddSeconds(5)); // closed before its creation arrives (another topic)
        window.RequestOpened("t3", Downtown, Now);

        Assert.Equal((1, 0), window.Counts(Downtown, Now.AddSeconds(40)));
    }

    [Fact]
    public void A_trip_the_driver_gave_up_is_open_again_where_it_was_requested()
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", Downtown, Now);
        window.RequestClosed("t1", Now.AddSeconds(30));
        window.RequestReopened("t1", Now.AddSeconds(60));
        window.RequestReopened("unknown", Now.AddSeconds(60));

        Assert.Equal((1, 0), window.Counts(Downtown, Now.AddSeconds(61)));
        Assert.Equal((0, 0), window.Counts(Elsewhere, Now.AddSeconds(61)));
    }

    [Fact]
    public void What_left_the_window_is_forgotten_and_events_older_than_it_are_ignored()
    {
        var window = new DemandSupplyWindow(Options);
        for (var i = 0; i < 100; i++)
        {
            window.RequestOpened($"t{i}", Downtown, Now.AddSeconds(i));
            window.DriverSeen($"d{i}", Downtown, available: true, Now.AddSeconds(i));
        }
        var later = Now + Options.Window + TimeSpan.FromSeconds(50);
        Assert.Equal((50, 50), window.Counts(Downtown, later)); // those recorded at 50 s and after are still in
        Assert.Equal(100, window.Remembered);

        window.RequestOpened("old", Downtown, Now.AddSeconds(10)); // a replay of something already gone
        Assert.Equal((50, 50), window.Counts(Downtown, later));

        Assert.Equal((0, 0), window.Counts(Downtown, later + Options.Window));
        Assert.Equal(0, window.Remembered);
    }

    [Theory]
    [InlineData(179.995, -179.995)]
    [InlineData(-179.999, 179.999)]
    [InlineData(180.0, 179.99)]
    public void Demand_across_the_antimeridian_counts_for_a_pickup_on_the_other_side(double requestLng, double pickupLng)
    {
        var window = new DemandSupplyWindow(Options);
        window.RequestOpened("t1", new GeoPoint(-17.7, requestLng), Now);
        window.RequestOpened("t2", new GeoPoint(-17.7, requestLng), Now);

        Assert.Equal((2, 0), window.Counts(new GeoPoint(-17.7, pickupLng), Now));
    }

    [Fact]
    public void Without_any_quote_the_events_themselves_move_the_window_on()
    {
        var window = new DemandSupplyWindow(Options);
        for (var i = 0; i < 100; i++) window.DriverSeen($"d{i}", Downtown, available: true, Now);
        window.RequestOpened("t1", Downtown, Now);

        window.DriverSeen("late", Elsewhere, available: true, Now + Options.Window + TimeSpan.FromSeconds(1));

        Assert.Equal(1, window.Remembered);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_at_start_naming_the_setting()
    {
        new SurgeOptions().Validate();
        Assert.Contains("Pricing:Surge:CellDegrees", Assert.Throws<InvalidOperationException>(() => new SurgeOptions { CellDegrees = 0 }.Validate()).Message);
        Assert.Contains("Pricing:Surge:Window", Assert.Throws<InvalidOperationException>(() => new SurgeOptions { Window = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("Pricing:Surge:Cap", Assert.Throws<InvalidOperationException>(() => new SurgeOptions { Cap = 0.5 }.Validate()).Message);
        Assert.Contains("Pricing:Surge:Sensitivity", Assert.Throws<InvalidOperationException>(() => new SurgeOptions { Sensitivity = -1 }.Validate()).Message);
    }
}
