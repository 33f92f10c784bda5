using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>What a rider's or driver's app does over REST, through the gateway only.</summary>
public sealed class PlatformClient(Uri gateway)
{
    public Uri Gateway { get; } = gateway;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Signs up a fresh account (random email and password) of the role and returns its session.</summary>
    public async Task<UserSession> SignInAsync(string role, string? name = null)
    {
        var email = $"{role}-{Guid.NewGuid():N}@test.uberclone.dev";
        var vehicle = role == "driver" ? new { make = "Toyota", model = "Prius", plate = "TEST-" + Random.Shared.Next(1000, 9999), colour = "white", @class = "economy" } : null;
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var response = await Http.PostAsJsonAsync("/api/auth/signup", new { email, password, role, name = name ?? role, vehicle });
        var body = await ReadAsync(response);
        return new UserSession(this, body["userId"]!.GetValue<string>(), role, body["accessToken"]!.GetValue<string>()) { Email = email, Password = password };
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        }
        return JsonNode.Parse(text)!.AsObject();
    }
}

public sealed record Point(double Lat, double Lng)
{
    /// <summary>A point about <paramref name="northMeters"/> north and <paramref name="eastMeters"/> east of this one.</summary>
    public Point Offset(double northMeters, double eastMeters) =>
        new(Lat + northMeters / 111_195, Lng + eastMeters / (111_195 * Math.Cos(Lat * Math.PI / 180)));

    /// <summary>A city of its own for a test, far from every other test's drivers.</summary>
    public static Point FreshCity() => new(-40 + Random.Shared.NextDouble() * 100, -150 + Random.Shared.NextDouble() * 300);
}

public sealed class UserSession(PlatformClient client, string userId, string role, string token)
{
    public string UserId { get; } = userId;
    public string Role { get; } = role;
    public string Token { get; } = token;

    /// <summary>What the account was signed up with (empty for sessions made otherwise).</summary>
    public string Email { get; init; } = "";

    public string Password { get; init; } = "";

    public Task<HttpResponseMessage> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client.Http.SendAsync(request);
    }

    public async Task<JsonObject> PostOkAsync(string path, object body) => await PlatformClient.ReadAsync(await PostAsync(path, body));

    public async Task<JsonObject> GetOkAsync(string path) => await PlatformClient.ReadAsync(await GetAsync(path));

    public Task<RealtimeClient> ConnectAsync() => RealtimeClient.ConnectAsync(client.Gateway, Token);

    public Task<JsonObject> GoOnlineAsync(Point at, string vehicleClass = "economy") =>
        PostOkAsync("/api/drivers/me/online", new { vehicleClass, location = new { lat = at.Lat, lng = at.Lng } });

    public async Task<JsonObject> RequestTripAsync(Point pickup, Point dropoff, string vehicleClass = "economy")
    {
        var quote = await PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        return await PostOkAsync("/api/trips", new { quoteId = quote["quoteId"]!.GetValue<string>(), vehicleClass });
    }
}

public static class Json
{
    public static string Str(this JsonNode? node, string property) =>
        node?[property]?.GetValue<string>() ?? throw new InvalidOperationException($"'{property}' missing in {node?.ToJsonString()}");

    public static JsonObject Parse(string text) => JsonNode.Parse(text)!.AsObject();

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
