using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>Nothing is lost by connecting late, reconnecting, or an event arriving before the socket: the snapshot comes first.</summary>
public sealed class RealtimeDeliveryTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task A_driver_who_connects_after_the_offer_was_sent_gets_it_in_the_snapshot()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await driver.GoOnlineAsync(city.Offset(150, 0));

        var tripId = (await rider.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");
        await Eventually.Async(async () => (await driver.GetOkAsync("/api/drivers/me"))["offer"]?["tripId"]?.GetValue<string>() == tripId, "the offer is made");

        await using var late = await driver.ConnectAsync();
        var snapshot = await late.WaitForAsync("snapshot");

        Assert.Equal("snapshot", late.Received[0].Str("type"));
        Assert.Equal(tripId, snapshot["data"]!["offer"].Str("tripId"));
        Assert.NotEmpty(snapshot["data"]!["offer"].Str("expiresAt"));
        Assert.Equal("offered", snapshot["data"]!["driver"].Str("state"));
        Assert.Empty(snapshot["data"]!["unavailable"]!.AsArray());
    }

    [Fact]
    public async Task A_rider_who_reconnects_gets_the_current_trip_first_then_live_events_on_every_socket()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await using var driverSocket = await driver.ConnectAsync();
        await driver.GoOnlineAsync(city.Offset(150, 0));
        var tripId = (await rider.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");
        await driverSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);

        // The rider was offline while the driver accepted: the assignment happened before these sockets existed.
        await driverSocket.SendAsync(new { type = "offer.accept", id = "a1", tripId });
        await driverSocket.WaitForAsync("ack", m => m["data"].Str("id") == "a1");
        await Eventually.Async(async () => (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("status") == "driver_assigned", "the trip is assigned");

        await using var phone = await SnapshotSockets.ConnectWithEveryServiceAsync(rider);
        await using var laptop = await SnapshotSockets.ConnectWithEveryServiceAsync(rider);
        foreach (var socket in new[] { phone, laptop })
        {
            var snapshot = await socket.WaitForAsync("snapshot");
            Assert.Equal("snapshot", socket.Received[0].Str("type"));
            Assert.Equal(tripId, snapshot["data"]!["trip"].Str("tripId"));
            Assert.Equal("driver_assigned", snapshot["data"]!["trip"].Str("status"));
            Assert.Equal(driver.UserId, snapshot["data"]!["trip"]!["driver"].Str("driverId"));
        }

        // Live events after the snapshot reach both of the rider's sockets, numbered after it.
        await driverSocket.SendAsync(new { type = "location", id = "l1", lat = city.Offset(100, 0).Lat, lng = city.Lng, accuracy = 5 });
        foreach (var socket in new[] { phone, laptop })
        {
            var moved = await socket.WaitForAsync("driver.location");
            Assert.True(moved["seq"]!.GetValue<long>() > socket.Received[0]["seq"]!.GetValue<long>());
        }
    }
}

public static class SnapshotSockets
{
    /// <summary>
    /// A socket whose snapshot every service answered: under a loaded machine a service can miss the snapshot's deadline
    /// (by design it is then listed as "unavailable" rather than holding the socket back), and a client reconnects.
    /// </summary>
    public static async Task<RealtimeClient> ConnectWithEveryServiceAsync(UserSession user)
    {
        for (var attempt = 1; ; attempt++)
        {
            var socket = await user.ConnectAsync();
            var snapshot = await socket.WaitForAsync("snapshot");
            if (snapshot["data"]!["unavailable"]!.AsArray().Count == 0 || attempt == 3) return socket;
            await socket.DisposeAsync();
        }
    }
}

public static class Eventually
{
    /// <summary>Polls until the condition holds, failing at the deadline instead of hanging.</summary>
    public static async Task Async(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not true within {timeout ?? TimeSpan.FromSeconds(20)}: {what}.");
            await Task.Delay(100);
        }
    }
}
