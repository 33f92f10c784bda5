using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// The driving limit through the gateway (ADR 0026): the driver's state says how long they have been online in this
/// working period, of the 12 hours allowed before a 6-hour rest, and a short break pauses the count without resetting it.
/// (Reaching the limit itself is driven with a fake clock in the drivers service's tests.)
/// </summary>
public sealed class DrivingLimitTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task The_drivers_state_counts_their_time_online_and_a_break_pauses_it()
    {
        var at = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(stack.Client(), at);

        var online = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => Seconds(d, "onlineSeconds") >= 2);
        Assert.Equal((43_200L, 21_600L), (Seconds(online, "maxOnlineSeconds"), Seconds(online, "restSeconds")));
        Assert.True(string.IsNullOrEmpty((string?)online["restsUntil"])); // not resting

        var offline = await driver.User.PostOkAsync("/api/drivers/me/offline", new { });
        var paused = Seconds(offline, "onlineSeconds");
        Assert.True(paused >= 2, $"{paused} s");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(paused, Seconds(await driver.User.GetOkAsync("/api/drivers/me"), "onlineSeconds")); // a break: not counted, not reset

        await driver.User.PostOkAsync("/api/drivers/me/online", new { vehicleClass = "economy", location = new { lat = at.Lat, lng = at.Lng } });
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => Seconds(d, "onlineSeconds") >= paused + 1);
    }

    [Fact]
    public async Task A_driver_who_stops_new_requests_during_a_trip_finishes_it_then_is_offline_and_offered_nothing_more()
    {
        var client = stack.Client();
        await using var trip = await AssignedTrip.StartAsync(client);
        var driver = trip.Driver;

        // The end of the shift: "Stop new requests" during the trip (the app's offline button), taken back, then again —
        // and the driver's other device (a second socket: another tab, another phone) is told each time, at once.
        await using var otherDevice = await driver.User.ConnectAsync();
        await otherDevice.WaitForAsync("snapshot"); // connected: what comes from now on reaches it
        var stopping = await driver.User.PostOkAsync("/api/drivers/me/offline", new { });
        Assert.Equal(("on_trip", true), (stopping.Str("state"), stopping["offlineAfterTrip"]!.GetValue<bool>()));
        foreach (var socket in new[] { otherDevice, driver.Socket })
        {
            await socket.WaitForAsync("driver.state", m => m["data"].Str("state") == "on_trip" && m["data"]!["offlineAfterTrip"]!.GetValue<bool>());
        }
        var keeping = await driver.User.PostOkAsync("/api/drivers/me/online", new { vehicleClass = "economy" });
        Assert.False(keeping["offlineAfterTrip"]!.GetValue<bool>());
        var kept = await otherDevice.WaitForAsync("driver.state", m => !m["data"]!["offlineAfterTrip"]!.GetValue<bool>());
        Assert.Equal((driver.Id, "on_trip"), (kept["data"].Str("driverId"), kept["data"].Str("state")));
        await driver.User.PostOkAsync("/api/drivers/me/offline", new { });
        await otherDevice.WaitForAsync("driver.state", m => m["data"]!["offlineAfterTrip"]!.GetValue<bool>() && m["data"]!["revision"]!.GetValue<long>() > kept["data"]!["revision"]!.GetValue<long>());
        Assert.True((await driver.User.GetOkAsync("/api/drivers/me"))["offlineAfterTrip"]!.GetValue<bool>());
        // Support sees it on the driver's state, without a reason of the service's (the driver chose it).
        var seen = await (await stack.SupportAsync()).GetOkAsync($"/api/drivers/{driver.Id}");
        Assert.True(seen["offlineAfterTrip"]!.GetValue<bool>());
        Assert.True(string.IsNullOrEmpty((string?)seen["offlineAfterTripReason"]));

        var pin = (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}")).Str("pin");
        await driver.PostAsync($"/api/trips/{trip.TripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{trip.TripId}/start", new { pin }).OkAsync();
        await driver.PostAsync($"/api/trips/{trip.TripId}/complete", new { }).OkAsync();

        // Offline once the trip ended, by their own choice (no reason given), and a rider booking next to them finds nobody.
        var after = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "offline");
        Assert.True(string.IsNullOrEmpty((string?)after["offlineReason"]));
        var next = await client.SignInAsync("rider");
        var nextTrip = (await next.RequestTripAsync(trip.Pickup, trip.Dropoff)).Str("tripId");
        await Assert.ThrowsAsync<TimeoutException>(() => driver.Socket.WaitForAsync("offer", m => m["data"].Str("tripId") == nextTrip, TimeSpan.FromSeconds(3)));
        await next.PostAsync($"/api/trips/{nextTrip}/cancel", new { reason = "nobody near" }).OkAsync();
    }

    /// <summary>Proto JSON writes int64 as a string and leaves 0 out.</summary>
    private static long Seconds(System.Text.Json.Nodes.JsonObject driver, string field) => driver[field] is { } value ? long.Parse(value.ToString()) : 0;
}
