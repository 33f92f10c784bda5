using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Rides booked for later on the whole stack (the fixture books "later" seconds ahead): the booking waits without
/// blocking a ride now, its search starts on time through dispatch like any trip, and cancelling it is free.
/// </summary>
public sealed class ScheduledRideTests(LifecycleStackFixture stack)
{
    private static async Task<JsonObject> QuoteAsync(UserSession rider, Point pickup, Point dropoff) =>
        await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });

    private static Task<HttpResponseMessage> ReserveAsync(UserSession rider, JsonObject quote, object scheduledFor) =>
        rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor });

    /// <summary>
    /// The soonest pickup a ride may be booked for (the fixture's MinScheduleAhead), with 5 s for the request to reach
    /// trips on a loaded machine: read just before the request that uses it (2 s, read a few calls earlier, ran out once
    /// in CI).
    /// </summary>
    private static DateTimeOffset SoonestPickup() => DateTimeOffset.UtcNow + LifecycleStackFixture.MinScheduleAhead + TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_ride_booked_for_later_waits_lets_the_rider_ride_now_then_searches_on_time_and_its_driver_is_offered_it()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();
        var quote = await QuoteAsync(rider, pickup, pickup.Offset(-2_500, 1_500));

        // Bad pickup times are refused, saying why; nothing is booked.
        Assert.Contains("at least", (await ReserveAsync(rider, quote, DateTimeOffset.UtcNow.AddSeconds(2).ToString("O")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("at most", (await ReserveAsync(rider, quote, DateTimeOffset.UtcNow.AddDays(31).ToString("O")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("scheduledFor", (await ReserveAsync(rider, quote, "tomorrow at six").ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("scheduledFor", (await ReserveAsync(rider, quote, "2026-12-24T18:00:00").ProblemAsync(HttpStatusCode.BadRequest)).Str("detail")); // no offset

        var pickupAt = SoonestPickup();
        var booked = await (await ReserveAsync(rider, quote, pickupAt.ToString("O"))).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var reserved = Json.Parse(booked);
        var tripId = reserved.Str("tripId");
        Assert.Equal("scheduled", reserved.Str("status"));
        Assert.Equal(pickupAt, DateTimeOffset.Parse(reserved.Str("scheduledFor")));
        Assert.Equal(pickupAt - LifecycleStackFixture.ScheduledDispatchLead, DateTimeOffset.Parse(reserved.Str("dispatchAt")));
        Assert.Equal(quote["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!["price"]!["amountMinor"]!.GetValue<long>(),
            reserved["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(tripId, Assert.Single((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray())!.Str("tripId"));
        // Booking again with the same quote answers the same ride.
        Assert.Equal(tripId, Json.Parse(await (await ReserveAsync(rider, quote, pickupAt.ToString("O"))).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("tripId"));

        // It is not under way: no active trip, and the rider may book a ride now meanwhile (then cancels it, free).
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound);
        var now = (await rider.RequestTripAsync(pickup, pickup.Offset(1_000, 0))).Str("tripId");
        await rider.PostOkAsync($"/api/trips/{now}/cancel", new { reason = "changed my mind" });

        // On time the search starts like any trip's: the rider is told, and the driver nearby is offered it.
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var offer = await driver.OfferAsync(tripId, TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow >= pickupAt - LifecycleStackFixture.ScheduledDispatchLead - TimeSpan.FromSeconds(1), "not before its dispatch time");
        await riderSocket.WaitForAsync("trip.searching", m => m["data"].Str("tripId") == tripId);
        Assert.Empty((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        var assigned = await rider.GetOkAsync("/api/trips/active");
        Assert.Equal((tripId, "driver_assigned", driver.Id), (assigned.Str("tripId"), assigned.Str("status"), assigned["driver"].Str("driverId")));
        Assert.Equal(pickupAt, DateTimeOffset.Parse(assigned.Str("scheduledFor")));
        Assert.NotNull(offer["data"]);
        // Booked for later, the rider may not be watching: they are mailed who is coming, in which car.
        var told = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.EndsWith("is your UberClone driver for " + pickupAt.UtcDateTime.ToString("HH:mm") + " UTC"));
        Assert.Contains("Toyota Prius, plate TEST-", told.Text);
        Assert.Contains(tripId, told.Text);
    }

    [Fact]
    public async Task A_ride_booked_for_later_is_held_on_the_card_when_its_search_starts_and_a_card_declining_then_does_not_stop_it()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        foreach (var (number, held) in new[] { ("4242 4242 4242 4242", true), ("4000 0000 0000 0341", false) })
        {
            var pickup = Point.FreshCity();
            var rider = await client.SignInAsync("rider");
            await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
            await CardsOnFileTests.SaveCardAsync(rider, number);
            await using var riderSocket = await rider.ConnectAsync();
            var quote = await QuoteAsync(rider, pickup, pickup.Offset(-2_500, 1_500));

            // The card is chosen now (a card not theirs is refused at once), held later: booked days ahead, a hold would
            // lapse before the ride, so nothing is held while it waits.
            var cardId = (await rider.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id");
            var notTheirs = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = SoonestPickup().ToString("O"),
                cardId = "card_0123456789abcdef0123456789abcdef" }).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("not one of your saved cards", notTheirs.Str("detail"));
            var reserved = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = SoonestPickup().ToString("O"), cardId }).OkAsync();
            Assert.Null(reserved["paymentHold"]);
            var tripId = reserved.Str("tripId");

            // When its search starts the upfront price is held; a card that declines then does not stop the ride the
            // rider was promised (it is charged when the ride ends).
            await riderSocket.WaitForAsync("trip.searching", m => m["data"].Str("tripId") == tripId, TimeSpan.FromSeconds(30));
            var searching = await rider.GetOkAsync($"/api/trips/{tripId}");
            Assert.Equal("searching", searching.Str("status"));
            if (held) Assert.Equal("Visa •••• 4242", searching["paymentHold"].Str("cardLabel"));
            else Assert.Null(searching["paymentHold"]);
            var hold = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["hold"];
            Assert.Equal(held ? "held" : "declined", hold.Str("status"));

            // Cancelled before a driver came: free, and a hold is let go.
            await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "plans changed" });
            if (held) await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"), p => p["hold"].Str("status") == "released");
        }
    }

    [Fact]
    public async Task The_rider_is_reminded_once_before_a_ride_booked_far_enough_ahead_in_the_app_and_by_mail_but_not_of_one_they_cancelled()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();
        var pickupAt = DateTimeOffset.UtcNow + 2 * LifecycleStackFixture.ReservationReminderLead + TimeSpan.FromSeconds(1);
        var kept = Json.Parse(await (await ReserveAsync(rider, await QuoteAsync(rider, pickup, pickup.Offset(-2_000, 0)), pickupAt.ToString("O")))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("tripId");
        var dropped = Json.Parse(await (await ReserveAsync(rider, await QuoteAsync(rider, pickup, pickup.Offset(2_000, 0)), pickupAt.ToString("O")))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("tripId");
        await rider.PostOkAsync($"/api/trips/{dropped}/cancel", new { reason = "plans changed", maxFeeMinor = 0 });

        // The app is told first, before the search starts; then the mail, with the time, the price and the trip.
        var reminded = await riderSocket.WaitForAsync("trip.reminder", m => m["data"].Str("tripId") == kept, TimeSpan.FromSeconds(30));
        Assert.Equal(pickupAt, DateTimeOffset.Parse(reminded["data"].Str("scheduledFor")));
        Assert.True(DateTimeOffset.UtcNow >= pickupAt - LifecycleStackFixture.ReservationReminderLead - TimeSpan.FromSeconds(1), "not before its time");
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Reminder: your UberClone ride at " + pickupAt.UtcDateTime.ToString("HH:mm")));
        Assert.Contains(kept, mail.Text);
        Assert.Contains("Cancel it in the app, free of charge", mail.Text);
        Assert.Equal("scheduled", (await rider.GetOkAsync($"/api/trips/{kept}")).Str("status")); // a reminder changes nothing

        // Its search starts on time as ever; the reminder went once, and none for the ride the rider cancelled.
        await riderSocket.WaitForAsync("trip.searching", m => m["data"].Str("tripId") == kept, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Single(stack.Mailbox.Received, m => m.To.Contains(rider.Email) && m.Subject.StartsWith("Reminder:"));
        Assert.DoesNotContain(riderSocket.Received, m => m.Str("type") == "trip.reminder" && m["data"].Str("tripId") == dropped);
        using var _ = await rider.PostAsync($"/api/trips/{kept}/cancel", new { reason = "done" });
    }

    [Fact]
    public async Task The_rider_moves_a_ride_booked_for_later_its_search_starts_at_the_new_time_and_it_cannot_move_once_searching()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();
        var booked = await PlatformClient.ReadAsync(await ReserveAsync(rider, await QuoteAsync(rider, pickup, pickup.Offset(-2_000, 0)), DateTimeOffset.UtcNow.AddHours(3).ToString("O")));
        var tripId = booked.Str("tripId");
        var path = $"/api/trips/{tripId}/reschedule";

        // Bad times, someone else's ride, a driver: refused, nothing moved.
        Assert.Contains("at least", (await rider.PostAsync(path, new { scheduledFor = DateTimeOffset.UtcNow.AddSeconds(2).ToString("O") }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("scheduledFor", (await rider.PostAsync(path, new { scheduledFor = "tomorrow" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var stranger = await client.SignInAsync("rider");
        await stranger.PostAsync(path, new { scheduledFor = DateTimeOffset.UtcNow.AddHours(4).ToString("O") }).ProblemAsync(HttpStatusCode.NotFound);
        var driver = await client.SignInAsync("driver");
        await driver.PostAsync(path, new { scheduledFor = DateTimeOffset.UtcNow.AddHours(4).ToString("O") }).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(booked.Str("scheduledFor"), (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("scheduledFor"));

        // Sooner: at the same price, its search now starts from the new time; the rider's devices and mailbox are told.
        var pickupAt = SoonestPickup();
        var moved = await rider.PostOkAsync(path, new { scheduledFor = pickupAt.ToString("O") });
        Assert.Equal((pickupAt, pickupAt - LifecycleStackFixture.ScheduledDispatchLead), (DateTimeOffset.Parse(moved.Str("scheduledFor")), DateTimeOffset.Parse(moved.Str("dispatchAt"))));
        Assert.Equal(booked["fare"]!.ToJsonString(), moved["fare"]!.ToJsonString());
        await riderSocket.WaitForAsync("trip.rescheduled", m => m["data"].Str("tripId") == tripId);
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone ride is moved to"));
        Assert.Contains("at the same price", mail.Text);
        Assert.Contains(tripId, mail.Text);

        await riderSocket.WaitForAsync("trip.searching", m => m["data"].Str("tripId") == tripId, TimeSpan.FromSeconds(30));
        Assert.True(DateTimeOffset.UtcNow >= pickupAt - LifecycleStackFixture.ScheduledDispatchLead - TimeSpan.FromSeconds(1), "not before its new dispatch time");
        Assert.Contains("can no longer change", (await rider.PostAsync(path, new { scheduledFor = DateTimeOffset.UtcNow.AddHours(5).ToString("O") }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        using var _ = await rider.PostAsync($"/api/trips/{tripId}/cancel", new { reason = "done" });
    }

    [Fact]
    public async Task A_ride_booked_for_later_is_cancelled_free_and_only_by_its_rider_and_a_rider_busy_when_its_time_comes_is_told_why()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();
        var far = DateTimeOffset.UtcNow.AddHours(2);
        var first = Json.Parse(await (await ReserveAsync(rider, await QuoteAsync(rider, pickup, pickup.Offset(-2_000, 0)), far.ToString("O")))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("tripId");

        // The booking is confirmed by mail.
        var booked = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone ride is booked for"));
        Assert.Contains(first, booked.Text);
        Assert.Contains("We start looking for your driver at", booked.Text);

        // Support sees what is booked for later (its console's "Booked for later").
        var support = await stack.SupportAsync();
        Assert.Contains((await support.GetOkAsync("/api/trips?status=scheduled&limit=100"))["trips"]!.AsArray(), t => t.Str("tripId") == first);

        var stranger = await client.SignInAsync("rider");
        await stranger.PostAsync($"/api/trips/{first}/cancel", new { reason = "" }).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await stranger.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());
        var driver = await client.SignInAsync("driver");
        await driver.GetAsync("/api/trips/scheduled").ProblemAsync(HttpStatusCode.Forbidden);
        var cancelled = await rider.PostOkAsync($"/api/trips/{first}/cancel", new { reason = "plans changed", maxFeeMinor = 0 });
        Assert.Equal(("cancelled", "rider"), (cancelled.Str("status"), cancelled["cancellation"].Str("cancelledBy")));
        Assert.Equal(0, cancelled["cancellation"]!["fee"]?["amountMinor"]?.GetValue<long>() ?? 0);
        Assert.Empty((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());

        // A ride booked for later whose time comes while its rider is on another trip is cancelled, saying why.
        var laterQuote = await QuoteAsync(rider, pickup, pickup.Offset(0, 2_000));
        var later = Json.Parse(await (await ReserveAsync(rider, laterQuote, SoonestPickup().ToString("O")))
            .Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("tripId");
        var busy = (await rider.RequestTripAsync(pickup, pickup.Offset(2_000, 0))).Str("tripId"); // searching: nobody drives here
        var told = await riderSocket.WaitForAsync("trip.cancelled", m => m["data"].Str("tripId") == later, TimeSpan.FromSeconds(30));
        Assert.Equal("system", told["data"].Str("cancelledBy"));
        Assert.Contains("trip in progress", told["data"].Str("reason"));
        Assert.Equal("cancelled", (await rider.GetOkAsync($"/api/trips/{later}")).Str("status"));
        Assert.Equal(busy, (await rider.GetOkAsync("/api/trips/active")).Str("tripId")); // the trip under way is untouched
        // Not watching the app when its time came, the rider is told by mail too; their own cancellation mailed nothing.
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone ride for"));
        Assert.Contains("We cancelled the ride you booked for", mail.Text);
        Assert.Contains(later, mail.Text);
        Assert.Single(stack.Mailbox.Received, m => m.To.Contains(rider.Email) && m.Subject.StartsWith("Your UberClone ride for"));
        using var _ = await rider.PostAsync($"/api/trips/{busy}/cancel", new { reason = "done" }); // unless its search gave up already
    }
}
