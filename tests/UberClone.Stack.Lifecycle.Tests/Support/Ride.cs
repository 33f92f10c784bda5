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
