using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace UberClone.Gateway.Tests;

public sealed class AccessTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/api/auth/me" },
        { "POST", "/api/trips/quotes" },
        { "POST", "/api/trips" },
        { "GET", "/api/trips/active" },
        { "GET", "/api/trips/t123" },
        { "GET", "/api/drivers/me" },
        { "POST", "/api/drivers/me/location" },
        { "POST", "/api/drivers/me/offers/t123/accept" },
        { "GET", "/api/payments/trips/t123" },
        { "GET", "/api/no-such-route" },
        { "GET", "/ws" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_a_valid_token_every_route_is_401_problem(string method, string path)
    {
        foreach (var token in new string?[] { null, "not-a-jwt", ForeignToken() })
        {
            using var client = gateway.CreateClient();
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", null, "application/json") : null };
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("https://uberclone.dev/problems/unauthenticated", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Health_and_the_api_description_are_open(string path)
    {
        using var client = gateway.CreateClient();
        var response = await client.GetAsync(path);

        // Health may report Unhealthy here (no Kafka behind this test gateway); what matters is that it needs no token.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
    }

    [Fact]
    public async Task OpenApi_document_describes_the_gateway_and_the_proxied_routes()
    {
        using var client = gateway.CreateClient();
        var json = await client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/auth/signup", "/api/auth/signin", "/api/auth/refresh", "/api/trips", "/api/trips/{tripId}", "/api/drivers/me/offers/{tripId}/accept", "/api/payments/trips/{tripId}" })
        {
            Assert.Contains($"\"{path}\"", json);
        }
        Assert.Contains("Idempotency-Key", json);
        Assert.Contains("bearer", json);
    }

    [Fact]
    public async Task OpenApi_document_lists_every_route_the_services_answer_over_http()
    {
        // The proxied routes are listed by hand (the gateway cannot discover them): each google.api.http option of the
        // services' protos must be there, with its method, so a new route cannot be left out of the document.
        var protos = Path.Combine(Repository.Root(), "services", "UberClone.Contracts", "Protos");
        var routes = Directory.GetFiles(protos, "*.proto")
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "(get|post|put|delete|patch): \"([^\"]+)\""))
            .Select(m => (Method: m.Groups[1].Value, Path: System.Text.RegularExpressions.Regex.Replace(m.Groups[2].Value, "_([a-z])", c => c.Groups[1].Value.ToUpperInvariant())))
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found in {protos}");
        using var client = gateway.CreateClient();
        var paths = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();

        var missing = routes.Where(r => paths[r.Path]?[r.Method] is null).Select(r => $"{r.Method.ToUpperInvariant()} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json (GatewayOpenApi.Proxied): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task A_down_service_is_a_quick_503_problem_and_the_gateway_keeps_serving()
    {
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();
        var watch = Stopwatch.StartNew();

        var down = await gateway.PostAsync("/api/trips/quotes", new { pickup = new { lat = 1, lng = 1 }, dropoff = new { lat = 1.1, lng = 1.1 } }, rider);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal("https://uberclone.dev/problems/service-unavailable", down.Body["type"]!.GetValue<string>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/api/auth/me", rider)).Status);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_with_a_problem()
    {
        using var client = gateway.CreateClient();
        var huge = "{\"email\":\"" + new string('a', 200_000) + "\"}";
        var response = await client.PostAsync("/api/auth/signin", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Well-formed, unexpired, right issuer and audience, signed with another key.</summary>
    private static string ForeignToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "uberclone-gateway",
        Audience = "uberclone",
        Expires = DateTime.UtcNow.AddMinutes(5),
        Claims = new Dictionary<string, object> { ["sub"] = "r1", ["role"] = "rider", ["name"] = "Mallory" },
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[32]), SecurityAlgorithms.HmacSha256),
    });
}

public sealed class PublicSurfaceTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task The_payment_webhook_needs_no_token_and_reaches_the_payments_route()
    {
        using var client = gateway.CreateClient();
        var response = await client.PostAsync("/api/payments/webhooks/stripe", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        // payments is down behind this test gateway: 503 means the gateway let the call through without a user.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        using var client = gateway.CreateClient();
        var response = await client.PostAsync("/api/auth/signin", new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("https://uberclone.dev/problems/invalid-request", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named_and_broken_json_says_where_it_breaks()
    {
        using var client = gateway.CreateClient();
        var wrongType = await client.PostAsync("/api/auth/signin", new StringContent("""{"email": 5, "password": "x"}""", System.Text.Encoding.UTF8, "application/json"));
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await wrongType.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal("email must be a string.", problem["detail"]!.GetValue<string>());
        Assert.Equal("email must be a string.", problem["errors"]!["email"]![0]!.GetValue<string>());

        var broken = await client.PostAsync("/api/auth/signin", new StringContent("""{"email": "a@b.c", "password": }""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("not valid JSON (it breaks at password)", await broken.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("$.stops[0].lat", "stops[0].lat")]
    [InlineData("$", null)]
    [InlineData(null, null)]
    public void The_field_is_the_json_path_without_its_root(string? path, string? field) =>
        Assert.Equal(field, UberClone.Gateway.Problems.BodyErrors.FieldOf(path));

    private sealed record Stop(double Lat, double Lng);
    private sealed record Booking(IReadOnlyList<Stop>? Stops, bool? WithPet, DateTimeOffset? PickupAt, string Note);

    [Theory]
    [InlineData("stops[0].lat", "a number")]
    [InlineData("stops", "a list")]
    [InlineData("stops[1]", "an object")]
    [InlineData("withPet", "true or false")]
    [InlineData("pickupAt", "a date and time (ISO 8601, e.g. 2026-12-24T08:15:00Z)")]
    [InlineData("note", "a string")]
    public void What_a_field_should_be_is_read_from_the_bodys_type(string field, string expected) =>
        Assert.Equal(expected, UberClone.Gateway.Problems.BodyErrors.Expected(UberClone.Gateway.Problems.BodyErrors.TypeAt(typeof(Booking), field)!));

    [Fact]
    public void A_field_the_body_does_not_have_has_no_type() =>
        Assert.Null(UberClone.Gateway.Problems.BodyErrors.TypeAt(typeof(Booking), "stops[0].altitude"));

    [Fact]
    public async Task The_browsable_api_reference_is_served_in_development()
    {
        using var client = gateway.CreateClient();
        var response = await client.GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A gateway whose trips service comes up only after the gateway has already answered 503 for it.</summary>
public sealed class RecoveryTests : IAsyncLifetime
{
    private readonly int _tripsPort = FreePort();
    private RecoveringGatewayFactory _gateway = null!;

    public ValueTask InitializeAsync()
    {
        _gateway = new RecoveringGatewayFactory($"http://127.0.0.1:{_tripsPort}");
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_gateway_recovers_by_itself_when_the_service_comes_back()
    {
        var rider = (await _gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _gateway.GetAsync("/api/trips/active", rider)).Status);

        var trips = WebApplication.CreateSlimBuilder();
        trips.WebHost.UseUrls($"http://127.0.0.1:{_tripsPort}");
        await using var app = trips.Build();
        app.MapGet("/api/trips/active", (HttpContext c) => Results.Json(new { tripId = "t1", riderId = c.Request.Headers["x-user-id"].ToString() }));
        await app.StartAsync();

        var (status, body, _) = await _gateway.GetAsync("/api/trips/active", rider);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("r", body["riderId"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class RecoveringGatewayFactory(string tripsUrl) : GatewayFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["services:trips:http:0"] = tripsUrl };
    }
}
