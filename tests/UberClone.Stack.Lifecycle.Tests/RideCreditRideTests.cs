using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Ride credit on a whole ride (ADR 0051), trips and payments together: credit support gave pays the fare first and the
/// card (its hold) the rest; the rider's receipt says what credit paid, the driver's does not; a full refund gives the
/// card back what it paid and the credit what it paid, the rider told of both at once, by mail and in the data file.
/// </summary>
public sealed class RideCreditRideTests(LifecycleStackFixture stack)
{
    /// <summary>A Money's minor units: a number from the gateway's JSON, a string in the data file (protobuf JSON writes int64 so).</summary>
    private static long Minor(JsonNode? money) => money?["amountMinor"] switch
    {
        null => 0,
        JsonValue v when v.TryGetValue<string>(out var text) => long.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
        var v => v.GetValue<long>(),
    };

    [Fact]
    public async Task Credit_pays_part_of_a_ride_the_receipt_says_so_and_a_full_refund_gives_the_card_its_part_and_the_credit_back()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await using var socket = await rider.ConnectAsync();
        var booked = await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200));
        var tripId = booked.Str("tripId");
        var currency = booked["fare"].Str("currency");
        var support = await stack.SupportAsync();
        await support.PostOkAsync($"/api/payments/riders/{rider.UserId}/credit", new { amountMinor = 500, currency, reason = "Late driver last week", grantId = "late-" + tripId });

        Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));

        var trip = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var due = Minor(trip["receipt"]!["amountDue"]);
        Assert.Equal((500L, "Visa •••• 4242"), (Minor(trip["receipt"]!["creditPaid"]), trip["receipt"].Str("paidWith")));
        Assert.Null((await driver.User.GetOkAsync($"/api/trips/{tripId}"))["receipt"]?["creditPaid"]); // the rider's business, not the driver's
        Assert.Equal(500L, Minor((await support.GetOkAsync($"/api/trips/{tripId}"))["receipt"]!["creditPaid"]));
        var payments = await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions");
        Assert.Equal(("captured", due - 500), (payments["hold"].Str("status"), payments["hold"]!["capturedMinor"]!.GetValue<long>())); // the hold gave only the rest

        // Refunded in full: the card gets back what it paid, ride credit what it paid.
        var refund = await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds", new { reason = "Wrong route", refundId = "full-" + tripId });
        Assert.Equal((due, 500L), (refund["amountMinor"]!.GetValue<long>(), refund["creditMinor"]!.GetValue<long>()));
        var told = await socket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((due, 500L), (told["data"]!["amountMinor"]!.GetValue<long>(), told["data"]!["creditMinor"]!.GetValue<long>()));
        var refunded = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunds"] is JsonArray { Count: 1 });
        var line = refunded["receipt"]!["refunds"]![0]!;
        Assert.Equal((due, 500L, "goodwill"), (Minor(line["amount"]), Minor(line["credit"]), line.Str("kind")));
        var credit = await rider.GetOkAsync("/api/payments/credit");
        Assert.Equal(500L, credit["balances"]![0]!["balanceMinor"]!.GetValue<long>());
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("UberClone refund:"));
        Assert.Contains("what ride credit paid, is your ride credit again", mail.Text);

        // The data file has the credit and every line that made it: given, spent on the ride, given back.
        var export = await rider.GetOkAsync("/api/auth/me/export");
        Assert.Equal(500L, Minor(export["rideCredit"]!["balances"]![0]));
        Assert.Equal(["grant", "spent", "refund"], export["rideCredit"]!["lines"]!.AsArray().Select(l => l.Str("kind")));
        Assert.Null((await driver.User.GetOkAsync("/api/auth/me/export"))["rideCredit"]);
    }
}
