using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// RideCheck (ADR 0033) on the whole stack, with a long stop of <see cref="LifecycleStackFixture.LongStopAfter"/>: a driver
/// on a ride sends the same position for longer, both sockets are asked "Is everything OK?", the rider answers "help" and
/// support's queue has the EMERGENCY alert first, with the check on the trip's page; a check nobody answers goes to
/// support, and may still be answered; a car driven away from the drop-off is asked about too.
/// </summary>
public sealed class RideCheckTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_ride_stopped_too_long_asks_both_and_the_riders_help_alerts_support_first_in_its_queue()
    {
        var support = await stack.SupportAsync();
        await using var trip = await RidingAsync();
        var path = $"/api/trips/{trip.TripId}/safety-check";
        await trip.Rider.PostAsync(path, new { answer = "ok" }).ProblemAsync(HttpStatusCode.Conflict); // nothing asked yet

        var opened = await StandStillAsync(trip);
        Assert.Equal((1, 1), (opened["data"]!["number"]!.GetValue<int>(), opened["data"]!["stoppedMinutes"]!.GetValue<int>()));
        await trip.Driver.Socket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "opened");
        var asked = (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}"))["safetyCheck"]!;
        Assert.Equal((1, ""), (asked["number"]!.GetValue<int>(), asked.Str("answer")));
        // A reload finds it in the socket's first message.
        await using (var reloaded = await trip.Driver.User.ConnectAsync())
        {
            var snapshot = await reloaded.WaitForAsync("snapshot", _ => true);
            Assert.Equal(1, snapshot["data"]!["trip"]!["safetyCheck"]!["number"]!.GetValue<int>());
        }

        // Only the trip's rider or driver, only ok or help.
        Assert.Contains("answer", (await trip.Rider.PostAsync(path, new { answer = "maybe" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var stranger = await stack.Client().SignInAsync("rider");
        await stranger.PostAsync(path, new { answer = "help" }).ProblemAsync(HttpStatusCode.NotFound);
        await support.PostAsync(path, new { answer = "ok" }).ProblemAsync(HttpStatusCode.Forbidden);

        var answered = await trip.Rider.PostOkAsync(path, new { answer = "help" });
        Assert.Null(answered["safetyCheck"]);
        var told = await trip.Driver.Socket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "answered");
        Assert.Equal(("help", "rider"), (told["data"].Str("answer"), told["data"].Str("answeredBy")));
        // The driver's screen was behind: answered already. The rider's retry changes nothing.
        await trip.Driver.PostAsync(path, new { answer = "ok" }).ProblemAsync(HttpStatusCode.Conflict);
        await trip.Rider.PostOkAsync(path, new { answer = "help" });

        // The EMERGENCY alert, first in support's queue (as the emergency button's), said once.
        var queue = (await support.GetOkAsync("/api/trips/help?status=waiting"))["requests"]!.AsArray();
        var alert = queue.First(r => r.Str("tripId") == trip.TripId)!;
        Assert.True(alert["urgent"]!.GetValue<bool>());
        Assert.Equal("safety", alert.Str("topic"));
        Assert.True(queue[0]!["urgent"]!.GetValue<bool>());
        // (On a slow machine the lifecycle stack's short Safety:UnansweredAfter may pass before the answer: support's
        // "nobody answered" note then stands before it in the same request.)
        var texts = (await support.GetOkAsync($"/api/trips/help/{alert.Str("requestId")}"))["messages"]!.AsArray().Select(m => m.Str("text")!);
        var text = Assert.Single(texts, t => t.StartsWith("EMERGENCY: ", StringComparison.Ordinal));
        Assert.StartsWith("EMERGENCY: Ride stopped 1 min at ", text);
        Assert.Contains(": rider asked for help", text);

        // Support's page of the trip shows the check and its answer.
        var check = Assert.Single((await support.GetOkAsync($"/api/trips/{trip.TripId}"))["safetyChecks"]!.AsArray())!;
        Assert.Equal(("help", "rider"), (check.Str("answer"), check.Str("answeredBy")));
        Assert.False(string.IsNullOrEmpty(check.Str("answeredAt")));
        // Support dealt with it: closed, so it does not stand first in other tests' queue.
        await support.PostOkAsync($"/api/trips/help/{alert.Str("requestId")}/close", new { });
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/complete", new { }).OkAsync();
    }

    [Fact]
    public async Task A_check_nobody_answers_is_sent_to_support_and_may_still_be_answered()
    {
        var support = await stack.SupportAsync();
        await using var trip = await RidingAsync();
        await StandStillAsync(trip);

        await trip.RiderSocket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "support_alerted",
            LifecycleStackFixture.SafetyUnansweredAfter * 5);
        var requests = (await support.GetOkAsync($"/api/trips/{trip.TripId}/help"))["requests"]!.AsArray();
        var request = Assert.Single(requests)!;
        Assert.Equal(("safety", "open", false), (request.Str("topic"), request.Str("status"), request["urgent"]!.GetValue<bool>()));
        Assert.Contains("nobody answered the RideCheck", Assert.Single(request["messages"]!.AsArray())!.Str("text"));
        Assert.False(string.IsNullOrEmpty((await support.GetOkAsync($"/api/trips/{trip.TripId}"))["safetyChecks"]![0]!.Str("supportAlertedAt")));

        // Still open: the driver's "I'm OK" reaches the rider's screen.
        Assert.Null((await trip.Driver.User.PostOkAsync($"/api/trips/{trip.TripId}/safety-check", new { answer = "ok" }))["safetyCheck"]);
        var answered = await trip.RiderSocket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "answered");
        Assert.Equal(("ok", "driver"), (answered["data"].Str("answer"), answered["data"].Str("answeredBy")));
        await support.PostOkAsync($"/api/trips/help/{request.Str("requestId")}/close", new { });
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/complete", new { }).OkAsync();
    }

    [Fact]
    public async Task A_ride_driven_away_from_its_destination_asks_both_and_the_drivers_answer_closes_it_for_the_rider()
    {
        var support = await stack.SupportAsync();
        await using var trip = await RidingAsync();

        // The drop-off is south-east: the car heads north-west, about 720 m farther from it at each fix, until asked.
        JsonObject opened;
        for (var fix = 1; ; fix++)
        {
            Assert.True(await trip.Driver.SendLocationAsync(trip.Pickup.Offset(600 * fix, -400 * fix)));
            try
            {
                opened = await trip.RiderSocket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "opened",
                    TimeSpan.FromSeconds(2));
                break;
            }
            catch (TimeoutException) when (fix < 12)
            {
                // Not 2 km farther yet (or the fix is still on its way): on.
            }
        }
        Assert.Equal("detour", opened["data"].Str("kind"));
        Assert.InRange(opened["data"]!["detourMeters"]!.GetValue<int>(), 2_000, 2_900);
        var asked = (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}"))["safetyCheck"]!;
        Assert.Equal(("detour", opened["data"]!["detourMeters"]!.GetValue<int>()), (asked.Str("kind"), asked["detourMeters"]!.GetValue<int>()));

        // The driver answers (a diversion the rider agreed to): closed on the rider's screen too.
        Assert.Null((await trip.Driver.User.PostOkAsync($"/api/trips/{trip.TripId}/safety-check", new { answer = "ok" }))["safetyCheck"]);
        var answered = await trip.RiderSocket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "answered");
        Assert.Equal(("ok", "driver", "detour"), (answered["data"].Str("answer"), answered["data"].Str("answeredBy"), answered["data"].Str("kind")));
        var check = Assert.Single((await support.GetOkAsync($"/api/trips/{trip.TripId}"))["safetyChecks"]!.AsArray())!;
        Assert.Equal(("detour", "ok"), (check.Str("kind"), check.Str("answer")));
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/complete", new { }).OkAsync();
    }

    /// <summary>A trip its driver has started, with the rider on board.</summary>
    private async Task<AssignedTrip> RidingAsync()
    {
        var trip = await AssignedTrip.StartAsync(stack.Client());
        var pin = (await Http.EventuallyAsync(() => trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/arrive", new { location = trip.Pickup }).OkAsync();
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/start", new { pin }).OkAsync();
        return trip;
    }

    /// <summary>The driver sends the same position, a few metres off the pickup, until the rider's socket is asked; that message.</summary>
    private static async Task<JsonObject> StandStillAsync(AssignedTrip trip)
    {
        var jam = trip.Pickup.Offset(-800, 400);
        var deadline = DateTime.UtcNow + LifecycleStackFixture.LongStopAfter * 6;
        while (true)
        {
            Assert.True(await trip.Driver.SendLocationAsync(jam));
            try
            {
                return await trip.RiderSocket.WaitForAsync("trip.safety_check", m => m["data"].Str("tripId") == trip.TripId && m["data"].Str("state") == "opened",
                    TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not asked yet: the car stands on.
            }
        }
    }
}
