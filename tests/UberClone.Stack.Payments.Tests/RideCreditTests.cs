using System.Net;
using System.Text.Json.Nodes;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Stack.Payments.Tests.Infrastructure;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Payments.Tests;

/// <summary>
/// Ride credit (ADR 0051) through the gateway: support gives a rider credit, which the rider reads and is told of at once,
/// and the audit trail keeps; bad grants are 400 naming the field, and only support gives it; a fare paid in cash is
/// refunded as credit.
/// </summary>
public sealed class RideCreditTests(PaymentsStackFixture stack)
{
    [Fact]
    public async Task Support_gives_a_rider_credit_the_rider_reads_and_is_told_of_and_the_trail_keeps()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Credit rider");
        await using var socket = await rider.ConnectAsync();
        var desk = await client.DeskAsync();
        Assert.Empty((await rider.GetOkAsync("/api/payments/credit"))["balances"]!.AsArray());

        var given = await desk.PostOkAsync($"/api/payments/riders/{rider.UserId}/credit", new { amountMinor = 500, currency = "USD", reason = "driver was late", grantId = "late-1" });
        // The same grant again (a retry whose answer was lost) adds nothing.
        await desk.PostOkAsync($"/api/payments/riders/{rider.UserId}/credit", new { amountMinor = 500, currency = "USD", reason = "driver was late", grantId = "late-1" });

        Assert.Equal(desk.UserId, given["entries"]![0]!.Str("by"));
        var told = await socket.WaitForAsync("payment.credit_added", m => m["data"].Str("riderId") == rider.UserId);
        Assert.Equal((500L, 500L, "grant"), (told["data"]!["amountMinor"]!.GetValue<long>(), told["data"]!["balanceMinor"]!.GetValue<long>(), told["data"].Str("kind")));
        var mine = await rider.GetOkAsync("/api/payments/credit");
        Assert.Equal(("USD", 500L), (mine["balances"]![0].Str("currency"), mine["balances"]![0]!["balanceMinor"]!.GetValue<long>()));
        var entry = Assert.Single(mine["entries"]!.AsArray())!;
        Assert.Equal(("grant", "driver was late", 500L), (entry.Str("kind"), entry.Str("reason"), entry["amountMinor"]!.GetValue<long>()));
        Assert.Null(entry["by"]); // who at support gave it is support's to know
        var trail = (await desk.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray();
        // Both requests are kept (the trail is what support asked for, ADR 0012); the credit was added once.
        var granted = trail.Where(a => a.Str("action") == "credit.granted").ToList();
        Assert.Equal(2, granted.Count);
        Assert.All(granted, g => Assert.Equal((500L, "USD", "driver was late", desk.UserId),
            (g!["amountMinor"]!.GetValue<long>(), g.Str("currency"), g.Str("reason"), g.Str("operatorId"))));
    }

    [Fact]
    public async Task A_grant_above_the_cap_or_without_a_reason_is_400_naming_the_field_and_only_support_gives_credit()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Greedy rider");
        var desk = await client.DeskAsync();
        var path = $"/api/payments/riders/{rider.UserId}/credit";

        await AssertProblemAsync(await desk.PostAsync(path, new { amountMinor = 10_001, reason = "too much" }), HttpStatusCode.BadRequest, "amountMinor");
        await AssertProblemAsync(await desk.PostAsync(path, new { amountMinor = 0, reason = "nothing" }), HttpStatusCode.BadRequest, "amountMinor");
        await AssertProblemAsync(await desk.PostAsync(path, new { amountMinor = 500 }), HttpStatusCode.BadRequest, "reason");
        await AssertProblemAsync(await desk.PostAsync(path, new { amountMinor = 500, currency = "dollars", reason = "x" }), HttpStatusCode.BadRequest, "currency");
        await AssertProblemAsync(await rider.PostAsync(path, new { amountMinor = 500, reason = "to myself" }), HttpStatusCode.Forbidden, "support");

        Assert.Empty((await rider.GetOkAsync("/api/payments/credit"))["balances"]!.AsArray());
    }

    [Fact]
    public async Task A_fare_paid_in_cash_is_refunded_as_ride_credit_and_not_otherwise()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Cash rider");
        var desk = await client.DeskAsync();
        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 1_800, "EUR", 1, Method: PaymentCollection.Cash));
        await stack.WaitForEventAsync(UberClone.Contracts.Topics.PaymentSucceeded, e => e.Str("tripId") == tripId);

        await AssertProblemAsync(await desk.PostAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 700, reason = "detour" }), HttpStatusCode.Conflict, "ride credit");
        var refunded = await desk.PostOkAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 700, reason = "detour", kind = "credit" });

        Assert.Equal(("credit", 700L), (refunded.Str("kind"), refunded["amountMinor"]!.GetValue<long>()));
        var refund = await stack.WaitForEventAsync(UberClone.Contracts.Topics.PaymentRefunded, e => e.Str("tripId") == tripId);
        Assert.Equal("credit", refund.Str("kind"));
        var mine = await rider.GetOkAsync("/api/payments/credit");
        Assert.Equal(("EUR", 700L), (mine["balances"]![0].Str("currency"), mine["balances"]![0]!["balanceMinor"]!.GetValue<long>()));
        Assert.Equal(("refund", tripId), (mine["entries"]![0].Str("kind"), mine["entries"]![0].Str("tripId")));
    }

    [Fact]
    public async Task Credit_pays_the_ride_first_and_the_saved_card_is_charged_the_rest()
    {
        var client = stack.Client();
        var rider = await client.SignInAsync("rider", "Spending rider");
        await using var socket = await rider.ConnectAsync();
        var desk = await client.DeskAsync();
        await desk.PostOkAsync($"/api/payments/riders/{rider.UserId}/credit", new { amountMinor = 500, currency = "EUR", reason = "driver was late", grantId = "late-2" });
        var setup = await PlatformClient.ReadAsync(await rider.PostAsync("/api/payments/cards/setup", new { }));
        using (var browser = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = client.Gateway })
        {
            var saved = await browser.PostAsync($"{setup.Str("url")}/card",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["number"] = "4242 4242 4242 4242", ["expiry"] = "12/30", ["cvc"] = "123" }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        var tripId = "trip-" + Guid.NewGuid().ToString("N");
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 2340, "EUR", 1));

        var paid = await socket.WaitForAsync("payment.succeeded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((1840L, 500L), (paid["data"]!["amountMinor"]!.GetValue<long>(), paid["data"]!["creditPaidMinor"]!.GetValue<long>()));
        var payment = await rider.GetOkAsync($"/api/payments/trips/{tripId}");
        Assert.Equal(("succeeded", "Visa •••• 4242"), (payment.Str("status"), payment.Str("cardLabel")));
        // Support's view of the trip's payments says what the credit paid and what the card did.
        var charged = Assert.Single((await desk.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray())!;
        Assert.Equal((1840L, 500L), (charged["amountMinor"]!.GetValue<long>(), charged["creditPaidMinor"]!.GetValue<long>()));
        var mine = await rider.GetOkAsync("/api/payments/credit");
        Assert.Equal(0L, mine["balances"]![0]!["balanceMinor"]!.GetValue<long>());
        Assert.Contains(mine["entries"]!.AsArray(), e => e.Str("kind") == "spent" && e!["amountMinor"]!.GetValue<long>() == -500 && e.Str("tripId") == tripId);

        // Redelivered: nothing more is spent or charged.
        await stack.SendCreateSessionAsync(new PaymentCreateSessionCommand(tripId, rider.UserId, 2340, "EUR", 1));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        stack.AssertNoTripChargedTwice();
        Assert.Equal(0L, (await rider.GetOkAsync("/api/payments/credit"))["balances"]![0]!["balanceMinor"]!.GetValue<long>());
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailNames)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Contains(detailNames, problem.Str("detail"));
        // The gateway's stable type for the status, not the RFC link ASP.NET Core fills in for payments.
        Assert.Equal(status switch { HttpStatusCode.BadRequest => "invalid-request", HttpStatusCode.Forbidden => "forbidden", _ => "conflict" },
            problem.Str("type")["https://uberclone.dev/problems/".Length..]);
    }
}
