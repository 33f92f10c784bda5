using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// The emergency button: the rider or driver of a trip under way alerts support, with where they are; the alert is first
/// in support's queue, ahead of requests that waited longer, and support's desk hears of it at once.
/// </summary>
public sealed class EmergencyTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_rider_alerts_support_from_a_trip_under_way_and_the_alert_is_first_in_the_queue()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        await using var desk = await support.ConnectAsync();

        // Someone else asked about a lost item earlier: it has waited longer.
        var (earlier, earlierSocket, earlierDriver, earlierTrip) = await Rides.CompletedAsync(client);
        await using var _ = earlierSocket;
        await using var __ = earlierDriver;
        await earlier.PostOkAsync($"/api/trips/{earlierTrip}/help", new { topic = "lost_item", text = "My umbrella", clientMessageId = "u1" });

        await using var trip = await AssignedTrip.StartAsync(client);
        var searcher = await client.SignInAsync("rider");
        var lonely = Point.FreshCity();
        var searching = (await searcher.RequestTripAsync(lonely, lonely.Offset(2_000, 0))).Str("tripId");
        var alert = new { clientMessageId = "sos1", location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } };
        Assert.Equal("112", (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}")).Str("emergencyNumber")); // no area of its own: the default
        var raised = await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/emergency", alert);
        Assert.Equal(("safety", "open", true), (raised.Str("topic"), raised.Str("status"), raised["urgent"]!.GetValue<bool>()));
        var text = Assert.Single(raised["messages"]!.AsArray())!.Str("text");
        Assert.StartsWith("EMERGENCY: the rider pressed the emergency button at ", text);
        Assert.Contains("(trip driver assigned). Their phone was at ", text);
        Assert.Single((await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/emergency", alert))["messages"]!.AsArray()); // pressed twice

        // First in support's queue, though the lost umbrella waited longer; the desk's socket was told.
        // (Other tests' emergencies may stand with it: only urgent requests come before it.)
        var queue = (await support.GetOkAsync("/api/trips/help?status=waiting"))["requests"]!.AsArray().ToList();
        var at = queue.FindIndex(r => r.Str("requestId") == raised.Str("requestId"));
        Assert.InRange(at, 0, queue.FindIndex(r => r.Str("tripId") == earlierTrip) - 1);
        Assert.All(queue.Take(at + 1), r => Assert.True(r!["urgent"]!.GetValue<bool>()));
        await desk.WaitForAsync("help.updated", m => m["data"].Str("requestId") == raised.Str("requestId"));

        // Only a trip's rider or driver, only while it is under way (or just ended); support answers, it does not alert.
        await trip.Driver.User.PostOkAsync($"/api/trips/{trip.TripId}/emergency", new { clientMessageId = "sos2" });
        Assert.Contains("for a trip under way", (await searcher.PostAsync($"/api/trips/{searching}/emergency", alert).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await searcher.PostAsync($"/api/trips/{trip.TripId}/emergency", alert).ProblemAsync(HttpStatusCode.NotFound);
        await support.PostAsync($"/api/trips/{trip.TripId}/emergency", alert).ProblemAsync(HttpStatusCode.Forbidden);
        await trip.Rider.PostAsync($"/api/trips/{trip.TripId}/emergency", new { clientMessageId = "bad id!" }).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
