using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Paying in cash (ADR 0042) on the whole stack: where the prices take cash (the trips service's appsettings: the default
/// prices do; the fixture's yen city does not) a rider without a card books a ride in cash, nothing is held, only a
/// driver who accepts cash is offered it, the ride is paid in cash as it ends, the driver's ledger owes the platform its
/// part, support cannot refund it, and the driver's next ride paid by card is netted against what they owe.
/// </summary>
public sealed class CashTests(LifecycleStackFixture stack)
{
    private static long Minor(JsonNode? money) => money?["amountMinor"]?.GetValue<long>() ?? 0;

    private static long Owed(JsonObject payouts) => payouts["owed"]!.AsArray().Sum(o => o!["amountMinor"]!.GetValue<long>());

    [Fact]
    public async Task A_ride_paid_in_cash_goes_to_a_driver_who_accepts_cash_is_paid_in_cash_and_the_driver_owes_the_platforms_part()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var noCash = await OnlineDriver.StartAsync(client, pickup.Offset(100, 0));
        await using var takesCash = await OnlineDriver.StartAsync(client, pickup.Offset(1_500, 0));
        Assert.True((await takesCash.User.GetOkAsync("/api/drivers/me"))["acceptsCash"]!.GetValue<bool>()); // on by default
        var declined = await noCash.User.SendAsync(HttpMethod.Put, "/api/drivers/me/cash", System.Net.Http.Json.JsonContent.Create(new { accept = false })).OkAsync();
        Assert.False(declined["acceptsCash"]?.GetValue<bool>() ?? false);
        Assert.False((await noCash.User.GetOkAsync("/api/drivers/me"))["acceptsCash"]?.GetValue<bool>() ?? false);

        // A rider with no saved card; another rider they might split a fare with.
        var rider = await client.SignInAsync("rider");
        var friend = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var dropoff = pickup.Offset(-2_500, 1_500);
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.True(quote["cashAccepted"]!.GetValue<bool>());

        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", payInCash = true });
        var tripId = booked.Str("tripId");
        Assert.True(booked["payInCash"]!.GetValue<bool>());
        Assert.Null(booked["paymentHold"]); // nothing held on a card

        // Offered to the driver who accepts cash, 1.5 km away, never to the one 100 m away.
        var offer = await takesCash.OfferAsync(tripId);
        Assert.True(offer["data"]!["payInCash"]?.GetValue<bool>());
        Assert.Equal("available", (await noCash.User.GetOkAsync("/api/drivers/me")).Str("state"));
        // A ride paid in cash is not split (ADR 0040): the driver collects the whole fare.
        var split = await rider.PostAsync($"/api/trips/{tripId}/split", new { email = friend.Email }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("paid in cash", split.Str("detail"));
        var completed = await Rides.DriveAsync(rider, takesCash, tripId, pickup);
        Assert.Equal("completed", completed.Str("status"));

        // Paid in cash as it ends, without a checkout.
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var fare = Minor(paid["receipt"]!["amountDue"]);
        Assert.Equal("cash", paid["receipt"].Str("paidWith"));
        var session = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal(("succeeded", "cash"), (session.Str("status"), session.Str("method")));

        // The driver holds the fare: the ledger owes the platform what is not theirs.
        var earnings = (await takesCash.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!;
        Assert.Equal(fare, Minor(earnings["cashCollected"]));
        var earned = Minor(earnings["earnings"]);
        Assert.True(earned > 0 && earned < fare);
        await Http.EventuallyAsync(() => takesCash.User.GetOkAsync("/api/payments/payouts"), p => Owed(p) == earned - fare);

        // Support cannot give cash back: only ride credit (ADR 0051).
        var support = await stack.SupportAsync();
        var refused = await support.PostAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 100, reason = "complaint" }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("paid in cash: it can be refunded only as ride credit", refused.Str("detail"));

        // The driver's next ride is paid by card: what it earns is netted against what they owe.
        await noCash.PostAsync("/api/drivers/me/offline", new { }).OkAsync();
        var second = await client.SignInAsync("rider");
        await CardsOnFileTests.SaveCardAsync(second, "4242 4242 4242 4242");
        var cardTrip = (await second.RequestTripAsync(pickup, dropoff)).Str("tripId");
        await Rides.DriveAsync(second, takesCash, cardTrip, pickup);
        await Http.EventuallyAsync(() => second.GetOkAsync($"/api/trips/{cardTrip}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var cardEarned = Minor((await takesCash.User.GetOkAsync($"/api/trips/{cardTrip}"))["driverEarnings"]!["earnings"]);
        await Http.EventuallyAsync(() => takesCash.User.GetOkAsync("/api/payments/payouts"), p => Owed(p) == earned - fare + cardEarned);
    }

    private static async Task<string> BookInCashAsync(UserSession rider, Point pickup, Point dropoff)
    {
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        return (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", payInCash = true })).Str("tripId");
    }

    private static JsonObject? CashLimit(JsonObject payouts) => payouts["cashLimits"]?.AsArray().SingleOrDefault()?.AsObject();

    [Fact]
    public async Task A_driver_who_owes_more_than_the_limit_from_cash_rides_is_offered_none_until_card_ride_earnings_cover_it()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(-2_500, 1_500);
        await using var owing = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var limit = LifecycleStackFixture.CashOwedLimitMinor;

        // Cash rides, each owing the platform its part, until the driver owes more than the limit: paused exactly then.
        long owed = 0;
        for (var ride = 1; owed <= limit; ride++)
        {
            Assert.True(ride <= 4, $"four cash rides did not owe more than {limit}: {owed}");
            var rider = await client.SignInAsync("rider");
            var tripId = await BookInCashAsync(rider, pickup, dropoff);
            await Rides.DriveAsync(rider, owing, tripId, pickup);
            var earnings = (await owing.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!;
            var expected = owed + Minor(earnings["cashCollected"]) - Minor(earnings["earnings"]);
            // (The decision is written a moment after the line: read until both are there.)
            var payouts = await Http.EventuallyAsync(() => owing.User.GetOkAsync("/api/payments/payouts"),
                p => Owed(p) == -expected && (CashLimit(p)?["paused"]?.GetValue<bool>() ?? false) == expected > limit);
            owed = expected;
            var line = CashLimit(payouts)!;
            Assert.Equal((owed, limit), (line["owedMinor"]!.GetValue<long>(), line["limitMinor"]!.GetValue<long>()));
        }
        var told = await owing.Socket.WaitForAsync("driver.cash_limit", m => m["data"]!["reached"]?.GetValue<bool>() == true);
        Assert.Equal(owed, told["data"]!["owedMinor"]!.GetValue<long>());
        var paused = await Http.EventuallyAsync(() => owing.User.GetOkAsync("/api/drivers/me"), d => d["cashPaused"]?.GetValue<bool>() == true);
        Assert.True(paused["acceptsCash"]!.GetValue<bool>()); // their own setting, as they left it
        Assert.Equal((owed, limit), (paused["cashOwedMinor"]!.GetValue<long>(), paused["cashLimitMinor"]!.GetValue<long>()));
        var support = await stack.SupportAsync();
        Assert.True((await support.GetOkAsync($"/api/drivers/{owing.Id}"))["cashPaused"]!.GetValue<bool>());
        Assert.True(CashLimit(await support.GetOkAsync($"/api/payments/drivers/{owing.Id}/payouts"))!["paused"]!.GetValue<bool>());

        // The next cash ride passes over them to a driver 1.5 km away; a ride paid by card is still theirs.
        await using var other = await OnlineDriver.StartAsync(client, pickup.Offset(1_500, 0));
        var cashTrip = await BookInCashAsync(await client.SignInAsync("rider"), pickup, dropoff);
        await other.OfferAsync(cashTrip);
        Assert.DoesNotContain(owing.Socket.Received, m => m.Str("type") == "offer" && m["data"].Str("tripId") == cashTrip);
        await other.AcceptAsync(cashTrip);
        var cardRider = await client.SignInAsync("rider");
        await CardsOnFileTests.SaveCardAsync(cardRider, "4242 4242 4242 4242");
        var cardTrip = (await cardRider.RequestTripAsync(pickup, dropoff)).Str("tripId");
        await Rides.DriveAsync(cardRider, owing, cardTrip, pickup);
        await Http.EventuallyAsync(() => cardRider.GetOkAsync($"/api/trips/{cardTrip}"), t => t["receipt"].Str("paymentStatus") == "paid");

        // Its earnings bring what they owe under the limit: cash rides are offered to them again.
        var cardEarned = Minor((await owing.User.GetOkAsync($"/api/trips/{cardTrip}"))["driverEarnings"]!["earnings"]);
        Assert.True(cardEarned > owed - limit, $"the card ride earned {cardEarned}, not enough to cover {owed - limit}");
        await owing.Socket.WaitForAsync("driver.cash_limit", m => m["data"]!["reached"]?.GetValue<bool>() == false);
        await Http.EventuallyAsync(() => owing.User.GetOkAsync("/api/drivers/me"), d => !(d["cashPaused"]?.GetValue<bool>() ?? false));
        Assert.False(CashLimit(await owing.User.GetOkAsync("/api/payments/payouts"))?["paused"]?.GetValue<bool>() ?? false);
        var again = await BookInCashAsync(await client.SignInAsync("rider"), pickup, dropoff);
        Assert.True((await owing.OfferAsync(again))["data"]!["payInCash"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_business_ride_cannot_be_paid_in_cash()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(-2_000, 1_000);
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var work = $"work-{Guid.NewGuid():N}@acme.example";
        await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/auth/me/business-profile", System.Net.Http.Json.JsonContent.Create(new { workEmail = work })));
        await rider.PostOkAsync("/api/auth/me/business-profile/confirm", new { code = await stack.Mailbox.WorkEmailCodeForAsync(work) });

        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        var refused = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", profile = "business", payInCash = true })
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("payInCash: a business ride is paid with a card", refused.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound); // nothing was booked
    }

    [Fact]
    public async Task Where_cash_is_not_taken_and_for_a_bad_setting_the_answers_name_the_field()
    {
        var client = stack.Client();
        var pickup = LifecycleStackFixture.YenCity.Offset(Random.Shared.Next(-20_000, 20_000), Random.Shared.Next(-8_000, 8_000));
        var dropoff = pickup.Offset(-2_000, 1_000);
        var rider = await client.SignInAsync("rider");

        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.False(quote["cashAccepted"]?.GetValue<bool>() ?? false);
        var refused = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", payInCash = true }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("payInCash: cash is not accepted on rides picked up here", refused.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound); // nothing was booked

        await using var driver = await OnlineDriver.StartAsync(client, Point.FreshCity());
        var missing = await driver.User.SendAsync(HttpMethod.Put, "/api/drivers/me/cash", System.Net.Http.Json.JsonContent.Create(new { })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("accept", missing.Str("detail"));
        await driver.User.SendAsync(HttpMethod.Put, "/api/drivers/me/cash", System.Net.Http.Json.JsonContent.Create(new { accept = "yes" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await driver.User.GetOkAsync("/api/drivers/me"))["acceptsCash"]!.GetValue<bool>()); // unchanged
    }
}
