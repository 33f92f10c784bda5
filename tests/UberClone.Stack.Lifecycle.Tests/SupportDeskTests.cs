using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// The support desk (the AppHost's operator account) on the whole stack: it finds a rider by email, reads their trips
/// as nobody else may (the driver's earnings, every payment and its refunds, the messages), refunds with its own
/// account, and cancels a trip before the ride starts without a fee; riders and drivers cannot do any of it.
/// </summary>
public sealed class SupportDeskTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Support_finds_a_rider_by_email_reads_the_whole_trip_and_refunds_it_with_its_own_account()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Teresa");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await rider.PostOkAsync($"/api/trips/{tripId}/messages", new { clientMessageId = "m1", text = "I'm by the blue door" });
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var checkout = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        using (var paid = await rider.SendAsync(HttpMethod.Post, checkout["data"].Str("checkoutUrl") + "/pay", new FormUrlEncodedContent([])))
        {
            Assert.True((int)paid.StatusCode < 400);
        }
        var fare = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid"))
            ["fare"]!["amountMinor"]!.GetValue<long>();
        var support = await stack.SupportAsync();
        Assert.Equal("operator", support.Role);

        // The rider calls and gives their email: support finds the account and the trip.
        var email = (await rider.GetOkAsync("/api/auth/me")).Str("email");
        var found = await support.GetOkAsync($"/api/ops/users?email={Uri.EscapeDataString(email)}");
        Assert.Equal((rider.UserId, "rider", "Teresa"), (found.Str("userId"), found.Str("role"), found.Str("name")));
        var trips = (await support.GetOkAsync($"/api/trips?riderId={rider.UserId}"))["trips"]!.AsArray();
        Assert.Equal(tripId, Assert.Single(trips)!.Str("tripId"));
        var driversTrips = (await support.GetOkAsync($"/api/trips?driverId={driver.Id}"))["trips"]!.AsArray();
        Assert.Equal(tripId, Assert.Single(driversTrips)!.Str("tripId"));

        // The driver as dispatch sees them now: available again, where their phone last was.
        var state = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{driver.Id}"), d => d.Str("state") == "available");
        Assert.Equal(("available", "economy"), (state.Str("state"), state.Str("vehicleClass")));
        Assert.NotNull(state["location"]);
        Assert.False(string.IsNullOrEmpty(state.Str("updatedAt")));
        await rider.GetAsync($"/api/drivers/{driver.Id}").ProblemAsync(HttpStatusCode.Forbidden);
        await driver.User.GetAsync($"/api/drivers/{driver.Id}").ProblemAsync(HttpStatusCode.Forbidden);
        await support.GetAsync($"/api/drivers/d{Guid.NewGuid():N}").ProblemAsync(HttpStatusCode.NotFound);

        // The whole trip: what the driver earned too, but never the rider's PIN.
        var trip = await support.GetOkAsync($"/api/trips/{tripId}");
        var driversView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(driversView["driverEarnings"]!.ToJsonString(), trip["driverEarnings"]!.ToJsonString());
        Assert.Equal(driver.Id, trip["driver"].Str("driverId"));
        Assert.True(string.IsNullOrEmpty((string?)trip["pin"]));
        var messages = (await support.GetOkAsync($"/api/trips/{tripId}/messages"))["messages"]!.AsArray();
        Assert.Equal("I'm by the blue door", Assert.Single(messages)!.Str("text"));

        // A refund with support's own account (no operator key), recorded as support's.
        var refund = await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds",
            new { amountMinor = 100, kind = "fare_adjustment", reason = "rider called: the route was too long", refundId = "support-" + tripId });
        Assert.Equal(("fare_adjustment", 100L), (refund.Str("kind"), refund["amountMinor"]!.GetValue<long>()));
        var payments = await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions");
        var session = Assert.Single(payments["sessions"]!.AsArray())!;
        Assert.Equal(("fare", "partially_refunded", fare), (session.Str("purpose"), session.Str("status"), session["amountMinor"]!.GetValue<long>()));
        var recorded = Assert.Single(session["refunds"]!.AsArray())!;
        Assert.Equal(("support-" + tripId, support.UserId, "succeeded"), (recorded.Str("refundId"), recorded.Str("requestedBy"), recorded.Str("status")));
        var refunded = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunded"] is not null);
        Assert.Equal(100, refunded["receipt"]!["refunded"]!["amountMinor"]!.GetValue<long>());
        await riderSocket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId);

        // A second refund with an Idempotency-Key, sent twice (its answer was lost): one refund, one entry in the trail.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var content = System.Net.Http.Json.JsonContent.Create(new { amountMinor = 50, kind = "goodwill", reason = "sorry for the wait", refundId = "goodwill-" + tripId });
            content.Headers.Add("Idempotency-Key", "goodwill-" + tripId);
            using var sent = await support.SendAsync(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds", content);
            Assert.True(sent.IsSuccessStatusCode, $"{(int)sent.StatusCode}: {await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            Assert.Equal(attempt == 1, sent.Headers.Contains("Idempotent-Replayed"));
        }

        // The audit trail: each refund, by this support account, how much and why, on the trip and on both accounts.
        var trail = (await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray();
        Assert.Equal([("payment.refunded", 50L, "goodwill", "sorry for the wait"), ("payment.refunded", 100L, "fare_adjustment", "rider called: the route was too long")],
            trail.Select(a => (a.Str("action"), a!["amountMinor"]!.GetValue<long>(), a.Str("kind"), a.Str("reason"))));
        var entry = trail[1]!;
        Assert.Equal((support.UserId, tripId, rider.UserId, driver.Id, session.Str("currency"), 200),
            (entry.Str("operatorId"), entry.Str("tripId"), entry.Str("riderId"), entry.Str("driverId"), entry.Str("currency"), entry["status"]!.GetValue<int>()));
        Assert.False(string.IsNullOrEmpty(entry.Str("traceId")));
        Assert.Equal(2, (await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray().Count);
        // The driver's: the two refunds of their trip, and support approving them to drive before it (ADR 0022).
        Assert.Equal(["payment.refunded", "payment.refunded", "driver.approved"],
            (await support.GetOkAsync($"/api/ops/audit?userId={driver.Id}"))["actions"]!.AsArray().Select(a => a.Str("action")));
        await rider.GetAsync($"/api/ops/audit?tripId={tripId}").ProblemAsync(HttpStatusCode.Forbidden);

        // Nobody else can do any of this, the trip's own rider and driver included.
        await rider.GetAsync($"/api/ops/users?email={Uri.EscapeDataString(email)}").ProblemAsync(HttpStatusCode.Forbidden);
        await rider.GetAsync($"/api/trips?riderId={rider.UserId}").ProblemAsync(HttpStatusCode.Forbidden);
        await driver.User.GetAsync($"/api/trips?driverId={driver.Id}").ProblemAsync(HttpStatusCode.Forbidden);
        await rider.GetAsync($"/api/payments/trips/{tripId}/sessions").ProblemAsync(HttpStatusCode.Forbidden);
        await rider.PostAsync($"/api/payments/trips/{tripId}/refunds", new { reason = "me too" }).ProblemAsync(HttpStatusCode.Forbidden);
        // Support names whose trips it lists, one of them.
        await support.GetAsync("/api/trips").ProblemAsync(HttpStatusCode.BadRequest);
        await support.GetAsync($"/api/trips?riderId={rider.UserId}&driverId={driver.Id}").ProblemAsync(HttpStatusCode.BadRequest);
        await support.GetAsync($"/api/payments/trips/t{Guid.NewGuid():N}/sessions").ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_rider_asks_about_a_lost_item_support_answers_from_its_queue_and_the_riders_app_is_told()
    {
        var client = stack.Client();
        await using var trip = await AssignedTrip.StartAsync(client);
        var (rider, riderSocket, driver, tripId) = (trip.Rider, trip.RiderSocket, trip.Driver, trip.TripId);
        var support = await stack.SupportAsync();
        await using var desk = await support.ConnectAsync();

        // The rider asks; the same message sent again is stored once, a second one goes to the same request.
        var ask = new { topic = "lost_item", text = "I left my umbrella in the car.", clientMessageId = "q1" };
        var asked = await rider.PostOkAsync($"/api/trips/{tripId}/help", ask);
        var requestId = asked.Str("requestId");
        Assert.Equal(("open", "rider", "lost_item", tripId), (asked.Str("status"), asked.Str("openedByRole"), asked.Str("topic"), asked.Str("tripId")));
        Assert.False(string.IsNullOrEmpty(asked.Str("waitingSince")));
        Assert.Single((await rider.PostOkAsync($"/api/trips/{tripId}/help", ask))["messages"]!.AsArray());
        var more = await rider.PostOkAsync($"/api/trips/{tripId}/help", new { topic = "lost_item", text = "It is blue.", clientMessageId = "q2" });
        Assert.Equal(requestId, more.Str("requestId"));
        Assert.Equal(["I left my umbrella in the car.", "It is blue."], more["messages"]!.AsArray().Select(m => m.Str("text")));
        await riderSocket.WaitForAsync("help.updated", m => m["data"].Str("requestId") == requestId);
        // The desk hears of it too: its queue follows without a reload.
        var heard = await desk.WaitForAsync("help.updated", m => m["data"].Str("requestId") == requestId);
        Assert.Equal(("open", "rider"), (heard["data"].Str("status"), heard["data"].Str("lastFrom")));

        // The driver's request about the same trip is their own; neither sees the other's.
        var driverAsked = await driver.User.PostOkAsync($"/api/trips/{tripId}/help", new { topic = "conduct", text = "The rider was rude.", clientMessageId = "d1" });
        Assert.NotEqual(requestId, driverAsked.Str("requestId"));
        Assert.Equal(driverAsked.Str("requestId"), Assert.Single((await driver.User.GetOkAsync($"/api/trips/{tripId}/help"))["requests"]!.AsArray())!.Str("requestId"));
        await driver.User.GetAsync($"/api/trips/help/{requestId}").ProblemAsync(HttpStatusCode.NotFound);
        await driver.User.PostAsync($"/api/trips/help/{requestId}/close", new { }).ProblemAsync(HttpStatusCode.NotFound);
        var stranger = await client.SignInAsync("rider");
        await stranger.PostAsync($"/api/trips/{tripId}/help", ask).ProblemAsync(HttpStatusCode.NotFound);
        await stranger.GetAsync($"/api/trips/{tripId}/help").ProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("topic", (await rider.PostAsync($"/api/trips/{tripId}/help", new { topic = "refund-me", text = "?", clientMessageId = "q3" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("text", (await rider.PostAsync($"/api/trips/{tripId}/help", new { topic = "fare", text = "  ", clientMessageId = "q3" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.GetAsync("/api/trips/help?status=waiting").ProblemAsync(HttpStatusCode.BadRequest);

        // Support's queue: what waits, longest first; support answers, and the rider's app is told.
        await support.PostAsync($"/api/trips/{tripId}/help", ask).ProblemAsync(HttpStatusCode.Forbidden);
        var waiting = (await support.GetOkAsync("/api/trips/help"))["requests"]!.AsArray().Select(r => r.Str("requestId")).ToList();
        Assert.True(waiting.IndexOf(requestId) >= 0 && waiting.IndexOf(requestId) < waiting.IndexOf(driverAsked.Str("requestId")), string.Join(",", waiting));
        Assert.Equal(2, (await support.GetOkAsync($"/api/trips/{tripId}/help"))["requests"]!.AsArray().Count);
        var answered = await support.PostOkAsync($"/api/trips/help/{requestId}/messages", new { text = "Your driver has it and will call you.", clientMessageId = "a1" });
        Assert.Equal("answered", answered.Str("status"));
        Assert.Equal(("support", support.UserId), (answered["messages"]!.AsArray()[^1].Str("from"), answered["messages"]!.AsArray()[^1].Str("authorId")));
        await riderSocket.WaitForAsync("help.updated", m => m["data"].Str("requestId") == requestId && m["data"].Str("status") == "answered");
        var seen = await rider.GetOkAsync($"/api/trips/help/{requestId}");
        Assert.Equal(("support", "Your driver has it and will call you."), (seen["messages"]!.AsArray()[^1].Str("from"), seen["messages"]!.AsArray()[^1].Str("text")));
        Assert.True(string.IsNullOrEmpty((string?)seen["messages"]!.AsArray()[^1]!["authorId"]), "who answered is support's to know");
        // The answer is in the trip's audit trail (found from the request), and on the rider's account.
        var answeredEntry = Assert.Single((await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray())!;
        Assert.Equal(("help.answered", requestId, support.UserId, rider.UserId), (answeredEntry.Str("action"), answeredEntry.Str("helpRequestId"), answeredEntry.Str("operatorId"), answeredEntry.Str("riderId")));
        Assert.Contains((await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray(), a => a.Str("helpRequestId") == requestId);
        Assert.DoesNotContain((await support.GetOkAsync("/api/trips/help?status=waiting"))["requests"]!.AsArray(), r => r.Str("requestId") == requestId);
        Assert.Contains((await support.GetOkAsync("/api/trips/help?status=answered"))["requests"]!.AsArray(), r => r.Str("requestId") == requestId);
        await support.GetAsync("/api/trips/help?status=lost").ProblemAsync(HttpStatusCode.BadRequest);
        // On the caller's card: their requests, whatever the status.
        Assert.Equal(requestId, Assert.Single((await support.GetOkAsync($"/api/trips/help?userId={rider.UserId}"))["requests"]!.AsArray())!.Str("requestId"));
        await support.GetAsync($"/api/trips/help?userId={rider.UserId}&status=waiting").ProblemAsync(HttpStatusCode.BadRequest);
        await rider.GetAsync($"/api/trips/help?userId={driver.Id}").ProblemAsync(HttpStatusCode.BadRequest);

        // The rider closes it; a closed request takes nothing more, and asking again opens a new one.
        Assert.Equal("closed", (await rider.PostOkAsync($"/api/trips/help/{requestId}/close", new { })).Str("status"));
        Assert.Contains("closed", (await rider.PostAsync($"/api/trips/help/{requestId}/messages", new { text = "One more thing", clientMessageId = "q4" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var next = await rider.PostOkAsync($"/api/trips/{tripId}/help", new { topic = "fare", text = "Also, the fare looks high.", clientMessageId = "q5" });
        Assert.NotEqual(requestId, next.Str("requestId"));
        Assert.Equal([next.Str("requestId"), requestId], (await rider.GetOkAsync("/api/trips/help"))["requests"]!.AsArray().Select(r => r.Str("requestId")));
    }

    [Fact]
    public async Task Support_cancels_a_trip_before_the_ride_without_a_fee_and_the_driver_is_free_again_but_not_a_ride_under_way()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        // Past the rider's free window: the rider would now pay a fee; support's cancellation costs nothing.
        await Task.Delay(LifecycleStackFixture.FreeCancellationWindow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var terms = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, terms["cancellationTerms"]!["feeNow"]!["amountMinor"]!.GetValue<long>());
        var support = await stack.SupportAsync();

        // What is under way now: the trip is among the assigned ones (newest first), not among those searching.
        var assigned = (await support.GetOkAsync("/api/trips?status=driver_assigned&limit=100"))["trips"]!.AsArray();
        Assert.Contains(assigned, t => t!.Str("tripId") == tripId);
        Assert.All(assigned, t => Assert.Equal("driver_assigned", t!.Str("status")));
        Assert.DoesNotContain((await support.GetOkAsync("/api/trips?status=searching&limit=100"))["trips"]!.AsArray(), t => t!.Str("tripId") == tripId);
        await support.GetAsync("/api/trips?status=lost").ProblemAsync(HttpStatusCode.BadRequest);
        await support.GetAsync($"/api/trips?status=searching&riderId={rider.UserId}").ProblemAsync(HttpStatusCode.BadRequest);
        await rider.GetAsync("/api/trips?status=searching").ProblemAsync(HttpStatusCode.Forbidden);

        await support.PostAsync($"/api/trips/{tripId}/cancel", new { }).ProblemAsync(HttpStatusCode.BadRequest); // support says why
        await support.PostAsync($"/api/trips/{tripId}/cancel", new { maxFeeMinor = 0, reason = "x" }).ProblemAsync(HttpStatusCode.BadRequest);
        var cancelled = await support.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "rider called: booked by mistake" });
        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal(("operator", "rider called: booked by mistake", 0L), (cancelled["cancellation"].Str("cancelledBy"), cancelled["cancellation"].Str("reason"),
            cancelled["cancellation"]!["fee"]?["amountMinor"]?.GetValue<long>() ?? 0));
        Assert.Equal("none", cancelled["receipt"].Str("paymentStatus"));
        var told = await riderSocket.WaitForAsync("trip.cancelled", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("operator", told["data"].Str("cancelledBy"));
        await driver.Socket.WaitForAsync("trip.cancelled", m => m["data"].Str("tripId") == tripId);
        // A repeat answers the same cancellation.
        Assert.Equal(cancelled["cancellation"]!.ToJsonString(), (await support.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "again" }))["cancellation"]!.ToJsonString());

        // The driver is available again and takes the rider's next booking, which nothing blocks (no fee is due).
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        var second = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_000))).Str("tripId");
        await driver.OfferAsync(second);
        await driver.AcceptAsync(second);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{second}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{second}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{second}/start", new { pin }).OkAsync();

        var refused = await support.PostAsync($"/api/trips/{second}/cancel", new { reason = "rider called" }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("only before the ride starts", refused.Str("detail"));
        Assert.Equal("in_progress", (await rider.GetOkAsync($"/api/trips/{second}")).Str("status"));
        await support.PostAsync($"/api/trips/t{Guid.NewGuid():N}/cancel", new { reason = "rider called" }).ProblemAsync(HttpStatusCode.NotFound);

        // The driver's phone dies at the drop-off: support ends the ride, at the upfront fare, and both are told.
        Assert.Contains("reason", (await support.PostAsync($"/api/trips/{second}/complete", new { }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostAsync($"/api/trips/{second}/complete", new { reason = "I'm here" }).ProblemAsync(HttpStatusCode.Forbidden);
        await driver.PostAsync($"/api/trips/{second}/complete", new { reason = "x" }).ProblemAsync(HttpStatusCode.BadRequest);
        var ended = await support.PostOkAsync($"/api/trips/{second}/complete", new { reason = "driver's phone died at the drop-off" });
        Assert.Equal(("completed", "operator", "driver's phone died at the drop-off"), (ended.Str("status"), ended.Str("completedBy"), ended.Str("completionReason")));
        var fare = ended["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.Equal((fare, "pending"), (ended["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>(), ended["receipt"].Str("paymentStatus")));
        await driver.Socket.WaitForAsync("trip.completed", m => m["data"].Str("tripId") == second);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == second);
        Assert.Equal(fare, session["data"]!["amountMinor"]!.GetValue<long>());
        var driverView = await driver.User.GetOkAsync($"/api/trips/{second}");
        Assert.Equal(("operator", "fare"), (driverView.Str("completedBy"), driverView["driverEarnings"].Str("kind")));
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        Assert.Equal("completed", (await support.PostOkAsync($"/api/trips/{second}/complete", new { reason = "again" })).Str("status"));

        // The audit trail keeps what support asked for and was answered yes (a repeat too), never what it was refused.
        var first = (await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray();
        Assert.Equal([("trip.cancelled", "again"), ("trip.cancelled", "rider called: booked by mistake")], first.Select(a => (a.Str("action"), a.Str("reason"))));
        Assert.All(first, a => Assert.Equal((rider.UserId, driver.Id, support.UserId), (a.Str("riderId"), a.Str("driverId"), a.Str("operatorId"))));
        var ride = (await support.GetOkAsync($"/api/ops/audit?tripId={second}"))["actions"]!.AsArray();
        Assert.Equal([("trip.completed", "again"), ("trip.completed", "driver's phone died at the drop-off")], ride.Select(a => (a.Str("action"), a.Str("reason"))));
        Assert.Equal(4, (await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_driver_suspended_while_offered_a_trip_declines_it_at_once_goes_offline_and_the_next_driver_gets_it()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var suspended = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await suspended.OfferAsync(tripId);
        await using var next = await OnlineDriver.StartAsync(client, pickup.Offset(400, 0));
        var support = await stack.SupportAsync();

        await support.PostOkAsync($"/api/ops/users/{suspended.Id}/suspend", new { reason = "documents expired" });

        // Offline (an offer that merely timed out would leave them available, and silence takes 45 s here), without
        // the offer, which goes to the next driver.
        var state = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{suspended.Id}"), d => d.Str("state") == "offline", TimeSpan.FromSeconds(10));
        Assert.Null(state["offer"]);
        await next.OfferAsync(tripId);
    }

    [Fact]
    public async Task A_driver_suspended_mid_ride_keeps_it_until_support_ends_it_and_is_then_offline_not_offered_the_next_trip()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        var support = await stack.SupportAsync();

        // Suspended mid-ride: signed out at once, so they cannot end the ride themselves; the ride is still theirs.
        await support.PostOkAsync($"/api/ops/users/{driver.Id}/suspend", new { reason = "complaint under review" });
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).ProblemAsync(HttpStatusCode.Unauthorized);
        await Task.Delay(1_000, TestContext.Current.CancellationToken); // the suspension's event reaches drivers
        Assert.Equal("on_trip", (await support.GetOkAsync($"/api/drivers/{driver.Id}")).Str("state"));

        // Support ends it: the rider pays as usual, and the driver goes offline instead of getting the next trip.
        await support.PostOkAsync($"/api/trips/{tripId}/complete", new { reason = "driver suspended mid-ride" });
        var state = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{driver.Id}"), d => d.Str("state") != "on_trip");
        Assert.Equal(("offline", "Your account was suspended."), (state.Str("state"), state.Str("offlineReason")));
        var another = await client.SignInAsync("rider");
        var next = (await another.RequestTripAsync(pickup, pickup.Offset(-1_500, 1_000))).Str("tripId");
        await Task.Delay(1_500, TestContext.Current.CancellationToken);
        Assert.Equal("offline", (await support.GetOkAsync($"/api/drivers/{driver.Id}")).Str("state"));
        Assert.Equal("searching", (await another.GetOkAsync($"/api/trips/{next}")).Str("status"));
    }
}
