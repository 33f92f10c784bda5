using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Rides for work (ADR 0034) on the whole stack: a rider confirms a work email with the code mailed to it, books a
/// business ride with a memo, and once it is paid gets their receipt and the work email its copy, headed "Business";
/// the month's CSV has the ride. A personal ride switched to business after it was paid mails the work copy then, once
/// however often it is switched.
/// </summary>
public sealed class BusinessRideTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_business_ride_mails_the_rider_and_the_confirmed_work_email_and_is_in_the_months_csv()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var work = await ConfirmWorkEmailAsync(rider);

        var quoteId = (await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(-2_500, 1_500) })).Str("quoteId");
        Assert.Contains("expenseMemo", (await rider.PostAsync("/api/trips", new { quoteId, vehicleClass = "economy", expenseMemo = "Lunch" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("profile", (await rider.PostAsync("/api/trips", new { quoteId, vehicleClass = "economy", profile = "work" })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var booked = await rider.PostOkAsync("/api/trips", new { quoteId, vehicleClass = "economy", profile = "business", expenseMemo = "  Client visit ACME " });
        var tripId = booked.Str("tripId");
        Assert.Equal(("business", "Client visit ACME"), (booked.Str("profile"), booked.Str("expenseMemo")));

        var completed = await Rides.DriveAsync(rider, driver, tripId, pickup);
        Assert.Equal("", completed["profile"]?.GetValue<string>() ?? ""); // whose expense it is is not the driver's business
        // A driver cannot switch it.
        Assert.Equal(HttpStatusCode.Forbidden, (await driver.User.SendAsync(HttpMethod.Put, $"/api/trips/{tripId}/profile", JsonContent.Create(new { profile = "personal" }))).StatusCode);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");

        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        Assert.Contains("Business    Client visit ACME", receipt.Text);
        var copy = await stack.Mailbox.WaitForAsync(work, m => m.Subject.StartsWith("Business ride receipt:"));
        Assert.StartsWith("Business\r\nExpense memo  Client visit ACME", copy.Text.ReplaceLineEndings("\r\n"));
        Assert.Contains(tripId, copy.Text);
        Assert.DoesNotContain("To stop these mails", copy.Text);

        var month = DateTimeOffset.Parse(completed.Str("completedAt"), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM");
        using var csv = await rider.GetAsync($"/api/trips/business-report?month={month}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ridden_at,pickup,dropoff,distance_km,fare,tip,refunded,total,currency,memo,trip_id", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.EndsWith($",Client visit ACME,{tripId}", row);

        // Support gives part of the fare back: the report shows it and what the ride cost in the end.
        var cells = row.Split(',');
        Assert.Equal(cells[4], cells[7]); // nothing refunded yet: fare (+ no tip) = total
        var support = await stack.SupportAsync();
        await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds",
            new { amountMinor = 100, kind = "goodwill", reason = "a long wait", refundId = "business-" + tripId });
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunded"] is not null);
        using var again = await rider.GetAsync($"/api/trips/business-report?month={month}");
        var refunded = (await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[1].Split(',');
        var fare = decimal.Parse(refunded[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(("1.00", fare - 1.00m), (refunded[6], decimal.Parse(refunded[7], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("month", (await rider.GetAsync("/api/trips/business-report?month=2026-13").ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
    }

    [Fact]
    public async Task A_paid_personal_ride_switched_to_business_mails_the_work_copy_once()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var work = await ConfirmWorkEmailAsync(rider);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal("personal", (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("profile"));

        Assert.Contains("expenseMemo", (await PutProfileAsync(rider, tripId, new { profile = "business", expenseMemo = new string('m', 101) })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var switched = await PlatformClient.ReadAsync(await PutProfileAsync(rider, tripId, new { profile = "business", expenseMemo = "Offsite" }));
        Assert.Equal(("business", "Offsite"), (switched.Str("profile"), switched.Str("expenseMemo")));
        var copy = await stack.Mailbox.WaitForAsync(work, m => m.Subject.StartsWith("Business ride receipt:"));
        Assert.Contains("Expense memo  Offsite", copy.Text);

        // Back to personal and to business again: the work email has its copy already.
        Assert.Equal("personal", (await PlatformClient.ReadAsync(await PutProfileAsync(rider, tripId, new { profile = "personal" }))).Str("profile"));
        await PlatformClient.ReadAsync(await PutProfileAsync(rider, tripId, new { profile = "business", expenseMemo = "Offsite" }));
        // Another rider's trip does not exist for them.
        var other = await stack.Client().SignInAsync("rider");
        Assert.Equal(HttpStatusCode.NotFound, (await PutProfileAsync(other, tripId, new { profile = "business" })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // a second copy would arrive well within this
        Assert.Single(stack.Mailbox.Received, m => m.To.Contains(work) && m.Subject.StartsWith("Business ride receipt:"));

        // A tip paid on its own afterwards has a work copy of its own, so the expense report has a receipt for it too.
        var paidSession = session["data"].Str("checkoutUrl");
        await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 });
        var tipSession = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != paidSession);
        await Rides.PayAsync(rider, tipSession, "pay");
        var tipCopy = await stack.Mailbox.WaitForAsync(work, m => m.Subject.StartsWith("Business tip receipt:"));
        Assert.StartsWith("Business\r\nExpense memo  Offsite", tipCopy.Text.ReplaceLineEndings("\r\n"));
        Assert.Contains("Thanks for tipping", tipCopy.Text);
        Assert.DoesNotContain("To stop these mails", tipCopy.Text);
    }

    private static Task<HttpResponseMessage> PutProfileAsync(UserSession rider, string tripId, object body) =>
        rider.SendAsync(HttpMethod.Put, $"/api/trips/{tripId}/profile", JsonContent.Create(body));

    /// <summary>What the rider does under Account settings → "Business profile": gives a work email and types the code mailed to it.</summary>
    private async Task<string> ConfirmWorkEmailAsync(UserSession rider)
    {
        var work = $"work-{Guid.NewGuid():N}@acme.example";
        var set = await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/auth/me/business-profile", JsonContent.Create(new { workEmail = work })));
        Assert.False(set["businessProfile"]!["confirmed"]!.GetValue<bool>());
        var code = await stack.Mailbox.WorkEmailCodeForAsync(work);
        var me = await rider.PostOkAsync("/api/auth/me/business-profile/confirm", new { code });
        Assert.Equal((work, true), (me["businessProfile"].Str("workEmail"), me["businessProfile"]!["confirmed"]!.GetValue<bool>()));
        return work;
    }
}
