using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A driver is paid what they earn (ADR 0025), trips and payments together over Kafka: a completed ride's earnings reach
/// the driver's ledger, the driver gives a bank account on the sandbox's onboarding page through the gateway, cashes out,
/// and is told on the socket and by mail; a bank that refuses leaves the money owed; support sees it all.
/// </summary>
public sealed class PayoutsTests(LifecycleStackFixture stack)
{
    private static async Task OnboardAsync(UserSession driver, string iban)
    {
        var started = await driver.PostAsync("/api/payments/payouts/account", new { }).OkAsync();
        var url = started.Str("url");
        Assert.StartsWith("/connect/acct_link_sandbox_", url);
        // A bad IBAN: the page again, as HTML, saying why.
        using (var refused = await driver.SendAsync(HttpMethod.Post, url, new FormUrlEncodedContent(new Dictionary<string, string> { ["holder"] = "Dana", ["iban"] = "DE00 1234" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith("text/html", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("13 to 32", await refused.Content.ReadAsStringAsync());
        }
        // Saved: the page sends the browser back to the driver app, which this client (the gateway only) does not serve.
        using var saved = await driver.SendAsync(HttpMethod.Post, url, new FormUrlEncodedContent(new Dictionary<string, string> { ["holder"] = "Dana Driver", ["iban"] = iban }));
    }

    private async Task<(OnlineDriver Driver, long Earned, string Currency)> DriverWhoRodeAsync(PlatformClient client)
    {
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        await Rides.ConfirmEmailAsync(driver.User, stack.Mailbox);
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200))).Str("tripId");
        var completed = await Rides.DriveAsync(rider, driver, tripId, pickup);
        var earnings = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!["earnings"]!;
        return (driver, earnings["amountMinor"]!.GetValue<long>(), earnings.Str("currency"));
    }

    [Fact]
    public async Task A_rides_earnings_are_owed_to_the_driver_who_cashes_out_to_their_bank_account_and_is_told()
    {
        var client = stack.Client();
        var (driver, earned, currency) = await DriverWhoRodeAsync(client);
        await using var _ = driver;

        // Owed as soon as payments has the trip's earnings (over Kafka); nothing can be paid before a bank account is given.
        var owed = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        Assert.Equal((currency, earned), (owed["owed"]![0].Str("currency"), owed["owed"]![0]!["amountMinor"]!.GetValue<long>()));
        Assert.Null(owed["account"]);
        Assert.Contains("Set up payouts first", owed["cashOut"].Str("refusal"));
        Assert.Contains("Set up payouts first", (await driver.User.PostAsync("/api/payments/payouts", new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));

        await OnboardAsync(driver.User, "DE89 3704 0044 0532 0130 00");
        var ready = await driver.User.GetOkAsync("/api/payments/payouts");
        Assert.Equal(("enabled", "DE •••• 3000"), (ready["account"].Str("status"), ready["account"].Str("destination")));
        Assert.Equal(DayOfWeek.Monday, DateTimeOffset.Parse(ready["account"].Str("nextPayoutAt")!).UtcDateTime.DayOfWeek);

        var after = await driver.User.PostAsync("/api/payments/payouts", new { }).OkAsync();
        var payout = Assert.Single(after["payouts"]!.AsArray())!;
        Assert.Equal(("paid", "instant", earned, "DE •••• 3000"), (payout.Str("status"), payout.Str("trigger"), payout["amountMinor"]!.GetValue<long>(), payout.Str("destination")));
        Assert.Empty(after["owed"]!.AsArray()); // nothing owed any more
        var told = await driver.Socket.WaitForAsync("payout.paid", m => m["data"].Str("payoutId") == payout.Str("id"));
        Assert.Equal(earned, told["data"]!["amountMinor"]!.GetValue<long>());
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.StartsWith("Your payout of"));
        Assert.Contains("DE •••• 3000", mail.Text);
        Assert.Contains("You cashed out", mail.Text);
        // Nothing is left to cash out; support sees the payout; nobody else reads a driver's payouts.
        Assert.Contains("not enough", (await driver.User.PostAsync("/api/payments/payouts", new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        var support = await stack.SupportAsync();
        var desk = await support.GetOkAsync($"/api/payments/drivers/{driver.User.UserId}/payouts");
        Assert.Equal(payout.Str("id"), desk["payouts"]![0].Str("id"));
        var rider = await client.SignInAsync("rider");
        await rider.GetAsync("/api/payments/payouts").ProblemAsync(HttpStatusCode.Forbidden);
        await rider.GetAsync($"/api/payments/drivers/{driver.User.UserId}/payouts").ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_payout_the_bank_refuses_is_failed_told_and_the_money_stays_owed()
    {
        var (driver, earned, _) = await DriverWhoRodeAsync(stack.Client());
        await using var _ = driver;
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        await OnboardAsync(driver.User, "DE62 3704 0044 0532 0130 01");

        var after = await driver.User.PostAsync("/api/payments/payouts", new { }).OkAsync();

        var payout = Assert.Single(after["payouts"]!.AsArray())!;
        Assert.Equal(("failed", "no_account"), (payout.Str("status"), payout.Str("failureReason")));
        Assert.Equal(earned, after["owed"]![0]!["amountMinor"]!.GetValue<long>());
        var told = await driver.Socket.WaitForAsync("payout.failed", m => m["data"].Str("payoutId") == payout.Str("id"));
        Assert.Equal("no_account", told["data"].Str("reason"));
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.EndsWith("could not be made"));
        Assert.Contains("does not exist", mail.Text);
    }

    [Fact]
    public async Task A_payout_the_bank_refuses_after_the_transfer_is_told_to_the_driver_and_shown_until_a_new_bank_account_is_paid()
    {
        var (driver, earned, currency) = await DriverWhoRodeAsync(stack.Client());
        await using var _ = driver;
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        // The sandbox's test account whose bank takes transfers' payouts and refuses them later (account closed).
        await OnboardAsync(driver.User, "DE35 3704 0044 0532 0130 02");

        var payout = Assert.Single((await driver.User.PostAsync("/api/payments/payouts", new { }).OkAsync())["payouts"]!.AsArray())!;
        Assert.Equal("paid", payout.Str("status")); // the transfer reached the driver's account at the provider

        // The sandbox's bank answers the account's payout to it with Stripe's payout.failed, through the webhook processor.
        var told = await driver.Socket.WaitForAsync("payout.bank_refused", m => m["data"].Str("driverId") == driver.User.UserId);
        Assert.Equal((earned, currency, "account_closed", "the account is closed"),
            (told["data"]!["amountMinor"]!.GetValue<long>(), told["data"].Str("currency"), told["data"].Str("code"), told["data"].Str("message")));
        var refused = (await driver.User.GetOkAsync("/api/payments/payouts"))["account"]!["bankRefusal"]!;
        Assert.Equal((told["data"].Str("providerPayoutId"), earned), (refused.Str("providerPayoutId"), refused["amountMinor"]!.GetValue<long>()));
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.StartsWith("Your bank did not accept"));
        Assert.Contains("the account is closed. Update your bank account:", mail.Text);
        // Support sees it on the driver's payouts too.
        var desk = await (await stack.SupportAsync()).GetOkAsync($"/api/payments/drivers/{driver.User.UserId}/payouts");
        Assert.Equal("account_closed", desk["account"]!["bankRefusal"].Str("code"));

        // Another bank account: the provider pays the refused money to it, and the warning is gone.
        await OnboardAsync(driver.User, "DE89 3704 0044 0532 0130 00");
        var fixedAccount = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["account"]!["bankRefusal"] is null);
        Assert.Equal("DE •••• 3000", fixedAccount["account"].Str("destination"));
        // The open app is told, with the payout the bank took (the refused money, sent again).
        var cleared = await driver.Socket.WaitForAsync("payout.bank_refusal_cleared", m => m["data"].Str("driverId") == driver.User.UserId);
        Assert.Equal((earned, currency), (cleared["data"]!["amountMinor"]!.GetValue<long>(), cleared["data"].Str("currency")));
        Assert.NotEqual(told["data"].Str("providerPayoutId"), cleared["data"].Str("providerPayoutId"));
    }

    [Fact]
    public async Task A_driver_who_deletes_their_account_is_told_what_they_are_owed_is_paid_and_it_is_once_the_account_is_erased()
    {
        var client = stack.Client();
        var (driver, earned, currency) = await DriverWhoRodeAsync(client);
        await using var _ = driver;
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        await OnboardAsync(driver.User, "DE89 3704 0044 0532 0130 00");

        await driver.User.PostAsync("/api/auth/me/delete", new { password = driver.User.Password }).OkAsync();
        var closing = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("What you are still owed for your trips is paid to your bank account for payouts when the account is deleted", closing.Text);

        // Erased after the grace period: everything owed is paid out, under the cash-out minimum or not.
        var support = await stack.SupportAsync();
        var paid = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/payments/drivers/{driver.User.UserId}/payouts"),
            p => p["payouts"]!.AsArray().Any(x => x.Str("trigger") == "final" && x.Str("status") == "paid"), LifecycleStackFixture.DeletionGrace * 4);
        var final = paid["payouts"]!.AsArray().Single(x => x.Str("trigger") == "final")!;
        Assert.Equal((earned, currency, "DE •••• 3000"), (final["amountMinor"]!.GetValue<long>(), final.Str("currency"), final.Str("destination")));
        Assert.DoesNotContain(paid["owed"]!.AsArray(), o => o!["amountMinor"]!.GetValue<long>() != 0);
    }

    /// <summary>Monday 00:00 in <paramref name="zone"/> after now: where the driver's statement week ends, and the weekly payout runs.</summary>
    private static DateTimeOffset NextLocalMonday(string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, tz).DateTime);
        var monday = today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);
        var local = monday.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, tz.GetUtcOffset(local));
    }

    [Fact]
    public async Task A_drivers_weekly_payout_is_due_at_monday_midnight_in_their_own_time_zone_and_follows_it_when_it_changes()
    {
        var client = stack.Client();
        var (driver, _, _) = await DriverWhoRodeAsync(client);
        await using var _ = driver;
        // Set before payouts are: payments keeps it for the account the driver sets up later.
        await driver.User.SendAsync(HttpMethod.Patch, "/api/auth/me", System.Net.Http.Json.JsonContent.Create(new { timeZone = "Asia/Tokyo" })).OkAsync();
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        await OnboardAsync(driver.User, "DE89 3704 0044 0532 0130 00");

        static DateTimeOffset? Next(System.Text.Json.Nodes.JsonObject view) => view["account"]?["nextPayoutAt"]?.GetValue<string>() is { } at ? DateTimeOffset.Parse(at) : null;
        var tokyo = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => Next(p) == NextLocalMonday("Asia/Tokyo"));
        Assert.Equal("Asia/Tokyo", tokyo["account"].Str("timeZone"));

        // The driver moves to Los Angeles: the gateway tells payments (over Kafka), and the run moves to Monday 00:00 there.
        await driver.User.SendAsync(HttpMethod.Patch, "/api/auth/me", System.Net.Http.Json.JsonContent.Create(new { timeZone = "America/Los_Angeles" })).OkAsync();
        var moved = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["account"].Str("timeZone") == "America/Los_Angeles");
        Assert.Equal(NextLocalMonday("America/Los_Angeles"), Next(moved));
        var desk = await (await stack.SupportAsync()).GetOkAsync($"/api/payments/drivers/{driver.User.UserId}/payouts");
        Assert.Equal(("America/Los_Angeles", Next(moved)), (desk["account"].Str("timeZone"), Next(desk)));
    }
}
