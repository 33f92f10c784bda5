using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Support waives what a rider owes after the fare's payment failed (ADR 0053): through the real trips (the waiver, the
/// booking rule), payments (the declined checkout closed), the gateway (the audit trail, the socket, the mail). Above
/// Waivers:ApprovalAboveMinor (5000 by default: the short rides here are below it) a second support account approves.
/// </summary>
public sealed class PaymentWaiverTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Support_waives_a_declined_fare_the_rider_is_told_owes_nothing_and_books_again()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var fare = await DeclinedAsync(rider, riderSocket, tripId);
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
    public async Task Support_waives_part_of_a_declined_fare_the_rider_pays_the_rest_and_owes_nothing()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var fare = await DeclinedAsync(rider, riderSocket, tripId);
        var support = await stack.SupportAsync();
        var earnings = (await support.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!.ToJsonString();

        // Not above 0, or more than is owed: 400 naming the field. A part says what support saw owed: without it, 400 naming it.
        foreach (var wrong in new[] { 0, -1, fare + 1 })
        {
            var refused = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "goodwill", amountMinor = wrong, owedMinor = fare }).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.StartsWith("amountMinor", refused.Str("detail"));
        }
        var unseen = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "goodwill", amountMinor = 100 }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("owedMinor is required", unseen.Str("detail"));

        // A third of it, sent twice with one Idempotency-Key (the answer was lost): waived once; the rider owes the rest.
        var part = fare / 3;
        var rest = fare - part;
        var key = Guid.NewGuid().ToString("N");
        JsonObject waived = null!;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var content = JsonContent.Create(new { reason = "the detour, not the ride", amountMinor = part, owedMinor = fare });
            content.Headers.Add("Idempotency-Key", key);
            using var sent = await support.SendAsync(HttpMethod.Post, $"/api/trips/{tripId}/payment/waive", content);
            Assert.Equal(attempt == 1, sent.Headers.Contains("Idempotent-Replayed"));
            waived = await PlatformClient.ReadAsync(sent);
        }
        Assert.Equal("payment_failed", waived["receipt"].Str("paymentStatus"));
        Assert.Equal(part, Assert.Single(waived["receipt"]!["waivers"]!.AsArray())!["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(part, waived["receipt"]!["waived"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(rest, waived["unpaidReminders"]!["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(earnings, waived["driverEarnings"]!.ToJsonString()); // the platform bears the part
        // The same request sent again without its key (a raw retry): it says the whole was owed, the rest is: 409, nothing more waived.
        var raw = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "the detour, not the ride", amountMinor = part, owedMinor = fare })
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("https://uberclone.dev/problems/owed-changed", raw.Str("type"));
        Assert.Equal((rest.ToString(System.Globalization.CultureInfo.InvariantCulture), "USD"), (raw.Str("owedMinor"), raw.Str("currency")));
        Assert.Contains($"changed to {Currencies.Display(rest, "USD")}", raw.Str("detail"));
        var unchanged = await support.GetOkAsync($"/api/trips/{tripId}");
        Assert.Single(unchanged["receipt"]!["waivers"]!.AsArray());
        Assert.Equal(rest, unchanged["unpaidReminders"]!["fare"]!["amountMinor"]!.GetValue<long>());
        var trail = (await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray();
        var entry = Assert.Single(trail, a => a.Str("action") == "payment.waived"); // the retry was replayed, not recorded again
        Assert.Equal((part, "USD"), (entry!["amountMinor"]!.GetValue<long>(), entry.Str("currency")));

        // The rider is told what was waived and what they still owe, in the app and by mail; booking waits for the rest.
        var told = await riderSocket.WaitForAsync("trip.payment_waived", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((part, rest), (told["data"]!["fareMinor"]!.GetValue<long>(), told["data"]!["stillOwedMinor"]!.GetValue<long>()));
        var (partShown, fareShown, restShown) = (Currencies.Display(part, "USD"), Currencies.Display(fare, "USD"), Currencies.Display(rest, "USD"));
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == $"UberClone support waived {partShown} of the {fareShown} you owed: you still owe {restShown}");
        Assert.DoesNotContain("detour", mail.Text);
        var pickup = Point.FreshCity();
        var blocked = await rider.BookAsync(pickup, pickup.Offset(1_000, 1_000)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains($"({restShown} due", blocked.Str("detail"));

        // The rider pays the rest: charged only that, the fare ends paid with the part standing waived, nothing owed.
        await rider.PostOkAsync($"/api/trips/{tripId}/payment/retry", new { });
        var retry = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"]!["amountMinor"]!.GetValue<long>() == rest);
        await Rides.PayAsync(rider, retry, "pay");
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Null(paid["unpaidReminders"]);
        Assert.Equal(part, paid["receipt"]!["waived"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(earnings, (await support.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!.ToJsonString());
        var next = await rider.RequestTripAsync(pickup, pickup.Offset(1_000, 1_000));
        await rider.PostOkAsync($"/api/trips/{next.Str("tripId")}/cancel", new { reason = "just checking" });
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

    [Fact]
    public async Task A_waiver_above_the_limit_waits_for_a_colleagues_approval_and_the_rider_is_told_only_then()
    {
        // A long ride: its fare is above the 50.00 one support account may waive alone.
        var client = stack.Client();
        await using var ride = await LongRideDeclinedAsync(client);
        var (rider, riderSocket, tripId, fare) = (ride.Rider, ride.RiderSocket, ride.TripId, ride.Fare);
        Assert.True(fare > 5000, $"The fare {fare} should be above the limit.");

        // One desk account asks: 202, nothing waived, the request on support's view only; asking again changes nothing.
        var support = await stack.SupportAsync();
        var colleague = await ColleagueAsync(support, client);
        await using var colleagueSocket = await colleague.ConnectAsync();
        using var askedResponse = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "the driver took a long detour" });
        Assert.Equal(HttpStatusCode.Accepted, askedResponse.StatusCode);
        var asked = await PlatformClient.ReadAsync(askedResponse);
        Assert.Equal("payment_failed", asked["receipt"].Str("paymentStatus"));
        Assert.Empty(asked["receipt"]!["waivers"]!.AsArray());
        var request = asked["waiverRequest"]!;
        Assert.Equal((support.UserId, "the driver took a long detour", fare), (request.Str("operatorId"), request.Str("reason"), request["fare"]!["amountMinor"]!.GetValue<long>()));
        using var againResponse = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "the driver took a long detour" });
        Assert.Equal(HttpStatusCode.Accepted, againResponse.StatusCode);
        Assert.Equal(request.Str("askedAt"), (await PlatformClient.ReadAsync(againResponse))["waiverRequest"].Str("askedAt"));
        var ridersView = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Null(ridersView["waiverRequest"]);
        Assert.NotNull(ridersView["unpaidReminders"]);

        // The colleagues' desks are told at once, and list it (oldest first) with the rider's and the asker's names; riders and drivers may not.
        var waiting = await colleagueSocket.WaitForAsync("support.waivers_changed", m => m["data"].Str("tripId") == tripId);
        Assert.True(waiting["data"]!["awaiting"]!.GetValue<bool>());
        var listed = (await colleague.GetOkAsync("/api/trips/waivers/awaiting"))["waivers"]!.AsArray().Single(w => w.Str("tripId") == tripId)!;
        Assert.Equal((rider.UserId, support.UserId, fare, "USD", "the driver took a long detour", request.Str("askedAt")),
            (listed.Str("riderId"), listed.Str("askedBy"), listed["amountMinor"]!.GetValue<long>(), listed.Str("currency"), listed.Str("reason"), listed.Str("askedAt")));
        Assert.False(string.IsNullOrEmpty(listed.Str("riderName")));
        Assert.False(string.IsNullOrEmpty(listed.Str("askedByName")));
        Assert.Equal(DateTimeOffset.Parse(listed.Str("askedAt")).AddHours(72), DateTimeOffset.Parse(listed.Str("lapsesAt")));
        await rider.GetAsync("/api/trips/waivers/awaiting").ProblemAsync(HttpStatusCode.Forbidden);
        await ride.Driver.User.GetAsync("/api/trips/waivers/awaiting").ProblemAsync(HttpStatusCode.Forbidden);

        // The account that asked cannot approve it; a colleague cannot ask for another while it awaits.
        var own = await support.PostAsync($"/api/trips/{tripId}/payment/waive/approve", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("A colleague must approve a waiver you asked for", own.Str("detail"));
        await colleague.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "me too" }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain(riderSocket.Received, m => m.Str("type") == "trip.payment_waived");

        // The colleague approves: waived as one account's waiver is, keeping who asked and who approved; the rider is told now.
        var approved = await colleague.PostOkAsync($"/api/trips/{tripId}/payment/waive/approve", new { });
        Assert.Equal("waived", approved["receipt"].Str("paymentStatus"));
        Assert.Null(approved["waiverRequest"]);
        var waiver = Assert.Single(approved["receipt"]!["waivers"]!.AsArray())!;
        Assert.Equal((fare, support.UserId, colleague.UserId, "the driver took a long detour"),
            (waiver["fare"]!["amountMinor"]!.GetValue<long>(), waiver.Str("operatorId"), waiver.Str("approvedBy"), waiver.Str("reason")));
        Assert.Single((await colleague.PostOkAsync($"/api/trips/{tripId}/payment/waive/approve", new { }))["receipt"]!["waivers"]!.AsArray()); // again: unchanged
        // No longer awaiting: the desks are told, and the list drops it.
        await colleagueSocket.WaitForAsync("support.waivers_changed", m => m["data"].Str("tripId") == tripId && m["data"]!["awaiting"]!.GetValue<bool>() == false);
        Assert.DoesNotContain((await colleague.GetOkAsync("/api/trips/waivers/awaiting"))["waivers"]!.AsArray(), w => w.Str("tripId") == tripId);
        var told = await riderSocket.WaitForAsync("trip.payment_waived", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(fare, told["data"]!["fareMinor"]!.GetValue<long>());
        await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith($"We waived {Currencies.Display(fare, "USD")} for your UberClone ride of"));
        var seen = Assert.Single((await rider.GetOkAsync($"/api/trips/{tripId}"))["receipt"]!["waivers"]!.AsArray())!;
        Assert.Equal("", seen.Str("approvedBy") ?? "");

        // The trail: asked (twice, the same request), approved; the refusals are not changes.
        var trail = (await support.GetOkAsync($"/api/ops/audit?tripId={tripId}"))["actions"]!.AsArray();
        Assert.Equal([("payment.waiver_approved", colleague.UserId), ("payment.waiver_approved", colleague.UserId),
                ("payment.waiver_requested", support.UserId), ("payment.waiver_requested", support.UserId)],
            trail.Select(a => (a.Str("action"), a.Str("operatorId"))));
    }

    [Fact]
    public async Task A_request_is_not_approved_once_what_the_rider_owes_changed_nor_after_it_was_declined()
    {
        // A long ride (above the 50.00 one account waives alone) whose fare was declined.
        var client = stack.Client();
        await using var ride = await LongRideDeclinedAsync(client);
        var (rider, riderSocket, tripId, fare) = (ride.Rider, ride.RiderSocket, ride.TripId, ride.Fare);
        var support = await stack.SupportAsync();
        var colleague = await ColleagueAsync(support, client);
        using var askedResponse = await support.PostAsync($"/api/trips/{tripId}/payment/waive", new { reason = "the driver took a long detour", owedMinor = fare });
        Assert.Equal(HttpStatusCode.Accepted, askedResponse.StatusCode);
        var askedAt = (await PlatformClient.ReadAsync(askedResponse))["waiverRequest"].Str("askedAt");

        // Meanwhile ride credit pays part of it: the rider's retry spends it and the card declines the rest again.
        await support.PostOkAsync($"/api/payments/riders/{rider.UserId}/credit", new { amountMinor = 500, currency = "USD", reason = "Late driver last week", grantId = "late-" + tripId });
        await rider.PostOkAsync($"/api/trips/{tripId}/payment/retry", new { });
        var retry = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"]!["amountMinor"]!.GetValue<long>() == fare - 500);
        await Rides.PayAsync(rider, retry, "decline");
        await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{tripId}"),
            t => t["receipt"].Str("paymentStatus") == "payment_failed" && t["unpaidReminders"]?["fare"]?["amountMinor"]?.GetValue<long>() == fare - 500);

        // The colleague approves what was asked when the whole was owed: 409 owed-changed, nothing waived, the request still awaits.
        var changed = await colleague.PostAsync($"/api/trips/{tripId}/payment/waive/approve", new { askedAt }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("https://uberclone.dev/problems/owed-changed", changed.Str("type"));
        Assert.Equal((fare - 500).ToString(System.Globalization.CultureInfo.InvariantCulture), changed.Str("owedMinor"));
        Assert.Contains("decline it and ask again", changed.Str("detail"));
        var still = await colleague.GetOkAsync($"/api/trips/{tripId}");
        Assert.Empty(still["receipt"]!["waivers"]!.AsArray());
        Assert.Equal(askedAt, still["waiverRequest"].Str("askedAt"));

        // Declined: declining again changes nothing; approving it now is refused, naming it declined.
        await colleague.PostOkAsync($"/api/trips/{tripId}/payment/waive/decline", new { askedAt, reason = "ask again for what is owed now" });
        Assert.Null((await support.PostOkAsync($"/api/trips/{tripId}/payment/waive/decline", new { askedAt }))["waiverRequest"]);
        var declined = await colleague.PostAsync($"/api/trips/{tripId}/payment/waive/approve", new { askedAt }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("was declined", declined.Str("detail"));
        Assert.Equal(fare - 500, (await rider.GetOkAsync($"/api/trips/{tripId}"))["unpaidReminders"]!["fare"]!["amountMinor"]!.GetValue<long>());
    }

    /// <summary>A long ride (30 km and more: its fare above the 50.00 one support account may waive alone), driven and its fare declined.</summary>
    private async Task<DeclinedRide> LongRideDeclinedAsync(PlatformClient client)
    {
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-30_000, 30_000))).Str("tripId");
        await Rides.DriveAsync(rider, driver, tripId, pickup);
        return new DeclinedRide(rider, riderSocket, driver, tripId, await DeclinedAsync(rider, riderSocket, tripId));
    }

    /// <summary>A ride whose fare the rider's card declined (<see cref="Fare"/>, now owed); disposing it closes the rider's socket and the driver's.</summary>
    private sealed record DeclinedRide(UserSession Rider, RealtimeClient RiderSocket, OnlineDriver Driver, string TripId, long Fare) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await RiderSocket.DisposeAsync();
            await Driver.DisposeAsync();
        }
    }

    /// <summary>The rider's card declines the fare of <paramref name="tripId"/> (their email confirmed, so they are mailed): now owed; its amount.</summary>
    private async Task<long> DeclinedAsync(UserSession rider, RealtimeClient riderSocket, string tripId)
    {
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "decline");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["unpaidReminders"] is not null);
        return session["data"]!["amountMinor"]!.GetValue<long>();
    }

    /// <summary>A second support account, added by the desk's as "Add a colleague" does (ADR 0054), signed in.</summary>
    private static async Task<UserSession> ColleagueAsync(UserSession support, PlatformClient client)
    {
        var email = $"support-{Guid.NewGuid():N}@test.uberclone.dev";
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await support.PostOkAsync("/api/ops/operators", new { email, password, name = "Olga Colleague" });
        using var signedIn = await client.Http.PostAsJsonAsync("/api/auth/signin", new { email, password });
        var body = await PlatformClient.ReadAsync(signedIn);
        return new UserSession(client, body.Str("userId"), body.Str("role"), body.Str("accessToken"));
    }
}
