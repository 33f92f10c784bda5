using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A lost item (ADR 0035) on the whole stack: the rider of a ride paid by card reports it (bad input is 400 naming the
/// field, a driver may not, a second report while open is 409), the driver's socket and mailbox hear of it, the driver
/// answers "I have it" (the rider's socket and mailbox hear), marks it returned, and the return fee is charged to the card
/// as a payment of its own, all of it the driver's: their earnings and what payments owes them grow by it, and the
/// rider's receipt mail names it; without a card it is a checkout of its own beside the fare's. Not found, closing, and a
/// report the driver does not answer reaching support's queue.
/// </summary>
public sealed class LostItemTests(LifecycleStackFixture stack)
{
    private const string Phone = "+49 151 1234 5678";

    [Fact]
    public async Task The_driver_returns_a_lost_item_and_the_return_fee_is_charged_to_the_card_and_is_all_the_drivers()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        await Rides.ConfirmEmailAsync(driver.User, stack.Mailbox);
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200))).Str("tripId");
        await Rides.DriveAsync(rider, driver, tripId, pickup);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var earnedForTheRide = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        var owedForTheRide = earnedForTheRide["owed"]![0]!["amountMinor"]!.GetValue<long>();

        // The finished ride tells the rider the fee before they report.
        var finished = await rider.GetOkAsync($"/api/trips/{tripId}");
        var fee = finished["lostItemReturnFee"]!["amountMinor"]!.GetValue<long>();
        Assert.Equal(1500, fee);

        var path = $"/api/trips/{tripId}/lost-item";
        Assert.Contains("description", (await rider.PostAsync(path, new { description = "  ", phone = Phone }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("description", (await rider.PostAsync(path, new { description = new string('x', 301), phone = Phone }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("phone", (await rider.PostAsync(path, new { description = "Black umbrella", phone = "0151 1234" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await driver.PostAsync(path, new { description = "Black umbrella", phone = Phone }).ProblemAsync(HttpStatusCode.Forbidden);

        var reported = await rider.PostOkAsync(path, new { description = " Black umbrella ", phone = Phone });
        Assert.Equal(("reported", "Black umbrella", "+4915112345678", fee), (reported["lostItem"].Str("status"), reported["lostItem"].Str("description"),
            reported["lostItem"].Str("phone"), reported["lostItem"]!["returnFee"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal(reported["lostItem"].Str("reportedAt"), (await rider.PostOkAsync(path, new { description = "Black umbrella", phone = Phone }))["lostItem"].Str("reportedAt"));
        Assert.Contains("already", (await rider.PostAsync(path, new { description = "Blue scarf", phone = Phone }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));

        // The driver hears at once, on the socket and by mail, and sees the phone to call while it is open.
        var told = await driver.Socket.WaitForAsync("trip.lost_item", m => m["data"].Str("tripId") == tripId && m["data"].Str("status") == "reported");
        Assert.Equal("Black umbrella", told["data"].Str("description"));
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.Contains("left something in your car"));
        Assert.Matches(@"^Your rider from \w{3} \d\d:\d\d left something in your car$", mail.Subject);
        Assert.Contains("Black umbrella", mail.Text);
        Assert.Equal("+4915112345678", (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["lostItem"].Str("phone"));

        var answer = $"/api/trips/{tripId}/lost-item/answer";
        Assert.Contains("note", (await driver.PostAsync(answer, new { found = true, note = " " }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostAsync(answer, new { found = true, note = "Main station" }).ProblemAsync(HttpStatusCode.Forbidden);
        await driver.PostAsync($"/api/trips/{tripId}/lost-item/returned", new { }).ProblemAsync(HttpStatusCode.Conflict); // not said found yet
        var found = await driver.PostAsync(answer, new { found = true, note = "Main station, east exit, today 18:00" }).OkAsync();
        Assert.Equal("found", found["lostItem"].Str("status"));
        var heard = await riderSocket.WaitForAsync("trip.lost_item", m => m["data"].Str("tripId") == tripId && m["data"].Str("status") == "found");
        Assert.Equal("Main station, east exit, today 18:00", heard["data"].Str("driverNote"));
        Assert.Contains("Main station, east exit, today 18:00", (await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Your driver has your lost item")).Text);

        // Handed back: the fee is charged to the card on its own, the driver is told paid and earns all of it.
        var returned = await driver.PostAsync($"/api/trips/{tripId}/lost-item/returned", new { }).OkAsync();
        Assert.Equal("returned", returned["lostItem"].Str("status"));
        Assert.True(string.IsNullOrEmpty(returned["lostItem"].Str("phone"))); // the report ended: the rider's phone is no longer the driver's to see
        var paid = await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "item_return");
        Assert.Equal(fee, paid["data"]!["amountMinor"]!.GetValue<long>());
        var riderView = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"].Str("feePaymentStatus") == "paid");
        Assert.Equal("paid", riderView["receipt"].Str("paymentStatus")); // the fare's payment untouched
        Assert.Null(riderView["lostItemReturnFee"]);
        await riderSocket.WaitForAsync("trip.lost_item", m => m["data"].Str("tripId") == tripId && m["data"].Str("feePaymentStatus") == "paid");
        var support = await stack.SupportAsync();
        var sessions = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray();
        var feeSession = sessions.Single(s => s.Str("purpose") == "item_return")!;
        Assert.Equal(("succeeded", "Visa •••• 4242", fee), (feeSession.Str("status"), feeSession.Str("cardLabel"), feeSession["amountMinor"]!.GetValue<long>()));
        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.Contains("lost item return fee"));
        Assert.Contains("Black umbrella", receipt.Text);

        var earnings = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!;
        Assert.Equal(fee, earnings["itemReturn"]!["amountMinor"]!.GetValue<long>());
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"),
            p => p["owed"]![0]!["amountMinor"]!.GetValue<long>() == owedForTheRide + fee);
        Assert.Equal("returned", (await support.GetOkAsync($"/api/trips/{tripId}"))["lostItems"]![0].Str("status"));

        // The rider says it never really came back: support gives part of the fee back, which the driver no longer earns;
        // the ride's own receipt is untouched, the report says it, and the rider and the driver hear.
        var refunds = $"/api/payments/trips/{tripId}/refunds";
        var feeBack = await support.PostOkAsync(refunds, new { amountMinor = 1000, reason = "The umbrella was not the rider's", kind = "item_return" });
        Assert.Equal((feeSession.Str("sessionId"), 1000L), (feeBack.Str("sessionId"), feeBack["amountMinor"]!.GetValue<long>()));
        await driver.Socket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId && m["data"].Str("kind") == "item_return");
        var afterRefund = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"]?["feeRefunded"] is not null);
        Assert.Equal(1000, afterRefund["lostItem"]!["feeRefunded"]!["amountMinor"]!.GetValue<long>());
        Assert.Null(afterRefund["receipt"]!["refunded"]);
        Assert.Equal(fee - 1000, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["itemReturn"]!["amountMinor"]!.GetValue<long>());
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"),
            p => p["owed"]!.AsArray().Sum(o => o!["amountMinor"]!.GetValue<long>()) == owedForTheRide + fee - 1000);
        var notice = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("UberClone refund:") && m.Subject.Contains("10.00"));
        Assert.Contains("for the return of your lost item was refunded", notice.Text);
        await support.PostAsync(refunds, new { amountMinor = 600, reason = "more than is left", kind = "item_return" }).ProblemAsync(HttpStatusCode.Conflict);

        // Nothing more to do with it.
        await rider.PostAsync($"/api/trips/{tripId}/lost-item/close", new { }).ProblemAsync(HttpStatusCode.Conflict);
        await rider.PostAsync(path, new { description = "Gloves", phone = Phone }).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Without_a_card_the_return_fee_is_a_checkout_of_its_own_and_the_unpaid_fares_stays_open()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var fareCheckout = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "fare");

        await rider.PostOkAsync($"/api/trips/{tripId}/lost-item", new { description = "Scarf", phone = Phone });
        await driver.PostAsync($"/api/trips/{tripId}/lost-item/answer", new { found = true, note = "Tomorrow 9:00 at the pickup" }).OkAsync();
        var returned = await driver.PostAsync($"/api/trips/{tripId}/lost-item/returned", new { }).OkAsync();
        Assert.Equal("pending", returned["lostItem"].Str("feePaymentStatus"));

        // The fee gets a checkout of its own (the fare's stays payable: they are separate charges); the rider pays it.
        var feeCheckout = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "item_return");
        Assert.Equal(1500, feeCheckout["data"]!["amountMinor"]!.GetValue<long>());
        await Rides.PayAsync(rider, feeCheckout, "pay");
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"].Str("feePaymentStatus") == "paid");
        Assert.Equal("pending", paid["receipt"].Str("paymentStatus"));
        Assert.Equal(1500, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["itemReturn"]!["amountMinor"]!.GetValue<long>());

        // The fare is paid afterwards from its own checkout.
        await Rides.PayAsync(rider, fareCheckout, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
    }

    [Fact]
    public async Task A_return_fee_whose_payment_failed_is_paid_again_by_the_rider_and_then_is_the_drivers()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var pay = $"/api/trips/{tripId}/lost-item/pay";
        await rider.PostAsync(pay, new { }).ProblemAsync(HttpStatusCode.Conflict); // no report, no fee
        await rider.PostOkAsync($"/api/trips/{tripId}/lost-item", new { description = "Laptop bag", phone = Phone });
        await driver.PostAsync($"/api/trips/{tripId}/lost-item/answer", new { found = true, note = "Tonight 20:00 at the pickup" }).OkAsync();
        var returned = await driver.PostAsync($"/api/trips/{tripId}/lost-item/returned", new { }).OkAsync();
        var first = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "item_return");
        Assert.Contains("failed", (await rider.PostAsync(pay, new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail")); // still pending

        // The bank declines it: the report says so, the driver is not paid, and only the rider may pay again.
        await Rides.PayAsync(rider, first, "decline");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"].Str("feePaymentStatus") == "payment_failed");
        Assert.Null((await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["itemReturn"]);
        await driver.PostAsync(pay, new { }).ProblemAsync(HttpStatusCode.Forbidden);
        var again = await rider.PostOkAsync(pay, new { });
        Assert.Equal(("pending", returned["lostItem"]!["feePaymentAttempt"]!.GetValue<int>() + 1), (again["lostItem"].Str("feePaymentStatus"), again["lostItem"]!["feePaymentAttempt"]!.GetValue<int>()));
        await rider.PostAsync(pay, new { }).ProblemAsync(HttpStatusCode.Conflict); // once is enough

        // A new checkout of its own; paid, it is all the driver's.
        var second = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "item_return" && m["data"].Str("checkoutUrl") != first["data"].Str("checkoutUrl"));
        Assert.Equal(1500, second["data"]!["amountMinor"]!.GetValue<long>());
        await Rides.PayAsync(rider, second, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"].Str("feePaymentStatus") == "paid");
        Assert.Equal(1500, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["itemReturn"]!["amountMinor"]!.GetValue<long>());
    }

    [Fact]
    public async Task Not_found_lets_the_rider_report_again_and_a_report_the_driver_does_not_answer_reaches_support()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var path = $"/api/trips/{tripId}/lost-item";
        await driver.PostAsync($"/api/trips/{tripId}/lost-item/answer", new { found = false }).ProblemAsync(HttpStatusCode.Conflict); // nothing reported

        await rider.PostOkAsync(path, new { description = "Phone charger", phone = Phone });
        var notFound = await driver.PostAsync($"/api/trips/{tripId}/lost-item/answer", new { found = false, note = "Looked under the seats" }).OkAsync();
        Assert.Equal("not_found", notFound["lostItem"].Str("status"));
        Assert.True(string.IsNullOrEmpty(notFound["lostItem"].Str("phone")));
        await riderSocket.WaitForAsync("trip.lost_item", m => m["data"].Str("tripId") == tripId && m["data"].Str("status") == "not_found");
        await rider.PostAsync($"/api/trips/{tripId}/lost-item/close", new { }).ProblemAsync(HttpStatusCode.Conflict);

        // Reported again, and this time the driver stays silent: support's queue gets a lost_item request with the report.
        var again = await rider.PostOkAsync(path, new { description = "Phone charger, white, maybe in the door pocket", phone = Phone });
        Assert.Equal(2, again["lostItem"]!["number"]!.GetValue<int>());
        var support = await stack.SupportAsync();
        var queue = await Http.EventuallyAsync(() => support.GetOkAsync("/api/trips/help?status=waiting"),
            q => q["requests"]!.AsArray().Any(r => r.Str("tripId") == tripId && r.Str("topic") == "lost_item"), TimeSpan.FromSeconds(30));
        var request = queue["requests"]!.AsArray().First(r => r.Str("tripId") == tripId)!;
        // (On a loaded machine the first report may have been sent too before the driver answered it: the same request holds both.)
        var texts = (await support.GetOkAsync($"/api/trips/help/{request.Str("requestId")}"))["messages"]!.AsArray().Select(m => m.Str("text")!);
        var text = Assert.Single(texts, t => t.Contains("white, maybe in the door pocket", StringComparison.Ordinal));
        Assert.Contains("did not answer", text);
        Assert.Contains("+4915112345678", text);
        var alerted = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{tripId}"), t => t["lostItem"].Str("supportAlertedAt") is { Length: > 0 });
        Assert.Equal(2, alerted["lostItems"]!.AsArray().Count);

        // The rider got it another way: closed, and the driver's answer comes too late.
        Assert.Equal("closed", (await rider.PostOkAsync($"/api/trips/{tripId}/lost-item/close", new { }))["lostItem"].Str("status"));
        await driver.PostAsync($"/api/trips/{tripId}/lost-item/answer", new { found = true, note = "Station" }).ProblemAsync(HttpStatusCode.Conflict);
        await support.PostOkAsync($"/api/trips/help/{request.Str("requestId")}/close", new { });
    }
}
