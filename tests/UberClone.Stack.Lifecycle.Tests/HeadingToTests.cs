using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>A driver heading home through the gateway: only trips their way are offered to them, until they stop it.</summary>
public sealed class HeadingToTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_driver_heading_north_is_passed_over_for_a_trip_south_and_offered_one_north()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var heading = await OnlineDriver.StartAsync(client, pickup.Offset(100, 0));
        var home = pickup.Offset(20_000, 0);

        await heading.PostAsync("/api/drivers/me/destination", new { destination = new { lat = 91, lng = 0 } }).ProblemAsync(HttpStatusCode.BadRequest);
        await heading.PostAsync("/api/drivers/me/destination", new { }).ProblemAsync(HttpStatusCode.BadRequest);
        var set = await heading.PostAsync("/api/drivers/me/destination", new { destination = new { lat = home.Lat, lng = home.Lng } }).OkAsync();
        Assert.Equal(home.Lat, set["headingTo"]!["lat"]!.GetValue<double>(), 6);
        var rider = await client.SignInAsync("rider");
        await rider.PostAsync("/api/drivers/me/destination", new { destination = new { lat = home.Lat, lng = home.Lng } }).ProblemAsync(HttpStatusCode.Forbidden);

        // South: another driver, farther away, is offered it.
        await using var other = await OnlineDriver.StartAsync(client, pickup.Offset(1_500, 0));
        var south = (await rider.RequestTripAsync(pickup, pickup.Offset(-6_000, 0))).Str("tripId");
        await other.OfferAsync(south);
        Assert.Equal("available", (await heading.User.GetOkAsync("/api/drivers/me")).Str("state"));
        await rider.PostOkAsync($"/api/trips/{south}/cancel", new { reason = "x" });

        // North, most of the way home: theirs.
        Assert.True(await heading.SendLocationAsync(pickup.Offset(100, 0)));
        var north = (await rider.RequestTripAsync(pickup, pickup.Offset(15_000, 0))).Str("tripId");
        await heading.OfferAsync(north);
        await rider.PostOkAsync($"/api/trips/{north}/cancel", new { reason = "x" });

        // Any trip again; going offline stops it too.
        var cleared = await heading.User.SendAsync(HttpMethod.Delete, "/api/drivers/me/destination", null).OkAsync();
        Assert.Null(cleared["headingTo"]);
        await heading.PostAsync("/api/drivers/me/destination", new { destination = new { lat = home.Lat, lng = home.Lng } }).OkAsync();
        await Http.EventuallyAsync(() => heading.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        await heading.PostAsync("/api/drivers/me/offline", new { }).OkAsync();
        Assert.Null((await heading.User.GetOkAsync("/api/drivers/me"))["headingTo"]);
        await heading.PostAsync("/api/drivers/me/destination", new { destination = new { lat = home.Lat, lng = home.Lng } }).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
