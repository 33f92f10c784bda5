using System.Net;
using System.Net.Http.Json;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

public sealed class PublicApiTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_trip_and_never_books_a_second()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var key = Guid.NewGuid().ToString();
        var first = await BookAsync(rider, city, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // Same key, a new quote in the body: the key wins over a second booking... but a different body is refused.
        var differentBody = await BookAsync(rider, city, key);
        Assert.Equal((HttpStatusCode)422, differentBody.StatusCode);
        Assert.Contains("idempotency-key-reused", await differentBody.Content.ReadAsStringAsync());

        // The same request again (same key, same body) on whichever replica: the first answer, replayed.
        var again = await SendAsync(rider, firstRequestBody!, key);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));

        var active = await rider.GetOkAsync("/api/trips/active");
        Assert.Equal(Json.Parse(firstBody).Str("tripId"), active.Str("tripId"));
    }

    [Fact]
    public async Task Trip_creation_is_rate_limited_per_user_with_retry_after()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = city.Offset(3_000, 0).Lat, lng = city.Lng } });

        HttpResponseMessage? response = null;
        for (var i = 0; i < 15 && response?.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            response = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, response!.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await rider.GetAsync("/api/trips/active")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_refresh_and_me_work_through_any_replica()
    {
        var client = stack.Client();
        var email = $"stack-{Guid.NewGuid():N}@example.com";
        var signUp = await PlatformClient.ReadAsync(await client.Http.PostAsJsonAsync("/api/auth/signup", new { email, password = "long password", role = "rider", name = "Sam" }));

        for (var i = 0; i < 4; i++)
        {
            var signIn = await PlatformClient.ReadAsync(await client.Http.PostAsJsonAsync("/api/auth/signin", new { email, password = "long password" }));
            Assert.Equal(signUp.Str("userId"), signIn.Str("userId"));
            var refreshed = await PlatformClient.ReadAsync(await client.Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = signIn.Str("refreshToken") }));
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
            request.Headers.Authorization = new("Bearer", refreshed.Str("accessToken"));
            var me = await PlatformClient.ReadAsync(await client.Http.SendAsync(request));
            Assert.Equal(email, me.Str("email"));
        }
    }

    private object? firstRequestBody;

    private async Task<HttpResponseMessage> BookAsync(UserSession rider, Point city, string key)
    {
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = city.Offset(3_000, 0).Lat, lng = city.Lng } });
        var body = new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" };
        firstRequestBody ??= body;
        return await SendAsync(rider, body, key);
    }

    private static Task<HttpResponseMessage> SendAsync(UserSession rider, object body, string key)
    {
        var content = JsonContent.Create(body);
        content.Headers.Add("Idempotency-Key", key);
        return rider.SendAsync(HttpMethod.Post, "/api/trips", content);
    }

    [Fact]
    public async Task A_user_saves_renames_and_removes_places_from_either_gateway_and_bad_places_are_refused()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");

        Assert.Empty((await rider.GetOkAsync("/api/me/places"))["places"]!.AsArray());
        await PutAsync(rider, "Home", new { lat = 52.52, lng = 13.40 }, HttpStatusCode.OK);
        await PutAsync(rider, "Work", new { lat = 52.50, lng = 13.45 }, HttpStatusCode.OK);
        var moved = await PutAsync(rider, "home", new { lat = 52.53, lng = 13.41 }, HttpStatusCode.OK);
        Assert.Equal([("home", 52.53), ("Work", 52.50)], moved["places"]!.AsArray().Select(p => (p.Str("label"), p!["lat"]!.GetValue<double>())));

        // Another user sees none of it; the same user sees it whichever gateway replica answers (the proxy takes turns).
        Assert.Empty((await (await client.SignInAsync("rider")).GetOkAsync("/api/me/places"))["places"]!.AsArray());
        for (var i = 0; i < TwoGatewaysFixture.GatewayReplicas * 2; i++)
        {
            Assert.Equal(2, (await rider.GetOkAsync("/api/me/places"))["places"]!.AsArray().Count);
        }

        await PutAsync(rider, "Gym", new { lat = 95.0, lng = 13.0 }, HttpStatusCode.BadRequest);
        await PutAsync(rider, "Gym", new { lat = 0.0, lng = 0.0 }, HttpStatusCode.BadRequest);
        await PutAsync(rider, new string('x', 31), new { lat = 52.0, lng = 13.0 }, HttpStatusCode.BadRequest);
        var notJson = await rider.SendAsync(HttpMethod.Put, "/api/me/places/Gym", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, (await rider.GetOkAsync("/api/me/places"))["places"]!.AsArray().Count); // nothing half-saved
        var removed = await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Delete, "/api/me/places/WORK", null));
        Assert.Equal(["home"], removed["places"]!.AsArray().Select(p => p.Str("label")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.Http.GetAsync("/api/me/places", TestContext.Current.CancellationToken)).StatusCode);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> PutAsync(UserSession user, string label, object body, HttpStatusCode expected)
    {
        var response = await user.SendAsync(HttpMethod.Put, $"/api/me/places/{Uri.EscapeDataString(label)}", JsonContent.Create(body));
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return [];
        }
        return await PlatformClient.ReadAsync(response);
    }
}
