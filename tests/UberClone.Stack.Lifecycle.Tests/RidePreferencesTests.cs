using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Ride preferences (ADR 0049) on the whole stack: the rider's setting (none until they choose, a value that is not one
/// refused naming its field), copied onto the ride they book; the driver's offer and trip show it; "Quiet ride" turned
/// on in the middle of the ride reaches the driver's socket at once; only the trip's rider changes it, and not once
/// the ride ended; the rider's data download has the setting.
/// </summary>
public sealed class RidePreferencesTests(LifecycleStackFixture stack)
{
    private static Task<HttpResponseMessage> Put(UserSession user, string path, object body) => user.SendAsync(HttpMethod.Put, path, JsonContent.Create(body));

    private static bool Bags(JsonNode? preferences) => preferences?["helpWithBags"]?.GetValue<bool>() == true;

    [Fact]
    public async Task The_driver_is_shown_the_riders_preferences_and_told_when_the_rider_wants_a_quiet_ride()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider");
        var unset = await rider.GetOkAsync("/api/trips/ride-preferences");
        Assert.Equal(("none", false, "none"), (unset.Str("conversation"), Bags(unset), unset.Str("temperature")));

        Assert.StartsWith("conversation", (await Put(rider, "/api/trips/ride-preferences", new { conversation = "silent" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.StartsWith("temperature", (await Put(rider, "/api/trips/ride-preferences", new { temperature = "freezing" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var set = await Put(rider, "/api/trips/ride-preferences", new { conversation = "none", helpWithBags = true, temperature = "cooler" }).OkAsync();
        Assert.Equal(("none", true, "cooler"), (set.Str("conversation"), Bags(set), set.Str("temperature")));

        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(400, 0));
        await using var riderSocket = await rider.ConnectAsync();
        var booked = await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500));
        var tripId = booked.Str("tripId");
        Assert.Equal(("none", true, "cooler"), (booked["ridePreferences"].Str("conversation"), Bags(booked["ridePreferences"]), booked["ridePreferences"].Str("temperature")));

        var offer = (await driver.OfferAsync(tripId))["data"]!;
        Assert.Equal(("none", true, "cooler"), (offer["preferences"].Str("conversation"), Bags(offer["preferences"]), offer["preferences"].Str("temperature")));
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("cooler", (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["ridePreferences"].Str("temperature"));

        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = pickup }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();

        // In the middle of the ride: only the trip's rider may, with values that are ones.
        var path = $"/api/trips/{tripId}/preferences";
        var quiet = new { conversation = "quiet", helpWithBags = true, temperature = "cooler" };
        var otherRider = await client.SignInAsync("rider");
        await Put(otherRider, path, quiet).ProblemAsync(HttpStatusCode.NotFound);
        await Put(driver.User, path, quiet).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.StartsWith("conversation", (await Put(rider, path, new { conversation = "loud" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));

        var changed = await Put(rider, path, quiet).OkAsync();
        Assert.Equal(("in_progress", "quiet"), (changed.Str("status"), changed["ridePreferences"].Str("conversation")));
        var told = await driver.Socket.WaitForAsync("trip.preferences_changed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("quiet", true, "cooler"), (told["data"]!["preferences"].Str("conversation"), Bags(told["data"]!["preferences"]), told["data"]!["preferences"].Str("temperature")));
        Assert.Equal("quiet", (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["ridePreferences"].Str("conversation"));
        // The ride's copy changed, not the rider's setting.
        Assert.Equal("none", (await rider.GetOkAsync("/api/trips/ride-preferences")).Str("conversation"));

        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        Assert.Contains("completed", (await Put(rider, path, quiet).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));

        var export = await PlatformClient.ReadAsync(await rider.GetAsync("/api/auth/me/export"));
        Assert.Equal(("none", true, "cooler"), (export["ridePreferences"].Str("conversation"), Bags(export["ridePreferences"]), export["ridePreferences"].Str("temperature")));
        Assert.Equal("quiet", Assert.Single(export["trips"]!.AsArray())!["ridePreferences"].Str("conversation"));
    }
}
