using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>Dispatch through the whole stack: timeouts, giving up, cancellation and racing riders.</summary>
public sealed class DispatchTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Driver_who_lets_the_offer_time_out_is_released_and_the_next_driver_gets_the_trip()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var sleepy = await OnlineDriver.StartAsync(client, city.Offset(200, 0));
        await using var next = await OnlineDriver.StartAsync(client, city.Offset(800, 0));
        var rider = await client.SignInAsync("rider");

        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");
        var first = await sleepy.OfferAsync(tripId);
        var second = await next.OfferAsync(tripId, LifecycleStackFixture.OfferTimeout + TimeSpan.FromSeconds(10));

        Assert.Equal(next.Id, second["data"].Str("driverId"));
        Assert.True(DateTimeOffset.Parse(first["data"].Str("expiresAt")) <= DateTimeOffset.UtcNow);
        var sleepyNow = await sleepy.User.GetOkAsync("/api/drivers/me");
        Assert.Equal("available", sleepyNow.Str("state"));
        // A missed offer counts against the driver's acceptance rate (what they and support see).
        Assert.Equal((0, 1, 1), (sleepyNow["offers"]?["accepted"]?.GetValue<int>() ?? 0, sleepyNow["offers"]!["missed"]!.GetValue<int>(), sleepyNow["offers"]!["counted"]!.GetValue<int>()));
        Assert.Equal(0, sleepyNow["offers"]?["acceptanceRate"]?.GetValue<double>() ?? 0);
        // The sleepy driver's screen is told the offer is gone and why.
        var withdrawn = await sleepy.Socket.WaitForAsync("offer.withdrawn", m => m["data"].Str("tripId") == tripId);
        Assert.Contains("expired", withdrawn["data"].Str("reason"));

        await sleepy.Socket.SendAsync(new { type = "offer.accept", id = "late", tripId });
        var refused = await sleepy.Socket.WaitForAsync("error", m => m["data"].Str("id") == "late");
        Assert.Equal("failed_precondition", refused["data"].Str("code"));
        Assert.Contains(tripId, refused["data"].Str("message"));
        Assert.Single(sleepy.Socket.Received, m => m.Str("type") == "offer");

        await next.AcceptAsync(tripId);
        var nextNow = await next.User.GetOkAsync("/api/drivers/me");
        Assert.Equal((1, 1.0), (nextNow["offers"]!["accepted"]!.GetValue<int>(), nextNow["offers"]!["acceptanceRate"]!.GetValue<double>()));
        var support = await stack.SupportAsync();
        Assert.Equal(1, (await support.GetOkAsync($"/api/drivers/{sleepy.Id}"))["offers"]!["missed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Nobody_nearby_ends_the_search_with_no_drivers_found()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var tooFar = await OnlineDriver.StartAsync(client, city.Offset(25_000, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();

        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");

        await riderSocket.WaitForAsync("trip.no_drivers_found", m => m["data"].Str("tripId") == tripId,
            LifecycleStackFixture.SearchTimeout + TimeSpan.FromSeconds(15));
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "no_drivers_found");
        Assert.DoesNotContain(tooFar.Socket.Received, m => m.Str("type") == "offer");
    }

    [Fact]
    public async Task Rider_who_cancels_while_searching_stops_the_search_and_the_drivers_offer_is_withdrawn()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, city.Offset(300, 0));
        var rider = await client.SignInAsync("rider");

        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");
        await driver.OfferAsync(tripId);
        var cancelled = await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "plans changed" });

        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal(0, cancelled["cancellation"]!["fee"]!["amountMinor"]?.GetValue<long>() ?? 0);
        var withdrawn = await driver.Socket.WaitForAsync("offer.withdrawn", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(driver.Id, withdrawn["data"].Str("driverId"));
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");

        await driver.Socket.SendAsync(new { type = "offer.accept", id = "after-cancel", tripId });
        await driver.Socket.WaitForAsync("error", m => m["data"].Str("id") == "after-cancel");
        await Task.Delay(LifecycleStackFixture.OfferTimeout, TestContext.Current.CancellationToken);
        Assert.Single(driver.Socket.Received, m => m.Str("type") == "offer");
    }

    [Fact]
    public async Task Two_riders_racing_for_the_one_nearby_driver_never_share_them()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, city.Offset(150, 0));
        var riders = await Task.WhenAll(client.SignInAsync("rider"), client.SignInAsync("rider"));

        var trips = await Task.WhenAll(riders.Select(r => r.RequestTripAsync(city.Offset(50, 50), city.Offset(3_000, 0))));
        var tripIds = trips.Select(t => t.Str("tripId")).ToArray();
        var offer = await driver.Socket.WaitForAsync("offer", m => tripIds.Contains(m["data"].Str("tripId")));
        var won = offer["data"].Str("tripId");
        await driver.AcceptAsync(won);

        var lost = tripIds.Single(id => id != won);
        var loser = riders[Array.IndexOf(tripIds, lost)];
        var winner = riders[Array.IndexOf(tripIds, won)];
        await Http.EventuallyAsync(() => winner.GetOkAsync($"/api/trips/{won}"), t => t.Str("status") == "driver_assigned");
        var lostTrip = await Http.EventuallyAsync(() => loser.GetOkAsync($"/api/trips/{lost}"), t => t.Str("status") == "no_drivers_found",
            LifecycleStackFixture.SearchTimeout + TimeSpan.FromSeconds(15));
        Assert.Null(lostTrip["driver"]);
        Assert.DoesNotContain(driver.Socket.Received, m => m.Str("type") == "offer" && m["data"].Str("tripId") == lost);
    }

    [Fact]
    public async Task Driver_who_gives_up_an_assigned_trip_is_replaced_by_another_driver()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var quitter = await OnlineDriver.StartAsync(client, city.Offset(200, 0));
        await using var replacement = await OnlineDriver.StartAsync(client, city.Offset(900, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();

        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");
        await quitter.OfferAsync(tripId);
        await quitter.AcceptAsync(tripId);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "driver_assigned");

        var back = await quitter.PostAsync($"/api/trips/{tripId}/cancel", new { reason = "flat tyre" }).OkAsync();
        Assert.Equal("searching", back.Str("status"));
        await riderSocket.WaitForAsync("trip.driver_cancelled", m => m["data"].Str("tripId") == tripId);
        // The rider's trip says why it is searching again (a screen rebuilt after a reload still can).
        Assert.True((await rider.GetOkAsync($"/api/trips/{tripId}"))["searchingAgain"]!.GetValue<bool>());

        var offer = await replacement.OfferAsync(tripId);
        Assert.Equal(replacement.Id, offer["data"].Str("driverId"));
        await replacement.AcceptAsync(tripId);
        var reassigned = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "driver_assigned");
        Assert.Equal(replacement.Id, reassigned["driver"].Str("driverId"));
        Assert.False(reassigned["searchingAgain"]?.GetValue<bool>() ?? false);
        Assert.Equal("available", (await quitter.User.GetOkAsync("/api/drivers/me")).Str("state"));
        Assert.Single(quitter.Socket.Received, m => m.Str("type") == "offer");

        // Both drivers find the trip in their history: the one who gave it up sees that, and not who drives it now.
        var quitterHistory = await Http.EventuallyAsync(() => quitter.User.GetOkAsync("/api/trips"),
            h => h["trips"]?.AsArray().Any(t => t.Str("tripId") == tripId) == true);
        var givenUp = quitterHistory["trips"]!.AsArray().Single(t => t.Str("tripId") == tripId)!;
        Assert.True(givenUp["givenUpByYou"]!.GetValue<bool>());
        Assert.Null(givenUp["driver"]);
        Assert.True(string.IsNullOrEmpty((string?)givenUp["riderId"]));
        var driven = (await replacement.User.GetOkAsync("/api/trips"))["trips"]!.AsArray().Single(t => t.Str("tripId") == tripId)!;
        Assert.False(driven["givenUpByYou"]?.GetValue<bool>() ?? false);
        Assert.Equal(replacement.Id, driven["driver"].Str("driverId"));
    }

    [Fact]
    public async Task A_driver_whose_phone_goes_silent_is_taken_offline_and_their_screen_says_why()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        await using var silent = await OnlineDriver.StartAsync(client, city.Offset(200, 0));
        await using var pinging = await OnlineDriver.StartAsync(client, city.Offset(400, 0));

        var offline = silent.Socket.WaitForAsync("driver.offline", timeout: LifecycleStackFixture.OfflineAfterSilence + TimeSpan.FromSeconds(30));
        while (!offline.IsCompleted)
        {
            Assert.True(await pinging.SendLocationAsync(city.Offset(400, 0)));
            await Task.WhenAny(offline, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        }
        var reason = (await offline)["data"].Str("reason");

        Assert.Contains("no location from your phone for 45 seconds", reason);
        var me = await silent.User.GetOkAsync("/api/drivers/me");
        Assert.Equal("offline", me.Str("state"));
        Assert.Equal(reason, me.Str("offlineReason"));
        Assert.Equal("available", (await pinging.User.GetOkAsync("/api/drivers/me")).Str("state"));

        var back = await silent.User.GoOnlineAsync(city.Offset(200, 0));
        Assert.Equal("available", back.Str("state"));
        Assert.True(string.IsNullOrEmpty(back["offlineReason"]?.GetValue<string>()));
    }
}
