using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Promotions on the whole stack (docs/decisions/0021): support creates a code, a rider adds it, the quote shows it,
/// the charge and the receipt mail are the fare less it while the driver earns on the whole fare; a welcome offer is for
/// riders who have not ridden; a trip that ends
/// without a ride gives its ride back, and two bookings at once cannot both take the last one.
/// </summary>
public sealed class PromotionTests(LifecycleStackFixture stack)
{
    private static string Code(string prefix) => prefix + Random.Shared.Next(100_000, 999_999);

    private static object Route(Point pickup, Point dropoff) =>
        new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } };

    private static JsonNode Economy(JsonObject quote) => quote["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!;

    private static long Minor(JsonNode? money) => money!["amountMinor"]!.GetValue<long>();

    [Fact]
    public async Task A_rider_pays_the_fare_less_a_promotion_support_created_and_the_driver_earns_the_whole_fare()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var code = Code("HALF");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        var terms = new { code = code.ToLowerInvariant(), percentOff = 50, maxDiscountMinor = 400, currency = "usd", ridesPerRider = 1, expiresAt, maxRiders = 10 };

        // Only support creates promotions, with terms that can work, each code once.
        var rider = await client.SignInAsync("rider");
        await rider.PostAsync("/api/trips/ops/promotions", terms).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("either percentOff", (await support.PostAsync("/api/trips/ops/promotions", terms with { percentOff = 0 }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("expiresAt", (await support.PostAsync("/api/trips/ops/promotions", terms with { expiresAt = "next week" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var created = await support.PostOkAsync("/api/trips/ops/promotions", terms);
        Assert.Equal((code, "open", "USD"), (created.Str("code"), created.Str("status"), created["terms"].Str("currency")));
        await support.PostAsync("/api/trips/ops/promotions", terms).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains((await support.GetOkAsync("/api/trips/ops/promotions"))["promotions"]!.AsArray(), p => p.Str("code") == code);

        // The rider adds it (a mistyped code is named), and their next quote offers it.
        Assert.Contains("No promotion has the code", (await rider.PostAsync("/api/trips/promotions", new { code = code + "X" }).ProblemAsync(HttpStatusCode.NotFound)).Str("detail"));
        var held = Assert.Single((await rider.PostOkAsync("/api/trips/promotions", new { code = $" {code.ToLowerInvariant()} " }))["promotions"]!.AsArray())!;
        Assert.Equal((code, 1, 1), (held.Str("code"), held["rides"]!.GetValue<int>(), held["ridesLeft"]!.GetValue<int>()));
        Assert.Single((await rider.PostOkAsync("/api/trips/promotions", new { code }))["promotions"]!.AsArray()); // again: unchanged

        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(-2_500, 1_500);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        await using var riderSocket = await rider.ConnectAsync();
        var quote = await rider.PostOkAsync("/api/trips/quotes", Route(pickup, dropoff));
        var economy = Economy(quote);
        var price = Minor(economy["price"]);
        var bookingFee = economy["breakdown"]!["bookingFeeMinor"]!.GetValue<long>();
        var expected = Math.Min(400, (long)Math.Round((price - bookingFee) * 0.5, MidpointRounding.AwayFromZero));
        Assert.Equal((code, expected), (economy["promotion"].Str("code"), Minor(economy["promotion"]!["discount"])));

        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" })).Str("tripId");
        Assert.Equal(0, Assert.Single((await rider.GetOkAsync("/api/trips/promotions"))["promotions"]!.AsArray())!["ridesLeft"]?.GetValue<int>() ?? 0);
        var completed = await Rides.DriveAsync(rider, driver, tripId, pickup);

        // The driver earns on the whole fare and does not see the rider's promotion.
        Assert.Null(completed["promotion"]);
        Assert.Equal(price, Minor(completed["fare"]));
        var shared = price - bookingFee;
        Assert.Equal((price, shared - (long)Math.Round(shared * 0.25, MidpointRounding.AwayFromZero)),
            (Minor(completed["driverEarnings"]!["amount"]), Minor(completed["driverEarnings"]!["earnings"])));

        // The rider owes and is charged the fare less the discount, and the receipt says why.
        var riderView = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal((code, expected), (riderView["promotion"].Str("code"), Minor(riderView["promotion"]!["discount"])));
        Assert.Equal(price - expected, Minor(riderView["receipt"]!["amountDue"]));
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(price - expected, session["data"]!["amountMinor"]!.GetValue<long>());
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await Rides.PayAsync(rider, session, "pay");
        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        Assert.Contains($"Promotion {code}", receipt.Text);
        Assert.Contains($"-${expected / 100m:0.00}", receipt.Text);
        Assert.Contains($"${(price - expected) / 100m:0.00}", receipt.Subject);

        // Used: the next quote offers nothing; the rider's data export lists it.
        Assert.Null(Economy(await rider.PostOkAsync("/api/trips/quotes", Route(pickup, dropoff)))["promotion"]);
        var exported = await rider.GetOkAsync("/api/auth/me/export");
        Assert.Equal(code, Assert.Single(exported["promotions"]!.AsArray())!.Str("code"));

        // A welcome offer is for riders who have not ridden yet.
        var welcome = Code("WELCOME");
        await support.PostOkAsync("/api/trips/ops/promotions", new { code = welcome, amountOffMinor = 500, currency = "USD", ridesPerRider = 1, expiresAt, newRidersOnly = true });
        Assert.Contains("not taken a ride", (await rider.PostAsync("/api/trips/promotions", new { code = welcome }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var newcomer = await client.SignInAsync("rider");
        Assert.Equal(welcome, (await newcomer.PostOkAsync("/api/trips/promotions", new { code = welcome }))["promotions"]![0].Str("code"));

        // Support's audit trail names the promotion it created.
        var audit = (await support.GetOkAsync($"/api/ops/audit?operatorId={support.UserId}"))["actions"]!.AsArray();
        Assert.Contains(audit, a => a.Str("action") == "promotion.created" && a.Str("reason") == $"code {code}");
    }

    [Fact]
    public async Task A_cancelled_trip_gives_its_ride_back_two_bookings_cannot_take_the_last_one_and_an_ended_promotion_cannot_be_added()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var code = Code("OFF");
        await support.PostOkAsync("/api/trips/ops/promotions", new
        {
            code, amountOffMinor = 300, currency = "USD", ridesPerRider = 1, expiresAt = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        });
        var rider = await client.SignInAsync("rider");
        await rider.PostOkAsync("/api/trips/promotions", new { code });
        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(3_000, 0);

        // Cancelled while searching: the ride is the rider's again (trips handles its own trip.event.cancelled).
        var first = await rider.PostOkAsync("/api/trips/quotes", Route(pickup, dropoff));
        Assert.Equal(300, Minor(Economy(first)["promotion"]!["discount"]));
        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = first.Str("quoteId"), vehicleClass = "economy" })).Str("tripId");
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "changed my mind" });
        await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/promotions"), p => p["promotions"]![0]!["ridesLeft"]?.GetValue<int>() == 1);

        // Two rides booked for later at once, both quoted with the promotion's one ride: one takes it, the other is refused.
        var quotes = await Task.WhenAll(rider.PostOkAsync("/api/trips/quotes", Route(pickup, dropoff)), rider.PostOkAsync("/api/trips/quotes", Route(pickup, dropoff)));
        Assert.All(quotes, q => Assert.Equal(code, Economy(q)["promotion"].Str("code")));
        var at = DateTimeOffset.UtcNow.AddMinutes(30).ToString("O");
        var bookings = await Task.WhenAll(quotes.Select(q => rider.PostAsync("/api/trips", new { quoteId = q.Str("quoteId"), vehicleClass = "economy", scheduledFor = at })));
        Assert.Equal(1, bookings.Count(b => b.IsSuccessStatusCode));
        var refused = await Task.FromResult(bookings.Single(b => !b.IsSuccessStatusCode)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("new quote", refused.Str("detail"));
        var reserved = await PlatformClient.ReadAsync(bookings.Single(b => b.IsSuccessStatusCode));
        Assert.Equal(code, reserved["promotion"].Str("code"));
        await rider.PostOkAsync($"/api/trips/{reserved.Str("tripId")}/cancel", new { reason = "plans changed" });

        // Ended: nobody adds it any more; a rider who added it keeps it.
        Assert.Equal("ended", (await support.PostOkAsync($"/api/trips/ops/promotions/{code}/end", new { })).Str("status"));
        var late = await client.SignInAsync("rider");
        Assert.Contains("has ended", (await late.PostAsync("/api/trips/promotions", new { code }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/promotions"), p => p["promotions"]![0]!["ridesLeft"]?.GetValue<int>() == 1);
        await support.PostAsync($"/api/trips/ops/promotions/NOSUCH{Random.Shared.Next(1000, 9999)}/end", new { }).ProblemAsync(HttpStatusCode.NotFound);
    }
    [Fact]
    public async Task A_friend_who_rides_with_a_riders_invite_gets_the_welcome_and_the_rider_who_invited_gets_a_ride_off_and_is_told()
    {
        var client = stack.Client();
        var inviter = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(inviter, stack.Mailbox);
        await using var inviterSocket = await inviter.ConnectAsync();
        var invite = await inviter.GetOkAsync("/api/trips/promotions/invite");
        var code = invite.Str("code");
        Assert.Equal(code, (await inviter.GetOkAsync("/api/trips/promotions/invite")).Str("code"));
        Assert.Equal((50, 500L), (invite["terms"]!["percentOff"]!.GetValue<int>(), Minor(invite["reward"])));
        Assert.Contains("your own invite", (await inviter.PostAsync("/api/trips/promotions", new { code }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var support = await stack.SupportAsync();
        Assert.DoesNotContain((await support.GetOkAsync("/api/trips/ops/promotions"))["promotions"]?.AsArray() ?? [], p => p.Str("code") == code);

        // The friend adds it, rides with half off, and the inviter is rewarded (trips handles trip.event.completed).
        var friend = await client.SignInAsync("rider");
        await friend.PostOkAsync("/api/trips/promotions", new { code });
        Assert.Equal(1, (await inviter.GetOkAsync("/api/trips/promotions/invite"))["friendsAdded"]!.GetValue<int>());
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var quote = await friend.PostOkAsync("/api/trips/quotes", Route(pickup, pickup.Offset(2_000, 1_000)));
        Assert.Equal(code, Economy(quote)["promotion"].Str("code"));
        var tripId = (await friend.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" })).Str("tripId");
        await Rides.DriveAsync(friend, driver, tripId, pickup);

        var told = await inviterSocket.WaitForAsync("promotion.rewarded");
        var rewarded = await inviter.GetOkAsync("/api/trips/promotions");
        var reward = Assert.Single(rewarded["promotions"]!.AsArray())!;
        Assert.Equal(reward.Str("code"), told["data"].Str("code"));
        var mail = await stack.Mailbox.WaitForAsync(inviter.Email, m => m.Subject.StartsWith("Your friend took their first ride"));
        Assert.Contains("$5.00 off", mail.Subject);
        Assert.Contains($"(promotion {reward.Str("code")})", mail.Text);
        Assert.Contains("\"Offers and invites\" is on in your account settings.", mail.Text);
        Assert.Equal((500L, 1), (Minor(reward["terms"]!["amountOff"]), reward["ridesLeft"]!.GetValue<int>()));
        var inviterQuote = await inviter.PostOkAsync("/api/trips/quotes", Route(pickup, pickup.Offset(2_000, 1_000)));
        Assert.Equal((reward.Str("code"), 500L), (Economy(inviterQuote)["promotion"].Str("code"), Minor(Economy(inviterQuote)["promotion"]!["discount"])));
    }
    [Fact]
    public async Task Support_reads_a_riders_promotions_and_gives_one_as_goodwill_and_the_audit_trail_names_the_rider()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var code = Code("SORRY");
        await support.PostOkAsync("/api/trips/ops/promotions", new
        {
            code, amountOffMinor = 1_000, currency = "USD", ridesPerRider = 1, maxRiders = 1, expiresAt = DateTimeOffset.UtcNow.AddDays(30).ToString("O"),
        });
        var rider = await client.SignInAsync("rider");
        Assert.Empty((await support.GetOkAsync($"/api/ops/users/{rider.UserId}/promotions"))["promotions"]!.AsArray());

        var given = await support.PostOkAsync($"/api/ops/users/{rider.UserId}/promotions", new { code = code.ToLowerInvariant() });
        var held = Assert.Single(given["promotions"]!.AsArray())!;
        Assert.Equal((code, 1, 1_000L), (held.Str("code"), held["ridesLeft"]!.GetValue<int>(), held["terms"]!["amountOff"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal(code, Assert.Single((await rider.GetOkAsync("/api/trips/promotions"))["promotions"]!.AsArray())!.Str("code"));

        // One rider only; drivers hold none; riders cannot give themselves one; unknown codes and accounts are named.
        var other = await client.SignInAsync("rider");
        Assert.Contains("as many riders", (await support.PostAsync($"/api/ops/users/{other.UserId}/promotions", new { code }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var driver = await client.SignInAsync("driver");
        Assert.Contains("not a rider's", (await support.PostAsync($"/api/ops/users/{driver.UserId}/promotions", new { code }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await support.PostAsync($"/api/ops/users/r{Guid.NewGuid():N}/promotions", new { code }).ProblemAsync(HttpStatusCode.NotFound);
        await support.PostAsync($"/api/ops/users/{other.UserId}/promotions", new { code = "NOSUCHCODE1" }).ProblemAsync(HttpStatusCode.NotFound);
        await support.PostAsync($"/api/ops/users/{other.UserId}/promotions", new { }).ProblemAsync(HttpStatusCode.BadRequest);
        await rider.PostAsync($"/api/ops/users/{rider.UserId}/promotions", new { code }).ProblemAsync(HttpStatusCode.Forbidden);
        await rider.GetAsync($"/api/ops/users/{rider.UserId}/promotions").ProblemAsync(HttpStatusCode.Forbidden);

        var audit = (await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray();
        Assert.Contains(audit, a => a.Str("action") == "promotion.given" && a.Str("reason") == $"code {code}");
    }
}
