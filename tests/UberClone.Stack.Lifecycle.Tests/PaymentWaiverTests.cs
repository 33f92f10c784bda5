using System.Net;
using UberClone.Contracts;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Support waives what a rider owes after the fare's payment failed (ADR 0053): through the real trips (the waiver, the
/// booking rule), payments (the declined checkout closed), the gateway (the audit trail, the socket, the mail).
/// </summary>
public sealed class PaymentWaiverTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Support_waives_a_declined_fare_the_rider_is_told_owes_nothing_and_books_again()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        var fare = session["data"]!["amountMinor"]!.GetValue<long>();
        await Rides.PayAsync(rider, session, "decline");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["unpaidReminders"] is not null);
        var pickup = Point.FreshCity();
        var refused = await rider.BookAsync(pickup, pickup.Offset(1_000, 1_000)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("is not paid yet", refused.Str("detail"));
        Assert.Contains("its payment failed", refused.Str("detail"));
        // Still owed: no final receipt to mail a copy of.
        var notFinal = await rider.PostAsync($"/api/trips/{tripId}/receipt/email", new { }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("https://uberclone.dev/problems/receipt-not-final", notFinal.Str("type"));

        // Only support, with a reason.
        var support = await stack.SupportAsync();
        await rider.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "I'd rather not" }).ProblemAsync(HttpStatusCode.Forbidden);
        await driver.User.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "pay me anyway" }).ProblemAsync(HttpStatusCode.Forbidden);
        var noReason = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "  " }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("reason is required", noReason.Str("detail"));

        var waived = await support.PostOkAsync($"/api/trips/{tripId}/payment/waive", new { reason = "the driver took a long detour" });
        Assert.Equal("waived", waived["receipt"].Str("paymentStatus"));
        var waiver = Assert.Single(waived["receipt"]!["waivers"]!.AsArray())!;
        Assert.Equal((fare, "the driver took a long detour", support.UserId), (waiver["fare"]!["amountMinor"]!.GetValue<long>(), waiver.Str("reason"), waiver.Str("operatorId")));
        Assert.Null(waived["unpaidReminders"]);
        // Again (the answer was lost): the same, nothing new.
        var again = await support.PostOkAsync($"/api/trips/{tripId}/payment/waive", new { reason = "twice" });
        Assert.Single(again["receipt"]!["waivers"]!.AsArray());

        // The rider: told on the socket and by mail, without support's note; sees it on the receipt; books again.
        var told = await riderSocket.WaitForAsync("trip.payment_waived", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(fare, told["data"]!["fareMinor"]!.GetValue<long>());
        Assert.Null(told["data"]!["reason"]);
        var due = Currencies.Display(fare, "USD");
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith($"We waived {due} for your UberClone ride of"));
        Assert.Contains($"We have waived the {due} you owed for your ride of", mail.Text);
        Assert.Contains("You can book your next ride in the app as usual.", mail.Text);
        Assert.DoesNotContain("long detour", mail.Text);
        var ridersView = await rider.GetOkAsync($"/api/trips/{tripId}");
        var seen = Assert.Single(ridersView["receipt"]!["waivers"]!.AsArray())!;
        Assert.Equal((fare, ""), (seen["fare"]!["amountMinor"]!.GetValue<long>(), seen.Str("reason") ?? ""));
        await rider.PostAsync($"/api/trips/{tripId}/payment/retry", new { }).ProblemAsync(HttpStatusCode.BadRequest);
        // The driver's open app reads the trip again: told which trip and when, not what the rider owed.
        var driverTold = await driver.Socket.WaitForAsync("trip.payment_waived", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(["tripId", "waivedAt"], driverTold["data"]!.AsObject().Select(p => p.Key));
        // The receipt is final now: a copy by mail says what was waived and that nothing was charged.
        using (var copied = await rider.PostAsync($"/api/trips/{tripId}/receipt/email", new { }))
        {
            Assert.Equal(HttpStatusCode.Accepted, copied.StatusCode);
        }
        var copy = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt (copy):"));
        Assert.StartsWith($"Your UberClone receipt (copy): {due} waived, ", copy.Subject);
        Assert.Matches($@"\nWaived by UberClone support \(\d+ \w+\) +-{System.Text.RegularExpressions.Regex.Escape(due)}\n-+\nTotal charged +\$0\.00\n", copy.Text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("long detour", copy.Text);
        var next = await rider.RequestTripAsync(pickup, pickup.Offset(1_000, 1_000));
        await rider.PostOkAsync($"/api/trips/{next.Str("tripId")}/cancel", new { reason = "just checking" });

        // Payments closed the declined checkout, and support's trail has the waiver on the trip.
        var sessions = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray();
        await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"),
            s => s["sessions"]!.AsArray().Any(x => x.Str("status") == "expired" && x.Str("failureReason") == "waived"));
        Assert.NotEmpty(sessions);
        var trail = (await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray();
        Assert.Equal([("payment.waived", "twice"), ("payment.waived", "the driver took a long detour")], trail.Select(a => (a.Str("action"), a.Str("reason"))));
    }

    [Fact]
    public async Task A_paid_ride_has_nothing_to_waive()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");

        var support = await stack.SupportAsync();
        var refused = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "goodwill" }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("owes nothing", refused.Str("detail"));
        await support.PostAsync("/api/trips/t0000000000000000000000000000000/payment/waive", new { reason = "goodwill" }).ProblemAsync(HttpStatusCode.NotFound);
    }
}
