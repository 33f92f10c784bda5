using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>
/// What a rider's or driver's app does over REST, through the gateway only. <paramref name="operatorPassword"/>: the
/// support desk's (the AppHost's operator-password parameter; its Development value by default), with which drivers
/// signed up here are approved to drive.
/// </summary>
public sealed class PlatformClient(Uri gateway, string? operatorPassword = null)
{
    /// <summary>The AppHost's operator-password in Development (appsettings.Development.json), which the test stacks run in.</summary>
    public const string DevelopmentOperatorPassword = "support-desk-local";

    public const string OperatorEmail = "ops@uberclone.local";

    /// <summary>One support session per gateway for the whole run: the gateway allows an account few sign-ins a minute.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Uri, Lazy<Task<UserSession>>> Desks = new();

    public Uri Gateway { get; } = gateway;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Signs up a fresh account (random email and password) of the role and returns its session. A driver is approved
    /// to drive every vehicle class (documents sent, support approves: ADR 0022) unless <paramref name="approved"/> is false.
    /// </summary>
    public async Task<UserSession> SignInAsync(string role, string? name = null, bool approved = true)
    {
        var email = $"{role}-{Guid.NewGuid():N}@test.uberclone.dev";
        var vehicle = role == "driver" ? new { make = "Toyota", model = "Prius", plate = "TEST-" + Random.Shared.Next(1000, 9999), colour = "white", @class = "economy" } : null;
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var response = await Http.PostAsJsonAsync("/api/auth/signup", new { email, password, role, name = name ?? role, vehicle });
        var body = await ReadAsync(response);
        var session = new UserSession(this, body["userId"]!.GetValue<string>(), role, body["accessToken"]!.GetValue<string>()) { Email = email, Password = password };
        if (role == "driver" && approved) await ApproveAsync(session, "economy", "comfort", "xl", "premium");
        return session;
    }

    /// <summary>What a driver sends to be approved: a licence and an insurance valid two more years, a 2019 car.</summary>
    public static object Documents(int vehicleYear = 2019) => new
    {
        licenceNumber = "DL-" + Random.Shared.Next(100000, 999999),
        licenceExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd"),
        insurancePolicy = "INS-" + Random.Shared.Next(100000, 999999),
        insuranceExpiresOn = DateTime.UtcNow.AddYears(2).AddDays(30).ToString("yyyy-MM-dd"),
        vehicleYear,
    };

    /// <summary>The driver sends documents and support approves them for <paramref name="classes"/>; the approval as support sees it.</summary>
    public async Task<JsonObject> ApproveAsync(UserSession driver, params string[] classes)
    {
        await ReadAsync(await driver.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", JsonContent.Create(Documents())));
        return await ReadAsync(await (await DeskAsync()).PostAsync($"/api/ops/users/{driver.UserId}/driver-approval/approve", new { classes }));
    }

    /// <summary>The support desk's session on this gateway (its account is made just after the gateway starts: retried).</summary>
    public Task<UserSession> DeskAsync() => Desks.GetOrAdd(Gateway, _ => new Lazy<Task<UserSession>>(SignInDeskAsync)).Value;

    private async Task<UserSession> SignInDeskAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(70);
        while (true)
        {
            using var response = await Http.PostAsJsonAsync("/api/auth/signin", new { email = OperatorEmail, password = operatorPassword ?? DevelopmentOperatorPassword });
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                var body = await ReadAsync(response);
                return new UserSession(this, body["userId"]!.GetValue<string>(), "operator", body["accessToken"]!.GetValue<string>());
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
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

    public Task<HttpResponseMessage> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, JsonContent.Create(body));

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client.Http.SendAsync(request);
    }

    public async Task<JsonObject> PostOkAsync(string path, object body) => await PlatformClient.ReadAsync(await PostAsync(path, body));

    public async Task<JsonObject> PutOkAsync(string path, object body) => await PlatformClient.ReadAsync(await PutAsync(path, body));

    public async Task<JsonObject> GetOkAsync(string path) => await PlatformClient.ReadAsync(await GetAsync(path));

    public Task<RealtimeClient> ConnectAsync() => RealtimeClient.ConnectAsync(client.Gateway, Token);

    public Task<JsonObject> GoOnlineAsync(Point at, string vehicleClass = "economy") =>
        PostOkAsync("/api/drivers/me/online", new { vehicleClass, location = new { lat = at.Lat, lng = at.Lng } });

    public async Task<JsonObject> RequestTripAsync(Point pickup, Point dropoff, string vehicleClass = "economy") =>
        await PlatformClient.ReadAsync(await BookAsync(pickup, dropoff, vehicleClass));

    /// <summary>Quote and book, the booking's answer as it came (a refusal is a problem, not an exception).</summary>
    public async Task<HttpResponseMessage> BookAsync(Point pickup, Point dropoff, string vehicleClass = "economy")
    {
        var quote = await PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        return await PostAsync("/api/trips", new { quoteId = quote["quoteId"]!.GetValue<string>(), vehicleClass });
    }
}

public static class Json
{
    public static string Str(this JsonNode? node, string property) =>
        node?[property]?.GetValue<string>() ?? throw new InvalidOperationException($"'{property}' missing in {node?.ToJsonString()}");

    public static JsonObject Parse(string text) => JsonNode.Parse(text)!.AsObject();

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
