using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// One star given either way between a rider and a driver: dispatch never matches them again, even when that driver is
/// the nearest one available; other riders still get them.
/// </summary>
public sealed class PairingTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_rider_who_rated_a_driver_one_star_is_never_offered_to_them_again_though_they_are_nearest()
    {
        var client = stack.Client();
        await using var trip = await AssignedTrip.StartAsync(client);
        var (rider, riderSocket, driver, tripId) = (trip.Rider, trip.RiderSocket, trip.Driver, trip.TripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var checkout = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        using (var paid = await rider.SendAsync(HttpMethod.Post, checkout["data"].Str("checkoutUrl") + "/pay", new FormUrlEncodedContent([])))
        {
            Assert.True((int)paid.StatusCode < 400);
        }
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        await rider.PostOkAsync($"/api/trips/{tripId}/rating", new { stars = 1, comment = "drove dangerously" });
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");

        // The rider books again from the same place. The driver they rated is the nearest available one, with a fresh
        // position; another driver is 2 km away. The other one is offered the trip.
        await using var other = await OnlineDriver.StartAsync(client, trip.Pickup.Offset(2_000, 0));
        Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(300, 0)));
        var next = (await rider.RequestTripAsync(trip.Pickup, trip.Dropoff)).Str("tripId");
        await other.OfferAsync(next);
        var support = await stack.SupportAsync();
        Assert.Equal("available", (await support.GetOkAsync($"/api/drivers/{driver.Id}")).Str("state"));

        // Another rider's trip from there goes to them as usual (the other driver has an offer pending).
        var stranger = await client.SignInAsync("rider");
        Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(300, 0)));
        var theirs = (await stranger.RequestTripAsync(trip.Pickup, trip.Dropoff)).Str("tripId");
        await driver.OfferAsync(theirs);
        // Clean-up only: a search that gave up already (12 s on a loaded machine) has nothing left to cancel.
        using (await rider.PostAsync($"/api/trips/{next}/cancel", new { reason = "done" })) { }
        using (await stranger.PostAsync($"/api/trips/{theirs}/cancel", new { reason = "done" })) { }
    }
}
