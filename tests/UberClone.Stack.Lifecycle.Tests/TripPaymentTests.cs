using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Trips and payments together: a completed trip or a late cancellation creates a checkout for the amount due, the
/// rider pays (or declines) in the sandbox, and the trip shows the outcome; a failed payment can be retried.
/// </summary>
public sealed class TripPaymentTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Completed_trip_paid_in_the_sandbox_shows_paid_to_rider_and_driver()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;

        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");

        await riderSocket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        await Http.EventuallyAsync(() => driver.User.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal("succeeded", payment.Str("status"));
    }

    [Fact]
    public async Task A_tip_added_before_paying_replaces_the_checkout_and_goes_to_the_driver()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var first = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        var fare = first["data"]!["amountMinor"]!.GetValue<long>();
        var earnedBefore = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>();

        await driver.PostAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 }).ProblemAsync(HttpStatusCode.Forbidden);
        await rider.PostAsync($"/api/trips/{tripId}/tip", new { amountMinor = 0 }).ProblemAsync(HttpStatusCode.BadRequest);
        var tipped = await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 });
        Assert.Equal(300, tipped["receipt"]!["tip"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(fare + 300, tipped["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(2, tipped["receipt"]!["paymentAttempt"]!.GetValue<int>());
        Assert.Equal(tipped["receipt"]!.ToJsonString(), (await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 }))["receipt"]!.ToJsonString());
        await rider.PostAsync($"/api/trips/{tripId}/tip", new { amountMinor = 500 }).ProblemAsync(HttpStatusCode.BadRequest);

        var second = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != first["data"].Str("checkoutUrl"));
        Assert.Equal(fare + 300, second["data"]!["amountMinor"]!.GetValue<long>());
        await Rides.PayAsync(rider, second, "pay");

        var told = await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((300L, fare + 300), (told["data"]!["tipMinor"]!.GetValue<long>(), told["data"]!["amountMinor"]!.GetValue<long>()));
        var paid = await Http.EventuallyAsync(() => driver.User.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal(300, paid["driverEarnings"]!["tip"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(earnedBefore + 300, paid["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(fare + 300, (await rider.GetOkAsync($"/api/payments/trips/{tripId}"))["amount"]!["amountMinor"]!.GetValue<long>());
        await rider.PostAsync($"/api/trips/{tripId}/tip", new { amountMinor = 100 }).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tip_after_paying_is_paid_on_its_own_and_reaches_the_driver_once_paid()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var fareSession = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        var fare = fareSession["data"]!["amountMinor"]!.GetValue<long>();
        await Rides.PayAsync(rider, fareSession, "pay");
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.True(DateTimeOffset.Parse(paid["receipt"].Str("tipUntil")) > DateTimeOffset.UtcNow.AddDays(6));
        Assert.Equal("", (string?)(await driver.User.GetOkAsync($"/api/trips/{tripId}"))["receipt"]!["tipUntil"] ?? "");
        var earnedBefore = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>();

        var tipped = await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 });
        Assert.Equal(("pending", 2, fare), (tipped["receipt"].Str("tipPaymentStatus"), tipped["receipt"]!["tipPaymentAttempt"]!.GetValue<int>(),
            tipped["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal("paid", tipped["receipt"].Str("paymentStatus"));
        await rider.PostAsync($"/api/trips/{tripId}/tip", new { amountMinor = 500 }).ProblemAsync(HttpStatusCode.BadRequest);

        var tipSession = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "tip");
        Assert.Equal(300, tipSession["data"]!["amountMinor"]!.GetValue<long>());
        // Not earned before it is paid.
        Assert.Equal(earnedBefore, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>());
        await Rides.PayAsync(rider, tipSession, "pay");

        var told = await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "tip");
        Assert.Equal((300L, 300L), (told["data"]!["amountMinor"]!.GetValue<long>(), told["data"]!["tipMinor"]!.GetValue<long>()));
        var driverView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(earnedBefore + 300, driverView["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>());
        var riderView = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("paid", ""), (riderView["receipt"].Str("tipPaymentStatus"), (string?)riderView["receipt"]!["tipUntil"] ?? ""));
        Assert.Equal(("succeeded", 300L), ((await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("status"),
            (await rider.GetOkAsync($"/api/payments/trips/{tripId}"))["amount"]!["amountMinor"]!.GetValue<long>()));

        // The rider meant 1.00, not 3.00: support gives 2.00 of the tip back, and the driver no longer earns it.
        var support = await stack.SupportAsync();
        var back = await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 200, kind = "tip", reason = "rider called: tipped 3.00 instead of 1.00" });
        Assert.Equal(("tip", 200L), (back.Str("kind"), back["amountMinor"]!.GetValue<long>()));
        var lowered = await driver.Socket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("tip", earnedBefore + 100), (lowered["data"].Str("kind"), lowered["data"]!["driverEarningsMinor"]!.GetValue<long>()));
        var receipt = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunded"] is not null);
        Assert.Equal(200, receipt["receipt"]!["refunded"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal("tip", Assert.Single(receipt["receipt"]!["refunds"]!.AsArray())!.Str("kind"));
        Assert.Equal(earnedBefore + 100, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>());
        await support.PostAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 101, kind = "tip", reason = "more" }).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refunds_reach_the_riders_receipt_and_only_a_fare_adjustment_lowers_the_drivers_earnings()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.PayAsync(rider, await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId), "pay");
        var before = (await Http.EventuallyAsync(() => driver.User.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid"))["driverEarnings"]!;
        var operatorDesk = await stack.Client().SignInAsync("rider", "Support desk");

        var badKind = await Refund(operatorDesk, tripId, new { amountMinor = 100, reason = "x", kind = "driver_pays" }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("fare_adjustment", badKind.Str("detail"));
        (await Refund(operatorDesk, tripId, new { amountMinor = 300, reason = "long detour", kind = "fare_adjustment" })).EnsureSuccessStatusCode();
        (await Refund(operatorDesk, tripId, new { amountMinor = 200, reason = "late pickup" })).EnsureSuccessStatusCode();

        // Both reach the rider; only the fare adjustment reaches the driver, with what they now earn.
        var toRider = await riderSocket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId && m["data"].Str("kind") == "goodwill");
        Assert.Equal(500, toRider["data"]!["refundedTotalMinor"]!.GetValue<long>());
        var toDriver = await driver.Socket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("fare_adjustment", 300L), (toDriver["data"].Str("kind"), toDriver["data"]!["amountMinor"]!.GetValue<long>()));
        var seen = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(500, seen["receipt"]!["refunded"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(["fare_adjustment", "goodwill"], seen["receipt"]!["refunds"]!.AsArray().Select(r => r.Str("kind")));
        Assert.Equal("paid", seen["receipt"].Str("paymentStatus"));

        // The driver earns as if the fare had been 300 less; the platform bears the goodwill refund; the rider's refunds are not shown to the driver.
        var driverView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        var shared = Minor(before["amount"]) - 300 - Minor(before["bookingFee"]);
        var serviceFee = (long)Math.Round(shared * before["serviceFeePercent"]!.GetValue<double>() / 100, MidpointRounding.AwayFromZero);
        var after = driverView["driverEarnings"]!;
        Assert.Equal((300L, shared - serviceFee, serviceFee), (Minor(after["fareAdjustment"]), Minor(after["earnings"]), Minor(after["serviceFee"])));
        Assert.True(Minor(after["earnings"]) < Minor(before["earnings"]));
        Assert.Empty(driverView["receipt"]!["refunds"]?.AsArray() ?? []);
        Assert.Null(driverView["receipt"]!["refunded"]);
        var today = DateTimeOffset.UtcNow;
        var summary = await driver.User.GetOkAsync(
            $"/api/trips/earnings?from={Uri.EscapeDataString(today.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(today.AddHours(1).ToString("O"))}");
        var item = summary["items"]!.AsArray().Single(i => i.Str("tripId") == tripId);
        Assert.Equal(shared - serviceFee, Minor(item!["earnings"]!["earnings"]));
        Assert.Equal(shared - serviceFee, toDriver["data"]!["driverEarningsMinor"]!.GetValue<long>());
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(driver.Socket.Received, m => m.Str("type") == "trip.refunded" && m["data"].Str("kind") == "goodwill");
    }

    private static long Minor(JsonNode? money) => money?["amountMinor"]?.GetValue<long>() ?? 0;

    private Task<HttpResponseMessage> Refund(UserSession caller, string tripId, object body)
    {
        var content = System.Net.Http.Json.JsonContent.Create(body);
        content.Headers.Add("x-operator-key", stack.OperatorKey);
        return caller.SendAsync(HttpMethod.Post, $"/api/payments/trips/{tripId}/refunds", content);
    }

    [Fact]
    public async Task Declined_payment_shows_failed_and_a_retry_gets_a_new_checkout_that_pays()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;

        var first = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        // The next trip waits until this one is paid: refused while its payment is open, and after it failed.
        var unpaid = await BookAgainAsync(rider, tripId).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"Your trip {tripId} is not paid yet", unpaid.Str("detail"));
        Assert.Contains("its payment is being made", unpaid.Str("detail"));
        await Rides.PayAsync(rider, first, "decline");
        await riderSocket.WaitForAsync("payment.failed", m => m["data"].Str("tripId") == tripId);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "payment_failed");
        Assert.Contains("its payment failed", (await BookAgainAsync(rider, tripId).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Single((await rider.GetOkAsync("/api/trips"))["trips"]!.AsArray());

        var retried = await rider.PostOkAsync($"/api/trips/{tripId}/payment/retry", new { });
        Assert.Equal(2, retried["receipt"]!["paymentAttempt"]!.GetValue<int>());
        var second = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != first["data"].Str("checkoutUrl"));
        await Rides.PayAsync(rider, second, "pay");

        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");

        // Paid: the next trip books.
        var next = await BookAgainAsync(rider, tripId).OkAsync();
        Assert.Equal("searching", next.Str("status"));
        await rider.PostOkAsync($"/api/trips/{next.Str("tripId")}/cancel", new { });
    }

    /// <summary>Books a trip from where <paramref name="tripId"/> ended to somewhere near.</summary>
    private static async Task<HttpResponseMessage> BookAgainAsync(UserSession rider, string tripId)
    {
        var from = (await rider.GetOkAsync($"/api/trips/{tripId}"))["dropoff"]!;
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = from, dropoff = new { lat = from["lat"]!.GetValue<double>() + 0.01, lng = from["lng"]!.GetValue<double>() } });
        return await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
    }

    [Fact]
    public async Task Late_cancellation_fee_is_charged_as_a_cancellation_fee_and_paid()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(2_000, 0))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        await Task.Delay(LifecycleStackFixture.FreeCancellationWindow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "changed my mind" });

        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, session["data"]!["amountMinor"]!.GetValue<long>());
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal("cancellation_fee", payment.Str("purpose"));
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
    }

    [Fact]
    public async Task Riders_ratings_show_on_the_drivers_card_for_the_next_rider()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await rider.PostOkAsync($"/api/trips/{tripId}/rating", new { stars = 4 });
        var pickup = (await rider.GetOkAsync($"/api/trips/{tripId}"))["pickup"]!;
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");

        var next = await stack.Client().SignInAsync("rider");
        var here = new Point(pickup["lat"]!.GetValue<double>(), pickup["lng"]!.GetValue<double>());
        var nextTrip = (await next.RequestTripAsync(here, here.Offset(1_500, 0))).Str("tripId");
        await driver.OfferAsync(nextTrip);
        await driver.AcceptAsync(nextTrip);
        await Http.EventuallyAsync(() => next.GetOkAsync($"/api/trips/{nextTrip}"), t => t.Str("status") == "driver_assigned");

        var card = await Http.EventuallyAsync(() => next.GetOkAsync($"/api/trips/{nextTrip}/driver"), c => c["ratingCount"]!.GetValue<int>() == 1);
        Assert.Equal(4.0, card["ratingAverage"]!.GetValue<double>());
        Assert.Equal(driver.Id, card.Str("driverId"));
    }

    [Fact]
    public async Task Drivers_ratings_show_on_the_riders_card_for_the_next_driver_and_to_no_one_else()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await driver.PostAsync($"/api/trips/{tripId}/rating", new { stars = 3 }).OkAsync();
        // Folded into the rider's tally (from trip.event.rated): the driver of this trip sees it on its rider card.
        await Http.EventuallyAsync(() => driver.User.GetOkAsync($"/api/trips/{tripId}/rider"), c => c["ratingCount"]!.GetValue<int>() == 1);
        await Rides.PayAsync(rider, await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId), "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["paymentStatus"]?.GetValue<string>() == "paid");
        var pickup = (await rider.GetOkAsync($"/api/trips/{tripId}"))["pickup"]!;
        var here = new Point(pickup["lat"]!.GetValue<double>(), pickup["lng"]!.GetValue<double>());

        var client = stack.Client();
        await using var next = await OnlineDriver.StartAsync(client, here.Offset(30, 0));
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        await driver.User.PostOkAsync("/api/drivers/me/offline", new { });
        var nextTrip = (await rider.RequestTripAsync(here, here.Offset(1_500, 0))).Str("tripId");
        var offer = await next.OfferAsync(nextTrip);
        // The offer says what drivers think of this rider, before the driver takes the trip; the driver's state too.
        Assert.Equal(3.0, offer["data"]!["riderRatingAverage"]!.GetValue<double>());
        Assert.Equal(1, offer["data"]!["riderRatingCount"]!.GetValue<int>());
        Assert.Equal(1, (await next.User.GetOkAsync("/api/drivers/me"))["offer"]!["riderRatingCount"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await next.User.GetAsync($"/api/trips/{nextTrip}/rider")).StatusCode); // only offered yet
        await next.AcceptAsync(nextTrip);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{nextTrip}"), t => t.Str("status") == "driver_assigned");

        var card = await Http.EventuallyAsync(() => next.User.GetOkAsync($"/api/trips/{nextTrip}/rider"), c => c["ratingCount"]!.GetValue<int>() == 1);
        Assert.Equal(3.0, card["ratingAverage"]!.GetValue<double>());
        Assert.Equal(rider.UserId, card.Str("riderId"));
        Assert.Equal("rider", card.Str("name")); // the name it signed up with (first names only: the browser test)
        // The rider's own view and anyone else's: no rider card (the previous driver is no longer on this trip).
        Assert.Equal(HttpStatusCode.NotFound, (await rider.GetAsync($"/api/trips/{nextTrip}/rider")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await driver.User.GetAsync($"/api/trips/{nextTrip}/rider")).StatusCode);
        Assert.Null((await rider.GetOkAsync($"/api/trips/{nextTrip}"))["riderRatingSummary"]);
        await rider.PostOkAsync($"/api/trips/{nextTrip}/cancel", new { });
    }
}
