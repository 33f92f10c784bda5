using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests.Support;

/// <summary>A driver online in a test's own city with an open socket.</summary>
public sealed record OnlineDriver(UserSession User, RealtimeClient Socket) : IAsyncDisposable
{
    public string Id => User.UserId;

    public static async Task<OnlineDriver> StartAsync(PlatformClient client, Point at, string vehicleClass = "economy")
    {
        var user = await client.SignInAsync("driver");
        var socket = await user.ConnectAsync();
        await user.GoOnlineAsync(at, vehicleClass);
        return new OnlineDriver(user, socket);
    }

    public Task<JsonObject> OfferAsync(string tripId, TimeSpan? timeout = null) =>
        Socket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId, timeout);

    public async Task AcceptAsync(string tripId)
    {
        var id = "a-" + Guid.NewGuid().ToString("N");
        await Socket.SendAsync(new { type = "offer.accept", id, tripId });
        await Socket.WaitForAsync("ack", m => m["data"].Str("id") == id);
    }

    /// <summary>Sends a position and waits for its ack; pings closer than the rate limit are spaced out.</summary>
    public async Task<bool> SendLocationAsync(Point at)
    {
        await Task.Delay(250);
        var id = "l-" + Guid.NewGuid().ToString("N");
        await Socket.SendAsync(new { type = "location", id, lat = at.Lat, lng = at.Lng, accuracy = 5 });
        var ack = await Socket.WaitForAsync("ack", m => m["data"].Str("id") == id);
        return ack["data"]!["result"]!["accepted"]!.GetValue<bool>();
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => User.PostAsync(path, body);

    public ValueTask DisposeAsync() => Socket.DisposeAsync();
}

/// <summary>A trip its driver accepted, in a city of its own: the rider (with an open socket), the driver, the route.</summary>
public sealed record AssignedTrip(UserSession Rider, RealtimeClient RiderSocket, OnlineDriver Driver, string TripId, Point Pickup, Point Dropoff)
    : IAsyncDisposable
{
    /// <summary>A driver online 600 m from the pickup accepts a rider's trip of about 3.6 km; the rider's socket has seen it.</summary>
    public static async Task<AssignedTrip> StartAsync(PlatformClient client)
    {
        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(-3_000, 2_000);
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(600, 0));
        var rider = await client.SignInAsync("rider");
        var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, dropoff)).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        return new AssignedTrip(rider, riderSocket, driver, tripId, pickup, dropoff);
    }

    public async ValueTask DisposeAsync()
    {
        await RiderSocket.DisposeAsync();
        await Driver.DisposeAsync();
    }
}

/// <summary>Whole rides, for tests that need one behind them.</summary>
public static class Rides
{
    /// <summary>What a new user does with the code mailed at sign-up: receipts and ride notices are mailed only then.</summary>
    public static async Task ConfirmEmailAsync(UserSession user, FakeMailbox mailbox) =>
        Assert.True((await user.PostOkAsync("/api/auth/me/email/verify", new { code = await mailbox.ConfirmationCodeForAsync(user.Email) }))["emailVerified"]!.GetValue<bool>());

    /// <summary>What the rider's browser does on the sandbox checkout page: press Pay or Decline (a form POST).</summary>
    public static async Task PayAsync(UserSession rider, JsonObject session, string choice)
    {
        var checkout = session["data"].Str("checkoutUrl");
        using var response = await rider.SendAsync(HttpMethod.Post, $"{checkout}/{choice}", new FormUrlEncodedContent([]));
        Assert.True((int)response.StatusCode < 400, $"{choice} on {checkout}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A trip driven from request to completed: assign, arrive at the pickup, start with the rider's PIN, complete.</summary>
    public static async Task<(UserSession Rider, RealtimeClient RiderSocket, OnlineDriver Driver, string TripId)> CompletedAsync(PlatformClient client)
    {
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        var completed = await DriveAsync(rider, driver, tripId, pickup);
        Assert.Equal("completed", completed.Str("status"));
        return (rider, riderSocket, driver, tripId);
    }

    /// <summary>
    /// A booked trip driven to its end by <paramref name="driver"/> (near the pickup): offered, accepted, arrived, started
    /// with the rider's PIN, completed; the driver's last answer. <paramref name="timeout"/>: how long the offer and the PIN
    /// may take (20 s each when not given).
    /// </summary>
    public static async Task<JsonObject> DriveAsync(UserSession rider, OnlineDriver driver, string tripId, Point pickup, TimeSpan? timeout = null)
    {
        await driver.OfferAsync(tripId, timeout);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]), timeout)).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        return await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
    }
}

public static class Http
{
    public static async Task<JsonObject> ProblemAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return Json.Parse(text);
    }

    public static async Task<JsonObject> OkAsync(this Task<HttpResponseMessage> call) => await PlatformClient.ReadAsync(await call);

    /// <summary>Polls until the condition holds or the deadline passes (state that settles through Kafka).</summary>
    public static async Task<JsonObject> EventuallyAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var current = await read();
            if (condition(current)) return current;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Condition not met in time; last: {current.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
