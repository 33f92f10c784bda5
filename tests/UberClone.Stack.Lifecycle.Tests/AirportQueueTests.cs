using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// An airport queue through the gateway (ADR 0036): drivers entering the lot are told their place live, the airport's
/// pickups go to them first come, first served before a driver nearer the terminal, and a pickup elsewhere to the nearest.
/// </summary>
public sealed class AirportQueueTests(LifecycleStackFixture stack)
{
    private static readonly Point Terminal = LifecycleStackFixture.Airport;
    private static Point Lot(double eastMeters) => Terminal.Offset(LifecycleStackFixture.AirportLotNorth, eastMeters);

    private static Task<JsonObject> PlaceAsync(OnlineDriver driver, int position, int size) =>
        driver.Socket.WaitForAsync("driver.queue", m => m["data"]!["position"]!.GetValue<int>() == position && m["data"]!["size"]!.GetValue<int>() == size);

    [Fact]
    public async Task Drivers_in_the_lot_get_the_airport_pickup_in_the_order_they_came_and_a_pickup_elsewhere_goes_to_the_nearest()
    {
        var client = stack.Client();
        var away = Terminal.Offset(6_000, 0);
        await using var first = await OnlineDriver.StartAsync(client, away);
        await using var second = await OnlineDriver.StartAsync(client, away);
        await using var third = await OnlineDriver.StartAsync(client, away);
        // Nearer the terminal than anyone, but not waiting in the lot.
        await using var nearer = await OnlineDriver.StartAsync(client, Terminal.Offset(100, 0));
        Assert.True(await first.SendLocationAsync(Lot(100)));
        Assert.True(await second.SendLocationAsync(Lot(-100)));
        Assert.True(await third.SendLocationAsync(Lot(0)));
        Assert.True(await nearer.SendLocationAsync(Terminal.Offset(90, 0)));

        var told = await PlaceAsync(second, 2, 3);
        Assert.Equal(("tst", "TST Airport"), (told["data"].Str("queueId"), told["data"].Str("queueName")));
        await PlaceAsync(first, 1, 3);
        var rest = await second.User.GetOkAsync("/api/drivers/me/queue");
        Assert.Equal(("TST Airport", 2, 3), (rest["queue"].Str("name"), rest["queue"]!["position"]!.GetValue<int>(), rest["queue"]!["size"]!.GetValue<int>()));
        Assert.Equal(new JsonObject().ToJsonString(), (await nearer.User.GetOkAsync("/api/drivers/me/queue")).ToJsonString());
        // Support sees it on the driver's state.
        var support = await stack.SupportAsync();
        Assert.Equal("TST Airport", (await support.GetOkAsync($"/api/drivers/{first.Id}"))["queue"].Str("name"));
        // A reload sees it at once: the socket's first message carries it.
        await using (var reloaded = await second.User.ConnectAsync())
        {
            var snapshot = await reloaded.WaitForAsync("snapshot");
            Assert.Equal(2, snapshot["data"]!["driver"]!["queue"]!["position"]!.GetValue<int>());
        }

        var rider = await client.SignInAsync("rider");
        var airportTrip = (await rider.RequestTripAsync(Terminal.Offset(50, 0), Terminal.Offset(-9_000, 0))).Str("tripId");
        await first.OfferAsync(airportTrip);
        Assert.Equal("available", (await nearer.User.GetOkAsync("/api/drivers/me")).Str("state"));

        await first.Socket.SendAsync(new { type = "offer.decline", id = "d1", tripId = airportTrip, reason = "too short" });
        await first.Socket.WaitForAsync("ack", m => m["data"].Str("id") == "d1");
        await second.OfferAsync(airportTrip);
        // Declined: to the back, behind the third.
        await PlaceAsync(first, 3, 3);
        await second.AcceptAsync(airportTrip);
        await PlaceAsync(second, 0, 0); // took a trip: out of the queue
        await PlaceAsync(first, 2, 2);
        await rider.PostOkAsync($"/api/trips/{airportTrip}/cancel", new { reason = "x" });

        // Not an airport pickup: the nearest driver not waiting in the lot, though the lot's drivers are nearer.
        var townTrip = (await rider.RequestTripAsync(Terminal.Offset(3_000, 0), Terminal.Offset(9_000, 0))).Str("tripId");
        await nearer.OfferAsync(townTrip);
        Assert.Equal("available", (await third.User.GetOkAsync("/api/drivers/me")).Str("state"));
        await rider.PostOkAsync($"/api/trips/{townTrip}/cancel", new { reason = "x" });

        // Driving out of the lot: "left the queue", and the third is first.
        Assert.True(await third.SendLocationAsync(away));
        var left = await PlaceAsync(third, 0, 0);
        Assert.Equal("TST Airport", left["data"].Str("queueName"));
        await PlaceAsync(first, 1, 1);
        Assert.Null((await third.User.GetOkAsync("/api/drivers/me/queue"))["queue"]);
    }

    /// <summary>
    /// An airport trip of <paramref name="vehicleClass"/> booked and driven to its end by <paramref name="driver"/>, first of
    /// that class in the queue, to <paramref name="dropoffSouth"/> metres south. (Each test of a pass queues a class of its
    /// own: another test's drivers may still wait in the lot, and places and offers go by class.)
    /// </summary>
    private async Task<string> AirportTripAsync(OnlineDriver driver, double dropoffSouth, string vehicleClass)
    {
        var rider = await stack.Client().SignInAsync("rider");
        var pickup = Terminal.Offset(50, 0);
        var tripId = (await rider.RequestTripAsync(pickup, Terminal.Offset(-dropoffSouth, 0), vehicleClass)).Str("tripId");
        Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));
        return tripId;
    }

    private static Task<JsonObject> AvailableAsync(OnlineDriver driver) =>
        Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");

    [Fact]
    public async Task A_driver_back_from_a_short_airport_trip_in_time_is_offered_the_next_airport_trip_before_one_who_joined_after_them()
    {
        var client = stack.Client();
        var away = Terminal.Offset(6_000, 3_000);
        await using var shortRide = await OnlineDriver.StartAsync(client, away, "comfort");
        await using var longRide = await OnlineDriver.StartAsync(client, away, "comfort");
        await using var later = await OnlineDriver.StartAsync(client, away, "comfort");
        Assert.True(await shortRide.SendLocationAsync(Lot(100)));
        await PlaceAsync(shortRide, 1, 1);
        Assert.True(await longRide.SendLocationAsync(Lot(-100)));
        await PlaceAsync(longRide, 2, 2);

        // The first takes a 3 km trip (short: at most 5 km here), the second a 9 km one; a third joins meanwhile. The short
        // one ends last, so the way back stays well within the 40 s this stack allows (20 s was tight on a loaded machine).
        var shortRider = await client.SignInAsync("rider");
        var pickup = Terminal.Offset(50, 0);
        var shortTrip = (await shortRider.RequestTripAsync(pickup, Terminal.Offset(-3_000, 0), "comfort")).Str("tripId");
        await shortRide.OfferAsync(shortTrip);
        await shortRide.AcceptAsync(shortTrip);
        await AirportTripAsync(longRide, 9_000, "comfort");
        Assert.True(await later.SendLocationAsync(Lot(0)));
        await PlaceAsync(later, 1, 1);
        var pin = (await Http.EventuallyAsync(() => shortRider.GetOkAsync($"/api/trips/{shortTrip}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await shortRide.PostAsync($"/api/trips/{shortTrip}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await shortRide.PostAsync($"/api/trips/{shortTrip}/start", new { pin }).OkAsync();
        await shortRide.PostAsync($"/api/trips/{shortTrip}/complete", new { }).OkAsync();

        // Told at once after completing: come back by the deadline (and the state says so, for a reload).
        var pass = await shortRide.Socket.WaitForAsync("driver.queue", m => m["data"]?["returnBy"] is not null);
        Assert.Equal(("tst", "TST Airport", 0), (pass["data"].Str("queueId"), pass["data"].Str("queueName"), pass["data"]!["position"]?.GetValue<int>() ?? 0));
        Assert.Equal("TST Airport", (await AvailableAsync(shortRide))["returnPass"].Str("name"));
        Assert.Null((await AvailableAsync(longRide))["returnPass"]);
        var support = await stack.SupportAsync();
        Assert.NotNull((await support.GetOkAsync($"/api/drivers/{shortRide.Id}"))["returnPass"]?["until"]);

        // Back in the lot: the short trip's driver at their old place, ahead of the third; the long trip's at the back.
        Assert.True(await shortRide.SendLocationAsync(Lot(100)));
        var kept = await shortRide.Socket.WaitForAsync("driver.queue", m => m["data"]?["placeKept"]?.GetValue<bool>() == true);
        Assert.Equal((1, 2), (kept["data"]!["position"]!.GetValue<int>(), kept["data"]!["size"]!.GetValue<int>()));
        Assert.True(await longRide.SendLocationAsync(Lot(-100)));
        await PlaceAsync(longRide, 3, 3);
        Assert.True((await shortRide.User.GetOkAsync("/api/drivers/me/queue"))["queue"]!["placeKept"]!.GetValue<bool>());
        Assert.Null((await shortRide.User.GetOkAsync("/api/drivers/me"))["returnPass"]);

        var rider = await client.SignInAsync("rider");
        var next = (await rider.RequestTripAsync(Terminal.Offset(50, 0), Terminal.Offset(-9_000, 0), "comfort")).Str("tripId");
        await shortRide.OfferAsync(next);
        await rider.PostOkAsync($"/api/trips/{next}/cancel", new { reason = "x" });
        await shortRide.Socket.WaitForAsync("offer.withdrawn", m => m["data"].Str("tripId") == next);
        foreach (var done in (OnlineDriver[])[shortRide, longRide, later]) await done.User.PostOkAsync("/api/drivers/me/offline", new { });
    }

    [Fact]
    public async Task A_pass_back_from_a_short_airport_trip_is_not_honoured_after_its_deadline()
    {
        var client = stack.Client();
        var away = Terminal.Offset(6_000, -3_000);
        await using var driver = await OnlineDriver.StartAsync(client, away, "premium");
        await using var later = await OnlineDriver.StartAsync(client, away, "premium");
        Assert.True(await driver.SendLocationAsync(Lot(120)));
        await PlaceAsync(driver, 1, 1);
        await AirportTripAsync(driver, 3_000, "premium");
        Assert.True(await later.SendLocationAsync(Lot(-120)));
        await PlaceAsync(later, 1, 1);
        var until = DateTimeOffset.Parse((await AvailableAsync(driver))["returnPass"].Str("until"), System.Globalization.CultureInfo.InvariantCulture);

        await Task.Delay(until - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Null((await driver.User.GetOkAsync("/api/drivers/me"))["returnPass"]);
        Assert.True(await driver.SendLocationAsync(Lot(120)));
        var back = await PlaceAsync(driver, 2, 2);
        Assert.False(back["data"]!["placeKept"]?.GetValue<bool>() ?? false);
        foreach (var done in (OnlineDriver[])[driver, later]) await done.User.PostOkAsync("/api/drivers/me/offline", new { });
    }
}
