using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Receipts by mail on the whole stack: trips says a ride was paid (or refunded) over Kafka, the gateway's receipts
/// group reads it once, asks trips for the rider's view of the trip and mails the rider over SMTP.
/// </summary>
public sealed class ReceiptMailTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_paid_ride_a_tip_and_a_refund_each_mail_the_rider_once()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        // Not paid yet: no receipt to mail a copy of.
        var early = await rider.PostAsync($"/api/trips/{tripId}/receipt/email", new { });
        Assert.Equal((System.Net.HttpStatusCode.Conflict, "https://uberclone.dev/problems/receipt-not-final"),
            (early.StatusCode, (await early.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken)).Str("type")));
        await Rides.PayAsync(rider, session, "pay");
        var charged = session["data"]!["amountMinor"]!.GetValue<long>();
        var currency = session["data"].Str("currency");

        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        Assert.Contains(Amount(charged, currency), receipt.Subject);
        Assert.Contains("Hello rider,", receipt.Text);
        Assert.Contains("Thanks for riding with UberClone and driver.", receipt.Text); // the driver's first name
        Assert.Contains("Base fare", receipt.Text);
        Assert.Contains("Total charged", receipt.Text);
        Assert.Contains(tripId, receipt.Text);
        Assert.Contains("\"Receipts and refunds\" is on in your account settings. To stop these mails: http://localhost:3000/unsubscribe?t=", receipt.Text);

        // A tip after paying is paid on its own, and has its own receipt.
        await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 300 });
        var tipSession = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != session["data"].Str("checkoutUrl"));
        await Rides.PayAsync(rider, tipSession, "pay");
        var tip = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone tip receipt:"));
        Assert.Contains(Amount(300, currency), tip.Subject);

        // Support gives part of the fare back: the rider is told how much, and why.
        var support = await stack.SupportAsync();
        await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds",
            new { amountMinor = 100, kind = "fare_adjustment", reason = "the route was too long", refundId = "receipt-" + tripId });
        var refund = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("UberClone refund:"));
        Assert.Contains(Amount(100, currency), refund.Subject);
        Assert.Contains("Support adjusted the fare of this ride.", refund.Text);

        // A copy asked for from the app: the receipt as it stands now, with the tip paid later and the refund below it.
        var copy = await rider.PostOkAsync($"/api/trips/{tripId}/receipt/email", new { });
        Assert.Equal((true, $"A copy of the receipt is on its way to {rider.Email}."), (copy["mailed"]!.GetValue<bool>(), copy.Str("message")));
        var copied = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt (copy):"));
        Assert.Contains(Amount(charged, currency), copied.Subject);
        Assert.Contains($"Tip, paid on its own", copied.Text);
        Assert.Contains($"-{Amount(100, currency)}", copied.Text);
        Assert.DoesNotContain("To stop these mails", copied.Text); // asked for: nothing to turn off
        // Asked again within the minute (by the rider, or support on their behalf): nothing more is sent. The driver: not theirs.
        Assert.False((await rider.PostOkAsync($"/api/trips/{tripId}/receipt/email", new { }))["mailed"]!.GetValue<bool>());
        var bySupport = await support.PostOkAsync($"/api/trips/{tripId}/receipt/email", new { });
        Assert.Equal((false, $"A copy went to {rider.Email} less than a minute ago; check the spam folder too."), (bySupport["mailed"]!.GetValue<bool>(), bySupport.Str("message")));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await driver.PostAsync($"/api/trips/{tripId}/receipt/email", new { })).StatusCode);

        // Each once (the receipts group reads each event once; the driver gets none of them, only their approval to drive).
        var mails = stack.Mailbox.Received.Where(m => m.To.Contains(rider.Email)).Select(m => m.Subject.Split(':')[0]).Order().ToList();
        Assert.Equal(["Confirm your UberClone email", "UberClone refund", "Your UberClone receipt", "Your UberClone receipt (copy)", "Your UberClone tip receipt"], mails);
        Assert.DoesNotContain(stack.Mailbox.Received, m => m.To.Contains(driver.User.Email) && !FakeMailbox.IsEmailConfirmation(m) && m.Subject != "You can drive with UberClone");
    }

    [Fact]
    public async Task A_rider_who_turned_receipts_off_is_mailed_none_but_the_copy_they_ask_for_and_the_link_in_a_receipt_turns_them_off()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var off = await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/auth/me/mail", JsonContent.Create(new { receipts = false })));
        Assert.False(off["categories"]!.AsArray().Single(c => c.Str("id") == "receipts")!["on"]!.GetValue<bool>());
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // a receipt would arrive well within this
        Assert.DoesNotContain(stack.Mailbox.Received, m => m.To.Contains(rider.Email) && m.Subject.StartsWith("Your UberClone receipt:"));
        // Asked for, a copy still goes.
        await rider.PostOkAsync($"/api/trips/{tripId}/receipt/email", new { });
        await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt (copy):"));

        // On again, the next receipt (a tip paid on its own) comes with the one-click link, which needs no session.
        await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/auth/me/mail", JsonContent.Create(new { receipts = true })));
        await rider.PostOkAsync($"/api/trips/{tripId}/tip", new { amountMinor = 200 });
        var tipSession = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != session["data"].Str("checkoutUrl"));
        await Rides.PayAsync(rider, tipSession, "pay");
        var tip = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone tip receipt:"));
        var headers = System.Text.RegularExpressions.Regex.Replace(tip.Raw[..tip.Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], @"\r\n[ \t]+", " ");
        var oneClick = System.Text.RegularExpressions.Regex.Match(headers, @"(?m)^List-Unsubscribe: <http://localhost:3000(/api/mail/unsubscribe\?t=[^>]+)>").Groups[1].Value;
        Assert.NotEmpty(oneClick);
        using var clicked = await stack.Client().Http.PostAsync(oneClick, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, clicked.StatusCode);
        var now = await rider.GetOkAsync("/api/auth/me/mail");
        Assert.Equal([("receipts", false), ("rides", true), ("offers", true), ("split_fare", true)], now["categories"]!.AsArray().Select(c => (c.Str("id"), c!["on"]!.GetValue<bool>())));
    }

    [Fact]
    public async Task A_rider_who_has_not_confirmed_their_email_is_mailed_no_receipt()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");

        // Anyone may sign up with anyone's address: until its owner confirms it, only the sign-up code goes there.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // a confirmed rider's receipt arrives well within this
        Assert.Equal(["Confirm your UberClone email"], stack.Mailbox.Received.Where(m => m.To.Contains(rider.Email)).Select(m => m.Subject.Split(':')[0]));
        Assert.Equal("paid", (await rider.GetOkAsync($"/api/trips/{tripId}"))["receipt"].Str("paymentStatus")); // the receipt is in the app
        var copy = await rider.PostAsync($"/api/trips/{tripId}/receipt/email", new { });
        Assert.Equal((System.Net.HttpStatusCode.Conflict, "https://uberclone.dev/problems/email-not-confirmed"),
            (copy.StatusCode, (await copy.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken)).Str("type")));
    }

    [Fact]
    public async Task A_driver_mails_themselves_this_weeks_earnings_statement_once_their_email_is_confirmed()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        const string path = "/api/drivers/me/statement/email";

        var unconfirmed = await driver.PostAsync(path, new { });
        Assert.Equal((System.Net.HttpStatusCode.Conflict, "https://uberclone.dev/problems/email-not-confirmed"),
            (unconfirmed.StatusCode, (await unconfirmed.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken)).Str("type")));
        await Rides.ConfirmEmailAsync(driver.User, stack.Mailbox);

        // This week so far, from trips' earnings as the driver: the trip just driven.
        var sent = await driver.User.PostOkAsync(path, new { });
        Assert.Equal((true, $"Your statement for this week so far is on its way to {driver.User.Email}."), (sent["mailed"]!.GetValue<bool>(), sent.Str("message")));
        var statement = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.StartsWith("Your UberClone week so far:"));
        Assert.Contains("from 1 trip", statement.Subject);
        var earned = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!;
        Assert.Contains($"You earned{Amount(earned["amountMinor"]!.GetValue<long>(), earned.Str("currency")).PadLeft(30)}", statement.Text.Replace("\r", ""));
        Assert.Contains("<table", statement.Html);
        Assert.DoesNotContain("To stop these mails", statement.Text); // asked for; only the Monday one can be turned off

        // Again within the minute: nothing new. Last week: nothing earned. A rider: not theirs. A date to come: refused.
        Assert.False((await driver.User.PostOkAsync(path, new { }))["mailed"]!.GetValue<bool>());
        var lastWeek = await driver.User.PostOkAsync(path, new { weekOf = DateTime.UtcNow.AddDays(-7).ToString("yyyy-MM-dd") });
        Assert.False(lastWeek["mailed"]!.GetValue<bool>());
        Assert.StartsWith("You earned nothing the week of", lastWeek.Str("message"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await rider.PostAsync(path, new { })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await driver.PostAsync(path, new { weekOf = DateTime.UtcNow.AddDays(8).ToString("yyyy-MM-dd") })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await driver.PostAsync(path, new { weekOf = "last week" })).StatusCode);

        // The month's earnings as a CSV file: the trip is a row whose parts add up to what the driver earned.
        var month = DateTimeOffset.Parse((await driver.User.GetOkAsync($"/api/trips/{tripId}")).Str("completedAt")).UtcDateTime.ToString("yyyy-MM");
        using var csv = await driver.User.GetAsync($"/api/drivers/me/earnings.csv?month={month}");
        Assert.Equal(("text/csv", $"uberclone-earnings-{month}.csv"), (csv.Content.Headers.ContentType?.MediaType, csv.Content.Headers.ContentDisposition?.FileNameStar ?? csv.Content.Headers.ContentDisposition?.FileName));
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("earned_at,trip_id,kind,", lines[0]);
        var row = Assert.Single(lines, l => l.Contains($",{tripId},"))!.Split(',');
        Assert.Equal(("fare", (earned["amountMinor"]!.GetValue<long>() / 100m).ToString("0.00", CultureInfo.InvariantCulture)), (row[2], row[10]));
        // The whole year so far (what a tax return asks for): the same row, in a file named for the year.
        var year = month[..4];
        using var yearly = await driver.User.GetAsync($"/api/drivers/me/earnings.csv?year={year}");
        Assert.Equal($"uberclone-earnings-{year}.csv", yearly.Content.Headers.ContentDisposition?.FileNameStar ?? yearly.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains((await yearly.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n"), l => l.Contains($",{tripId},"));
        Assert.Contains("not both", (await driver.User.GetAsync($"/api/drivers/me/earnings.csv?year={year}&month={month}").ProblemAsync(System.Net.HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("not started", (await driver.User.GetAsync($"/api/drivers/me/earnings.csv?year={int.Parse(year) + 1}").ProblemAsync(System.Net.HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("two years", (await driver.User.GetAsync($"/api/drivers/me/earnings.csv?year={int.Parse(year) - 3}").ProblemAsync(System.Net.HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await driver.User.GetAsync("/api/drivers/me/earnings.csv?year=26")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await rider.GetAsync("/api/drivers/me/earnings.csv")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await driver.User.GetAsync("/api/drivers/me/earnings.csv?month=last")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await driver.User.GetAsync($"/api/drivers/me/earnings.csv?month={DateTime.UtcNow.AddMonths(2):yyyy-MM}")).StatusCode);
    }

    /// <summary>An amount as the mails write it, as the app does ("$12.34"): these rides are priced in US dollars.</summary>
    private static string Amount(long minor, string currency)
    {
        Assert.Equal("USD", currency);
        return $"${(minor / 100m).ToString("#,0.00", CultureInfo.InvariantCulture)}";
    }
}
