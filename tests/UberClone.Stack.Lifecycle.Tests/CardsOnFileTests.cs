using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A ride paid by the rider's saved card (ADR 0024), trips and payments together: the fare is charged when the ride
/// ends and both sides see it paid without any checkout; a tip after the ride goes to the card too; a declined card
/// leaves the trip payment_failed and the rider's retry is a checkout they pay.
/// </summary>
public sealed class CardsOnFileTests(LifecycleStackFixture stack)
{
    internal static async Task SaveCardAsync(UserSession rider, string number)
    {
        var setup = await rider.PostOkAsync("/api/payments/cards/setup", new { });
        // The page sends the browser back to the web app's /account, which this client (the gateway only) does not serve.
        using var _ = await rider.SendAsync(HttpMethod.Post, $"{setup.Str("url")}/card",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["number"] = number, ["expiry"] = "10/31", ["cvc"] = "737" }));
        // The newest card is the default, listed first.
        var card = (await rider.GetOkAsync("/api/payments/cards"))["cards"]![0];
        Assert.EndsWith(number[^4..], card.Str("label"));
        Assert.True(card!["isDefault"]!.GetValue<bool>());
    }

    /// <param name="savedAfterBooking">The card is saved once the trip is booked: nothing was held, the card is charged at the end.</param>
    private async Task<(UserSession Rider, RealtimeClient Socket, OnlineDriver Driver, string TripId, JsonObject Booked)> RideWithCardAsync(
        PlatformClient client, string number, bool savedAfterBooking = false)
    {
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        if (!savedAfterBooking) await SaveCardAsync(rider, number);
        var socket = await rider.ConnectAsync();
        var booked = await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200));
        var tripId = booked.Str("tripId");
        if (savedAfterBooking) await SaveCardAsync(rider, number);
        Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));
        return (rider, socket, driver, tripId, booked);
    }

    [Fact]
    public async Task The_fare_held_at_booking_and_a_tip_after_the_ride_are_charged_to_the_saved_card_and_the_driver_is_told_paid()
    {
        var (rider, socket, driver, tripId, booked) = await RideWithCardAsync(stack.Client(), "5555 5555 5555 4444");
        await using var _ = socket;
        await using var __ = driver;
        // The upfront price was held on the card when the rider booked (ADR 0027).
        Assert.Equal(("Mastercard •••• 4444", booked["fare"]!["amountMinor"]!.GetValue<long>()),
            (booked["paymentHold"].Str("cardLabel"), booked["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>()));

        var session = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(("card", "Mastercard •••• 4444"), (session["data"].Str("method"), session["data"].Str("cardLabel")));
        var paid = await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId);
        await socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId); // the rider's app: the trip says paid now
        var riderView = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal(riderView["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>(), paid["data"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal("card", (await rider.GetOkAsync($"/api/payments/trips/{tripId}")).Str("method"));
        // The receipt says which card, to the rider (in the app and the mail) and to support, not to the driver.
        Assert.Equal("Mastercard •••• 4444", riderView["receipt"].Str("paidWith"));
        Assert.Equal("", (string?)(await driver.User.GetOkAsync($"/api/trips/{tripId}"))["receipt"]?["paidWith"] ?? "");
        var support = await stack.SupportAsync();
        Assert.Equal("Mastercard •••• 4444", (await support.GetOkAsync($"/api/trips/{tripId}"))["receipt"].Str("paidWith"));
        // The fare was taken from the hold (support's view of the trip's payments), not charged a second time.
        var payments = await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions");
        Assert.True(payments["sessions"]![0]!["fromHold"]!.GetValue<bool>());
        Assert.Equal(("captured", paid["data"]!["amountMinor"]!.GetValue<long>()), (payments["hold"].Str("status"), payments["hold"]!["capturedMinor"]!.GetValue<long>()));
        // Support sees the rider's saved cards (which one is charged); nobody else does.
        var theirs = await support.GetOkAsync($"/api/payments/riders/{rider.UserId}/cards");
        Assert.Equal(("Mastercard •••• 4444", true), (theirs["cards"]![0].Str("label"), theirs["cards"]![0]!["isDefault"]!.GetValue<bool>()));
        await rider.GetAsync($"/api/payments/riders/{rider.UserId}/cards").ProblemAsync(HttpStatusCode.Forbidden);
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        Assert.Contains("Charged to  Mastercard •••• 4444", mail.Text);
        // The rider's data file holds what is kept of the card (never its number).
        var export = await rider.GetOkAsync("/api/auth/me/export");
        var exported = Assert.Single(export["savedCards"]!.AsArray())!;
        Assert.Equal(("Mastercard •••• 4444", "4444", true), (exported.Str("label"), exported.Str("last4"), exported["isDefault"]!.GetValue<bool>()));
        Assert.DoesNotContain("5555555555554444", export.ToJsonString());
        Assert.Null((await driver.User.GetOkAsync("/api/auth/me/export"))["savedCards"]);

        await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 250 });
        var tip = await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId && m["data"].Str("purpose") == "tip");
        Assert.Equal(250, tip["data"]!["tipMinor"]!.GetValue<long>());
        var withTip = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("tipPaymentStatus") == "paid");
        Assert.Equal(250, withTip["receipt"]!["tip"]!["amountMinor"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_card_saved_after_booking_that_declines_leaves_the_trip_unpaid_and_the_retry_is_a_checkout_the_rider_pays()
    {
        var (rider, socket, driver, tripId, booked) = await RideWithCardAsync(stack.Client(), "4000 0000 0000 0341", savedAfterBooking: true);
        Assert.Null(booked["paymentHold"]);
        await using var _ = socket;
        await using var __ = driver;

        var failed = await socket.WaitForAsync("payment.failed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("card_declined", failed["data"].Str("reason"));
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "payment_failed");

        await rider.PostOkAsync($"/api/trips/{tripId}/payment/retry", new { });
        var checkout = await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId && m["data"].Str("method") == "checkout");
        await Rides.PayAsync(rider, checkout, "pay");

        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        await driver.Socket.WaitForAsync("trip.paid", m => m["data"].Str("tripId") == tripId);
    }

    [Fact]
    public async Task A_card_the_bank_declines_refuses_the_booking_and_the_rider_books_at_once_choosing_another_card_whose_hold_a_cancellation_releases()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await SaveCardAsync(rider, "4242 4242 4242 4242");
        await SaveCardAsync(rider, "4000 0000 0000 0341"); // the newest: the default

        var refused = await rider.BookAsync(pickup, pickup.Offset(-2_000, 1_200)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("Your card Visa •••• 0341 was declined (card declined)", refused.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound); // nothing was booked

        // The rider chooses the other card for this ride and books again at once; its hold is placed.
        var visa = (await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray().Single(c => c.Str("label") == "Visa •••• 4242")!.Str("id");
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = pickup.Lat - 0.01, lng = pickup.Lng } });
        // A card that is not one of theirs is refused, saying so, and books nothing.
        var stranger = await client.SignInAsync("rider");
        await SaveCardAsync(stranger, "5555 5555 5555 4444");
        var strangers = (await stranger.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id");
        var notTheirs = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", cardId = strangers }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(notTheirs.Str("detail").Contains("not one of your saved cards"), notTheirs.ToJsonString());
        var booked = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", cardId = visa }).OkAsync();
        Assert.Equal("Visa •••• 4242", booked["paymentHold"].Str("cardLabel"));
        var tripId = booked.Str("tripId");

        // Cancelled before a driver was found: free, and the money held is let go.
        await rider.PostAsync($"/api/trips/{tripId}/cancel", new { reason = "changed my plans" }).OkAsync();
        var support = await stack.SupportAsync();
        var payments = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"), p => p["hold"].Str("status") == "released");
        Assert.Equal("cancelled", payments["hold"].Str("endReason"));
        Assert.Empty(payments["sessions"]!.AsArray());
        // Drivers and other riders never see the hold.
        await stranger.GetAsync($"/api/payments/trips/{tripId}/sessions").ProblemAsync(HttpStatusCode.Forbidden);
        await stranger.GetAsync($"/api/trips/{tripId}").ProblemAsync(HttpStatusCode.NotFound);

        // The rider calls support: the declining card was stolen. Support removes it, saying why (the trail keeps it).
        var stolen = (await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray().Single(c => c.Str("label") == "Visa •••• 0341")!.Str("id");
        var remove = $"/api/payments/riders/{rider.UserId}/cards/{stolen}/remove";
        Assert.Contains("Say why", (await support.PostAsync(remove, new { reason = " " }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostAsync(remove, new { reason = "mine" }).ProblemAsync(HttpStatusCode.Forbidden);
        await support.PostAsync($"/api/payments/riders/{rider.UserId}/cards/card_unknown/remove", new { reason = "reported stolen" }).ProblemAsync(HttpStatusCode.NotFound);
        // The rider turned every kind of mail off: a notice about their account still reaches them.
        await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/auth/me/mail",
            System.Net.Http.Json.JsonContent.Create(new { receipts = false, rides = false, offers = false })));
        await using var socket = await rider.ConnectAsync();
        var left = await support.PostOkAsync(remove, new { reason = "reported stolen by the rider on the phone" });
        // The rider's open app is told at once (it stops offering the card).
        var pushed = await socket.WaitForAsync("payment.card_removed");
        Assert.Equal(("Visa •••• 0341", "support", "reported stolen by the rider on the phone"),
            (pushed["data"].Str("cardLabel"), pushed["data"].Str("removedBy"), pushed["data"].Str("reason")));
        Assert.Equal(["Visa •••• 4242"], left["cards"]!.AsArray().Select(c => c.Str("label")));
        Assert.Equal(["Visa •••• 4242"], (await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray().Select(c => c.Str("label")));
        var trail = await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}");
        var removal = trail["actions"]!.AsArray().Single(a => a.Str("action") == "card.removed")!;
        Assert.Equal("reported stolen by the rider on the phone", removal.Str("reason"));
        // The rider is told by mail: which card, that support removed it, and why.
        var notice = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Visa •••• 0341 was removed from your UberClone account");
        Assert.Contains("UberClone support removed your card Visa •••• 0341", notice.Text);
        Assert.Contains("Why: reported stolen by the rider on the phone", notice.Text);
    }

    [Fact]
    public async Task A_bank_asking_for_authentication_sends_the_rider_to_its_page_and_the_booking_goes_through_once_they_confirm_and_not_when_they_fail()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await SaveCardAsync(rider, "4000 0027 6000 3184"); // its bank asks for 3-D Secure at every payment
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = pickup.Lat - 0.01, lng = pickup.Lng } });
        var booking = new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" };

        // Booking sends the rider to the bank first: nothing is booked yet, and the problem says where to go.
        var asked = await rider.PostAsync("/api/trips", booking).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("https://uberclone.dev/problems/card-authentication-required", asked.Str("type"));
        Assert.Contains("Your bank asks you to confirm the", asked.Str("detail"));
        Assert.Equal("Visa •••• 3184", asked.Str("cardLabel"));
        Assert.Equal((quote["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!["price"]!["amountMinor"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), "USD"),
            (asked.Str("amountMinor"), asked.Str("currency"))); // what is held, as numbers
        var page = asked.Str("authenticationUrl");
        Assert.StartsWith("/checkout/auth_sandbox_", page);
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound);
        // Booking again before answering the bank asks again, with the same page.
        Assert.Equal(page, (await rider.PostAsync("/api/trips", booking).ProblemAsync(HttpStatusCode.BadRequest)).Str("authenticationUrl"));

        // The bank's page (the sandbox's stand-in) names the amount and the card; the rider fails it.
        using (var shown = await rider.GetAsync(page))
        {
            var html = await shown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(shown.IsSuccessStatusCode, html);
            Assert.Contains("Visa •••• 3184", html);
            Assert.Contains("Complete authentication", html);
        }
        using (var failed = await rider.SendAsync(HttpMethod.Post, $"{page}/fail", new FormUrlEncodedContent([])))
        {
            // Sent back to the rider's app, which books again.
            Assert.EndsWith("/rider?booking=authenticated", failed.RequestMessage!.RequestUri!.PathAndQuery);
        }
        var declined = await rider.PostAsync("/api/trips", booking).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Your card Visa •••• 3184 was declined (authentication failed)", declined.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound);
        // An answered page cannot be answered again.
        await rider.SendAsync(HttpMethod.Post, $"{page}/complete", new FormUrlEncodedContent([])).ProblemAsync(HttpStatusCode.Conflict);

        // Booking again is a new attempt: a new page, which the rider completes this time; then the booking goes through, held.
        var again = (await rider.PostAsync("/api/trips", booking).ProblemAsync(HttpStatusCode.BadRequest)).Str("authenticationUrl");
        Assert.NotEqual(page, again);
        using (var _ = await rider.SendAsync(HttpMethod.Post, $"{again}/complete", new FormUrlEncodedContent([])))
        {
        }
        var booked = await rider.PostAsync("/api/trips", booking).OkAsync();
        Assert.Equal("searching", booked.Str("status"));
        Assert.Equal("Visa •••• 3184", booked["paymentHold"].Str("cardLabel"));
        var support = await stack.SupportAsync();
        var payments = await support.GetOkAsync($"/api/payments/trips/{booked.Str("tripId")}/sessions");
        Assert.Equal("held", payments["hold"].Str("status"));
        Assert.Equal(2, payments["hold"]!["attempt"]!.GetValue<int>());
    }

    /// <summary>A rider who saved <paramref name="number"/> books a 2.3 km ride, its fare held on the card, and a driver accepts it.</summary>
    private async Task<(UserSession Rider, OnlineDriver Driver, Point Pickup, string TripId, long HeldAtBooking)> AssignedWithCardAsync(string number)
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await SaveCardAsync(rider, number);
        var booked = await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200));
        var tripId = booked.Str("tripId");
        var heldAtBooking = booked["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>();
        Assert.Equal(booked["fare"]!["amountMinor"]!.GetValue<long>(), heldAtBooking);
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "driver_assigned");
        return (rider, driver, pickup, tripId, heldAtBooking);
    }

    [Fact]
    public async Task A_new_destination_that_costs_more_raises_the_hold_on_the_card_and_the_ride_is_paid_from_it()
    {
        var (rider, driver, pickup, tripId, heldAtBooking) = await AssignedWithCardAsync("4242 4242 4242 4242");
        await using var _ = driver;

        // A drop-off 4 km farther: the new price is held on the same card instead, and the trip says so.
        var farther = pickup.Offset(-6_000, 1_200);
        var quote = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = farther.Lat, lng = farther.Lng } });
        var newFare = quote["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.True(newFare > heldAtBooking, $"{newFare} should be more than {heldAtBooking}");
        var changed = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = new { lat = farther.Lat, lng = farther.Lng }, maxFareMinor = newFare });
        Assert.Equal(("Visa •••• 4242", newFare), (changed["paymentHold"].Str("cardLabel"), changed["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal("", (string?)changed["paymentHold"]!["raiseDeclineCode"] ?? "");
        Assert.Equal(newFare, (await rider.GetOkAsync($"/api/trips/{tripId}"))["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>());
        var support = await stack.SupportAsync();
        var hold = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["hold"]!;
        Assert.Equal(("held", newFare, 1), (hold.Str("status"), hold["amountMinor"]!.GetValue<long>(), hold["raises"]!.GetValue<int>()));
        // Back to a nearer drop-off costs less than is held: the hold stays as it is.
        var nearer = pickup.Offset(-3_000, 1_200);
        var lower = (await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = nearer.Lat, lng = nearer.Lng } }))["fare"]!["amountMinor"]!.GetValue<long>();
        var back = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = new { lat = nearer.Lat, lng = nearer.Lng }, maxFareMinor = lower });
        Assert.Equal(newFare, back["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>());

        // The ride's fare is taken from the raised hold: one capture, nothing charged beside it.
        var (due, paid) = await RideToTheEndAsync(rider, driver, pickup, tripId, support);
        Assert.Equal(due, paid["hold"]!["capturedMinor"]!.GetValue<long>());
        Assert.True(paid["sessions"]![0]!["fromHold"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_bank_answering_after_the_booking_stopped_waiting_still_shows_its_hold_on_the_trip_and_the_riders_app_is_told()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await SaveCardAsync(rider, "4000 0000 0000 5001"); // the sandbox's slow bank: 5 s to answer a hold, trips waits 3 s
        await using var socket = await rider.ConnectAsync();

        var booked = await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200));
        var tripId = booked.Str("tripId");
        Assert.Null(booked["paymentHold"]); // booked without waiting for the bank

        // The bank's answer is recorded when it comes, and the trip shows it (ADR 0030).
        await socket.WaitForAsync("trip.payment_hold_changed", m => m["data"].Str("tripId") == tripId, TimeSpan.FromSeconds(30));
        var trip = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("Visa •••• 5001", booked["fare"]!["amountMinor"]!.GetValue<long>()),
            (trip["paymentHold"].Str("cardLabel"), trip["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>()));

        // Cancelled before a driver came: the late hold is let go like any other.
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "changed my mind" });
        var support = await stack.SupportAsync();
        await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"), p => p["hold"].Str("status") == "released");
    }

    [Fact]
    public async Task A_raise_the_bank_declines_keeps_the_old_hold_the_trip_says_why_and_the_fare_above_it_is_asked_of_the_card_at_the_end()
    {
        // The sandbox's card with $25.00 available: a short ride is held on it.
        var (rider, driver, pickup, tripId, heldAtBooking) = await AssignedWithCardAsync("4000 0000 0000 2503");
        await using var _ = driver;

        // A drop-off 20 km away costs more than the card has: the bank declines the raise, the old hold stays.
        var far = pickup.Offset(-20_000, 1_200);
        var quote = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = far.Lat, lng = far.Lng } });
        var newFare = quote["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.True(newFare > 2_500, $"{newFare} should be more than the card's 2500");
        var changed = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = new { lat = far.Lat, lng = far.Lng }, maxFareMinor = newFare });
        Assert.Equal(("Visa •••• 2503", heldAtBooking, "insufficient_funds"),
            (changed["paymentHold"].Str("cardLabel"), changed["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>(), changed["paymentHold"].Str("raiseDeclineCode")));
        var support = await stack.SupportAsync();
        var hold = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["hold"]!;
        Assert.Equal(("held", heldAtBooking, "insufficient_funds"), (hold.Str("status"), hold["amountMinor"]!.GetValue<long>(), hold.Str("raiseDeclineCode")));

        // The fare is above what is held: the hold is let go and the card asked for the whole fare, which it cannot pay.
        await using var socket = await rider.ConnectAsync();
        var pin = (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var failed = await socket.WaitForAsync("payment.failed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("insufficient_funds", failed["data"].Str("reason"));
        var after = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"), p => p["hold"].Str("status") == "released");
        Assert.Equal("charge_above_hold", after["hold"].Str("endReason"));
    }

    private static async Task<string> CardIdAsync(UserSession rider, string label) =>
        (await rider.GetOkAsync("/api/payments/cards"))["cards"]!.AsArray().Single(c => c.Str("label") == label)!.Str("id");

    [Fact]
    public async Task A_ride_moved_to_another_card_during_it_is_held_and_charged_there_and_a_card_that_declines_changes_nothing()
    {
        // The $25 card cannot hold a 20 km ride: the raise is declined, and the rider moves the ride to a card that can.
        var (rider, driver, pickup, tripId, heldAtBooking) = await AssignedWithCardAsync("4000 0000 0000 2503");
        await using var _ = driver;
        var far = pickup.Offset(-20_000, 1_200);
        var newFare = (await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = far.Lat, lng = far.Lng } }))["fare"]!["amountMinor"]!.GetValue<long>();
        var changed = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = new { lat = far.Lat, lng = far.Lng }, maxFareMinor = newFare });
        Assert.Equal("insufficient_funds", changed["paymentHold"].Str("raiseDeclineCode"));
        await SaveCardAsync(rider, "4242 4242 4242 4242");
        await SaveCardAsync(rider, "4000 0000 0000 0341");
        var (visa, declining) = (await CardIdAsync(rider, "Visa •••• 4242"), await CardIdAsync(rider, "Visa •••• 0341"));
        await using var socket = await rider.ConnectAsync();

        // A card the bank declines: nothing changes, and the rider is told why.
        var refused = await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = declining }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("declined holding", refused.Str("detail"));
        Assert.EndsWith("on Visa •••• 0341 (card declined): the ride stays on Visa •••• 2503.", refused.Str("detail"));
        Assert.Equal(("Visa •••• 2503", heldAtBooking), HoldShown(await rider.GetOkAsync($"/api/trips/{tripId}")));

        // Moved: the new price is held on the Visa, the $25 card's hold is let go, the rider's app is told.
        var moved = await rider.PostOkAsync($"/api/trips/{tripId}/card", new { cardId = visa });
        Assert.Equal(("Visa •••• 4242", newFare, visa), (moved["paymentHold"].Str("cardLabel"), moved["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>(), moved.Str("cardId")));
        Assert.Equal("", (string?)moved["paymentHold"]!["raiseDeclineCode"] ?? "");
        await socket.WaitForAsync("trip.payment_hold_changed", m => m["data"].Str("tripId") == tripId && m["data"].Str("cardLabel") == "Visa •••• 4242");
        var support = await stack.SupportAsync();
        var hold = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["hold"]!;
        Assert.Equal(("held", "Visa •••• 4242", newFare), (hold.Str("status"), hold.Str("cardLabel"), hold["amountMinor"]!.GetValue<long>()));
        Assert.Equal((1, 1), (hold["raises"]!.GetValue<int>(), hold["moves"]!.GetValue<int>())); // the declined raise, and the move
        // The same card again changes nothing.
        Assert.Equal(("Visa •••• 4242", newFare), HoldShown(await rider.PostOkAsync($"/api/trips/{tripId}/card", new { cardId = visa })));

        // Bad requests change nothing either: a card id that is not one, someone else's card, a driver.
        await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = "not a card" }).ProblemAsync(HttpStatusCode.BadRequest);
        var stranger = await stack.Client().SignInAsync("rider");
        await SaveCardAsync(stranger, "5555 5555 5555 4444");
        var notTheirs = await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = await CardIdAsync(stranger, "Mastercard •••• 4444") }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not one of your saved cards", notTheirs.Str("detail"));
        await driver.PostAsync($"/api/trips/{tripId}/card", new { cardId = visa }).ProblemAsync(HttpStatusCode.Forbidden);
        await stranger.PostAsync($"/api/trips/{tripId}/card", new { cardId = visa }).ProblemAsync(HttpStatusCode.NotFound);

        // The fare is taken from the Visa's hold; once the ride is over its card no longer changes.
        var (due, paid) = await RideToTheEndAsync(rider, driver, pickup, tripId, support);
        Assert.Equal((due, "Visa •••• 4242", true), (paid["hold"]!["capturedMinor"]!.GetValue<long>(), paid["sessions"]![0].Str("cardLabel"), paid["sessions"]![0]!["fromHold"]!.GetValue<bool>()));
        var over = await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = declining }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("can change only until it ends", over.Str("detail"));
    }

    [Fact]
    public async Task A_move_to_a_card_whose_bank_answers_late_is_503_at_first_and_the_ride_moves_when_the_bank_holds_it()
    {
        var (rider, driver, pickup, tripId, heldAtBooking) = await AssignedWithCardAsync("4242 4242 4242 4242");
        await using var _ = driver;
        await SaveCardAsync(rider, "4000 0000 0000 5001"); // the sandbox's slow bank: 5 s to answer a hold, trips waits 3 s
        await using var socket = await rider.ConnectAsync();

        var late = await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = await CardIdAsync(rider, "Visa •••• 5001") })
            .ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("Payments did not answer in time", late.Str("detail"));
        Assert.Equal(("Visa •••• 4242", heldAtBooking), HoldShown(await rider.GetOkAsync($"/api/trips/{tripId}")));

        // Payments hears the bank out: once it holds, the ride is on the slow bank's card and the rider's app is told.
        await socket.WaitForAsync("trip.payment_hold_changed", m => m["data"].Str("tripId") == tripId && m["data"].Str("cardLabel") == "Visa •••• 5001",
            TimeSpan.FromSeconds(30));
        var now = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("Visa •••• 5001", heldAtBooking), HoldShown(now));
        Assert.Equal(await CardIdAsync(rider, "Visa •••• 5001"), now.Str("cardId")); // told by the card's id in payments' event
        var support = await stack.SupportAsync();
        var (due, paid) = await RideToTheEndAsync(rider, driver, pickup, tripId, support);
        Assert.Equal((due, "Visa •••• 5001"), (paid["hold"]!["capturedMinor"]!.GetValue<long>(), paid["sessions"]![0].Str("cardLabel")));
    }

    [Fact]
    public async Task A_ride_that_ends_while_a_move_waits_for_the_bank_is_paid_and_tipped_from_one_card_and_the_trip_names_that_card()
    {
        var (rider, driver, pickup, tripId, _) = await AssignedWithCardAsync("4242 4242 4242 4242");
        await using var __ = driver;
        var first = await CardIdAsync(rider, "Visa •••• 4242");
        await SaveCardAsync(rider, "4000 0000 0000 5001"); // 5 s to answer: trips stops waiting after 3 s
        var slow = await CardIdAsync(rider, "Visa •••• 5001");
        await rider.PostAsync($"/api/trips/{tripId}/card", new { cardId = slow }).ProblemAsync(HttpStatusCode.ServiceUnavailable);

        // The ride ends while the bank still thinks. Whichever comes first — the fare taken from the Visa 4242's hold (the
        // late hold on the slow card is then let go) or the move (the fare then comes from the slow card) — the trip names
        // the card the fare came from, and a tip goes to that card too.
        var support = await stack.SupportAsync();
        var (_, paid) = await RideToTheEndAsync(rider, driver, pickup, tripId, support);
        var fare = paid["sessions"]!.AsArray().Single(s => s.Str("purpose") == "fare")!;
        Assert.True(fare["fromHold"]!.GetValue<bool>());
        var movedFirst = fare.Str("cardLabel") == "Visa •••• 5001";
        Assert.Equal(movedFirst ? 1 : 0, paid["hold"]!["moves"]!.GetValue<int>());
        var paidWith = movedFirst ? slow : first;
        // The move's answer may still be on its way (it comes 5 s after the request): the trip ends up naming the fare's card.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var trip = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("cardId") == paidWith && t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal(fare.Str("cardLabel"), trip["receipt"].Str("paidWith"));

        await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 });
        var tipped = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"),
            p => p["sessions"]!.AsArray().Any(s => s.Str("purpose") == "tip" && s.Str("status") == "succeeded"));
        Assert.Equal(fare.Str("cardLabel"), tipped["sessions"]!.AsArray().Single(s => s.Str("purpose") == "tip")!.Str("cardLabel"));
        // Only one card keeps money for the ride: the hold the fare was taken from.
        Assert.Equal(("captured", fare.Str("cardLabel")), (tipped["hold"].Str("status"), tipped["hold"].Str("cardLabel")));
    }

    /// <summary>The driver arrives, starts with the rider's PIN and completes; what the rider owes, once support sees the hold captured.</summary>
    private static async Task<(long Due, JsonObject Payments)> RideToTheEndAsync(UserSession rider, OnlineDriver driver, Point pickup, string tripId, UserSession support)
    {
        var pin = (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var paid = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"), p => p["hold"].Str("status") == "captured");
        return (completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>(), paid);
    }

    /// <summary>The hold a trip shows its rider: on which card, how much.</summary>
    private static (string? Card, long Amount) HoldShown(JsonObject trip) => (trip["paymentHold"].Str("cardLabel"), trip["paymentHold"]!["amount"]!["amountMinor"]!.GetValue<long>());
}
