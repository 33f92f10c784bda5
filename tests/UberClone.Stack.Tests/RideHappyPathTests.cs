using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Tests;

/// <summary>The spine: a rider's request reaches the nearest driver and the driver's acceptance reaches the rider, all through Kafka.</summary>
public sealed class RideHappyPathTests(StackFixture stack)
{
    [Fact]
    public async Task Rider_request_reaches_the_nearest_driver_and_the_acceptance_reaches_the_rider()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var near = await client.SignInAsync("driver", "Near");
        var far = await client.SignInAsync("driver", "Far");
        var rider = await client.SignInAsync("rider", "Rita");
        await using var nearSocket = await near.ConnectAsync();
        await using var farSocket = await far.ConnectAsync();
        await using var riderSocket = await rider.ConnectAsync();

        await far.GoOnlineAsync(city.Offset(2_000, 0));
        await near.GoOnlineAsync(city.Offset(300, 0));
        await nearSocket.SendAsync(new { type = "location", id = "l1", lat = city.Offset(250, 0).Lat, lng = city.Lng, accuracy = 8 });
        await nearSocket.WaitForAsync("ack", m => m["data"].Str("id") == "l1");

        var trip = await rider.RequestTripAsync(city, city.Offset(-3_000, 2_000));
        var tripId = trip.Str("tripId");
        Assert.Equal("searching", trip.Str("status"));

        var offer = await nearSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(near.UserId, offer["data"].Str("driverId"));
        Assert.Equal(trip["distanceMeters"]!.GetValue<int>(), offer["data"]!["tripDistanceMeters"]!.GetValue<int>());
        Assert.Equal(trip["durationSeconds"]!.GetValue<int>(), offer["data"]!["tripDurationSeconds"]!.GetValue<int>());
        // The driver's state holds the offer as the app shows it (a reload shows it again).
        var pending = (await near.GetOkAsync("/api/drivers/me"))["offer"]!;
        Assert.Equal(offer["data"].Str("offerId"), pending.Str("offerId"));
        Assert.Equal(trip["fare"]!["amountMinor"]!.ToString(), pending["fare"]!["amountMinor"]!.ToString());
        Assert.Equal(offer["data"]!["pickupDistanceMeters"]!.GetValue<int>(), pending["pickupDistanceMeters"]!.GetValue<int>());
        Assert.Equal(trip["distanceMeters"]!.GetValue<int>(), pending["tripDistanceMeters"]!.GetValue<int>());
        Assert.Equal("economy", pending.Str("vehicleClass"));
        Assert.DoesNotContain(farSocket.Received, m => m.Str("type") == "offer");

        await nearSocket.SendAsync(new { type = "offer.accept", id = "a1", tripId });
        await nearSocket.WaitForAsync("ack", m => m["data"].Str("id") == "a1");

        var assigned = await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(near.UserId, assigned["data"].Str("driverId"));

        var stored = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal("driver_assigned", stored.Str("status"));
        Assert.Equal(near.UserId, stored["driver"].Str("driverId"));
        var card = await rider.GetOkAsync($"/api/trips/{tripId}/driver");
        Assert.Equal("Near", card.Str("name"));
        Assert.Equal("Toyota", card["vehicle"].Str("make"));
        Assert.StartsWith("TEST-", card["vehicle"].Str("plate"));
        var stranger = await stack.Client().SignInAsync("rider");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/trips/{tripId}/driver")).StatusCode);

        var driverView = await near.GetOkAsync("/api/drivers/me");
        Assert.Equal("on_trip", driverView.Str("state"));
        Assert.Equal(tripId, driverView.Str("currentTripId"));
    }

    [Fact]
    public async Task Driver_who_declines_is_not_offered_again_and_the_next_driver_gets_the_trip()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var first = await client.SignInAsync("driver");
        var second = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await using var firstSocket = await first.ConnectAsync();
        await using var secondSocket = await second.ConnectAsync();
        await first.GoOnlineAsync(city.Offset(200, 0));
        await second.GoOnlineAsync(city.Offset(900, 0));

        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");
        await firstSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
        await firstSocket.SendAsync(new { type = "offer.decline", id = "d1", tripId, reason = "too far" });
        await firstSocket.WaitForAsync("ack", m => m["data"].Str("id") == "d1");

        var offer = await secondSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(second.UserId, offer["data"].Str("driverId"));
        Assert.Equal("available", (await first.GetOkAsync("/api/drivers/me")).Str("state"));
        Assert.Single(firstSocket.Received, m => m.Str("type") == "offer");
    }

    [Fact]
    public async Task Accepting_an_offer_that_was_never_made_is_refused_on_the_socket()
    {
        var client = stack.Client();
        var driver = await client.SignInAsync("driver");
        await using var socket = await driver.ConnectAsync();
        await driver.GoOnlineAsync(Point.FreshCity());

        await socket.SendAsync(new { type = "offer.accept", id = "x", tripId = "t0123456789" });

        var error = await socket.WaitForAsync("error", m => m["data"].Str("id") == "x");
        Assert.Equal("not_found", error["data"].Str("code"));
    }
}
