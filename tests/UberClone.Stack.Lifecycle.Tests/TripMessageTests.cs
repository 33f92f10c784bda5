using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>The rider and the driver write to each other while the driver is on the way or riding: live on the socket, and kept.</summary>
public sealed class TripMessageTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Rider_and_driver_write_to_each_other_live_and_the_trip_keeps_the_conversation()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");

        // Nobody to write to while searching.
        await rider.PostAsync($"/api/trips/{tripId}/messages", new { text = "hello?", clientMessageId = "m0" }).ProblemAsync(HttpStatusCode.BadRequest);
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);

        var sent = await rider.PostOkAsync($"/api/trips/{tripId}/messages", new { text = "  I'm at the corner by the bakery ", clientMessageId = "m1" });
        Assert.Equal(("rider", "I'm at the corner by the bakery"), (sent.Str("from"), sent.Str("text")));
        var received = await driver.Socket.WaitForAsync("trip.message", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("rider", "I'm at the corner by the bakery"), (received["data"].Str("from"), received["data"].Str("text")));
        // A retried send is the same message, once.
        Assert.Equal(sent.Str("messageId"), (await rider.PostOkAsync($"/api/trips/{tripId}/messages", new { text = "I'm at the corner by the bakery", clientMessageId = "m1" })).Str("messageId"));

        await driver.PostAsync($"/api/trips/{tripId}/messages", new { text = "On my way, 2 minutes", clientMessageId = "d1" }).OkAsync();
        var reply = await riderSocket.WaitForAsync("trip.message", m => m["data"].Str("tripId") == tripId && m["data"].Str("from") == "driver");
        Assert.Equal("On my way, 2 minutes", reply["data"].Str("text"));

        var conversation = (await driver.User.GetOkAsync($"/api/trips/{tripId}/messages"))["messages"]!.AsArray();
        Assert.Equal([("rider", "I'm at the corner by the bakery"), ("driver", "On my way, 2 minutes")],
            conversation.Select(m => (m.Str("from"), m.Str("text"))));

        // Bad input and strangers.
        await rider.PostAsync($"/api/trips/{tripId}/messages", new { text = new string('x', 501), clientMessageId = "m2" }).ProblemAsync(HttpStatusCode.BadRequest);
        await rider.PostAsync($"/api/trips/{tripId}/messages", new { text = "   ", clientMessageId = "m3" }).ProblemAsync(HttpStatusCode.BadRequest);
        await rider.PostAsync($"/api/trips/{tripId}/messages", new { text = "no id" }).ProblemAsync(HttpStatusCode.BadRequest);
        await driver.PostAsync($"/api/trips/{tripId}/messages", new { text = "mine now", clientMessageId = "m1" }).ProblemAsync(HttpStatusCode.BadRequest);
        var stranger = await client.SignInAsync("rider");
        await stranger.PostAsync($"/api/trips/{tripId}/messages", new { text = "hi", clientMessageId = "s1" }).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/trips/{tripId}/messages")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Single(driver.Socket.Received, m => m.Str("type") == "trip.message" && m["data"].Str("from") == "rider");
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "test over", maxFeeMinor = LifecycleStackFixture.CancellationFeeMinor });
    }
}
