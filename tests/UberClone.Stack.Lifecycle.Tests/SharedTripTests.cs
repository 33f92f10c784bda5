using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A rider shares a trip; someone without an account follows it through GET /api/shared-trips/{token}: the driver's
/// first name and car, where the car is and about how long, until a while after the trip ended (3 s here).
/// </summary>
public sealed class SharedTripTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_shared_trip_is_followed_without_signing_in_until_shortly_after_it_ends()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Sara Shares");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");

        await driver.PostAsync($"/api/trips/{tripId}/share", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        var token = (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken");
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
        Assert.Equal(token, (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken")); // the same link again

        var searching = await SharedAsync(client, token);
        Assert.Equal(("searching", "Sara"), (searching.Str("status"), searching.Str("riderName")));
        Assert.Null(searching["driver"]);

        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var assigned = await Http.EventuallyAsync(() => SharedAsync(client, token), t => t.Str("status") == "driver_assigned");
        Assert.Equal("driver", assigned["driver"].Str("name"));
        Assert.StartsWith("TEST-", assigned["driver"]!["vehicle"].Str("plate"));
        Assert.NotNull(assigned["driver"]!["location"]);
        Assert.True(assigned["etaSeconds"]!.GetValue<int>() > 0);
        Assert.Null(assigned["riderId"]);
        Assert.Null(assigned["driverId"]);
        Assert.Null(assigned["pin"]); // the rider rides: the PIN is theirs, not the link's
        Assert.Null(assigned["passengerName"]);
        Assert.Equal("", (string?)(await driver.User.GetOkAsync($"/api/trips/{tripId}"))["shareToken"] ?? ""); // only the rider's view has it

        var pin = (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        Assert.Equal("in_progress", (await SharedAsync(client, token)).Str("status"));
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var ended = await SharedAsync(client, token);
        Assert.Equal("completed", ended.Str("status"));
        Assert.False(string.IsNullOrEmpty(ended.Str("endedAt")));

        // A while after the end the link shows nothing; a link that is not one is refused as such.
        await Task.Delay(LifecycleStackFixture.SharedTripAfterEnd + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var gone = await client.Http.GetAsync($"/api/shared-trips/{token}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync("/api/shared-trips/not-a-token", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/api/shared-trips/AAAAAAAAAAAAAAAAAAAAAA", TestContext.Current.CancellationToken)).StatusCode);
        await rider.PostAsync($"/api/trips/{tripId}/share", new { }).ProblemAsync(HttpStatusCode.BadRequest); // over: nothing to share
    }

    [Fact]
    public async Task Stopping_sharing_ends_the_link_at_once_and_sharing_again_makes_a_new_one()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var other = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await other.PostAsync($"/api/trips/{tripId}/share", new { }).ProblemAsync(HttpStatusCode.NotFound);
        var first = (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken");
        Assert.Equal("searching", (await SharedAsync(client, first)).Str("status"));

        var stopped = await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Delete, $"/api/trips/{tripId}/share", null));
        Assert.True(string.IsNullOrEmpty((string?)stopped["shareToken"]));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync($"/api/shared-trips/{first}", TestContext.Current.CancellationToken)).StatusCode);

        var second = (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken");
        Assert.NotEqual(first, second);
        Assert.Equal("searching", (await SharedAsync(client, second)).Str("status"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync($"/api/shared-trips/{first}", TestContext.Current.CancellationToken)).StatusCode);
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "plans changed" });
    }

    /// <summary>Without signing in: the plain client has no token.</summary>
    internal static async Task<JsonObject> SharedAsync(PlatformClient client, string token) =>
        await PlatformClient.ReadAsync(await client.Http.GetAsync($"/api/shared-trips/{token}", TestContext.Current.CancellationToken));
}
