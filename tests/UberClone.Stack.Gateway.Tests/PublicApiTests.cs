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
}
