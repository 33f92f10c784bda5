using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Surge supply as trips receives it: a driver's availability is reported when they go online, every 15 s while it
/// stays the same, at once when it changes (an offer, its end), and when they go offline.
/// </summary>
public sealed class SupplyReportTests() : StoreBackedTest("supply-reports", new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Start = new(48.8566, 2.3522);
    private readonly List<DriverSupplyReport> _reports = [];

    [Fact]
    public async Task An_available_driver_is_reported_on_going_online_and_then_every_15_s_of_pings_not_on_every_ping()
    {
        var ct = TestContext.Current.CancellationToken;
        using var drivers = Process();
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Start, ct);
        Assert.Equal([(true, Clock.GetUtcNow())], _reports.Select(r => (r.Available, r.At)));

        for (var ping = 1; ping <= 8; ping++)
        {
            Clock.Advance(TimeSpan.FromSeconds(4));
            Assert.True(await drivers.Drivers.UpdateLocationAsync("d1", new GeoPoint(Start.Lat + ping * 0.0003, Start.Lng), null, Clock.GetUtcNow(), ct));
        }

        // Online at 0 s, pings at 4, 8, …, 32 s: reported at 0, 16 and 32 s, each with where the driver was then.
        Assert.Equal([0, 16, 32], _reports.Select(r => (int)(r.At - OnlineAt).TotalSeconds));
        Assert.All(_reports, r => Assert.True(r.Available));
        Assert.Equal(Start.Lat + 4 * 0.0003, _reports[1].Location.Lat, precision: 7);
    }

    [Fact]
    public async Task A_driver_offered_a_trip_is_reported_unavailable_at_once_and_available_again_when_the_offer_expires()
    {
        var ct = TestContext.Current.CancellationToken;
        using var drivers = Process();
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Start, ct);
        // One second later: within the 15 s, so only a change of availability goes out this soon.
        Clock.Advance(TimeSpan.FromSeconds(1));
        await drivers.Dispatcher.StartAsync(new TripCreatedIntegrationEvent("t1", "r1", "economy", Start,
            new GeoPoint(Start.Lat + 0.03, Start.Lng), 1_500, "USD", 5_000, 600, Clock.GetUtcNow()), ct);
        Assert.Equal([true, false], _reports.Select(r => r.Available));
        Assert.Equal(Clock.GetUtcNow(), _reports[^1].At);

        // Pings while offered repeat nothing within the 15 s.
        Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True(await drivers.Drivers.UpdateLocationAsync("d1", Start, null, Clock.GetUtcNow(), ct));
        Assert.Equal(2, _reports.Count);

        // The offer expires unanswered: the driver is released and available again.
        Clock.Advance(new DispatchOptions().OfferTimeout);
        await drivers.Dispatcher.SweepAsync(ct);
        Assert.Equal([true, false, true], _reports.Select(r => r.Available));
    }

    [Fact]
    public async Task Going_offline_is_reported_at_once_from_the_last_position_and_not_before_the_last_ping()
    {
        var ct = TestContext.Current.CancellationToken;
        using var drivers = Process();
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Start, ct);

        // A phone whose clock runs 30 s ahead of the service's: the offline report is not older than its last ping,
        // or trips (which keeps each driver's latest report) would go on counting the driver as available.
        Clock.Advance(TimeSpan.FromSeconds(4));
        var ahead = Clock.GetUtcNow().AddSeconds(30);
        var last = new GeoPoint(Start.Lat + 0.001, Start.Lng);
        Assert.True(await drivers.Drivers.UpdateLocationAsync("d1", last, null, ahead, ct));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await drivers.Drivers.GoOfflineAsync("d1", ct);

        Assert.Equal([true, false], _reports.Select(r => r.Available));
        var offline = _reports[^1];
        Assert.True(offline.At >= ahead, $"Offline reported at {offline.At:T}, before the last ping's {ahead:T}.");
        Assert.Equal(last.Lat, offline.Location.Lat, precision: 7);

        // Back online: available again at once, whatever was reported a moment ago.
        await drivers.Drivers.GoOnlineAsync("d1", "economy", Start, ct);
        Assert.Equal([true, false, true], _reports.Select(r => r.Available));
    }

    private static readonly DateTimeOffset OnlineAt = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private DriversProcess Process() => DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters,
        reportSupply: report => { lock (_reports) _reports.Add(report); });
}
