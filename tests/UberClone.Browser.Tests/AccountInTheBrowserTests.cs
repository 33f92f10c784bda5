using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A rider's or driver's own account page (/account), from the header's menu: confirming the email with the mailed code,
/// moving the account to a new email, a new name, a new password (every other device signed out), which mail it gets
/// (also turned off, signed out, from the link in such a mail: /unsubscribe), and deleting the account, which a ride
/// under way holds back.
/// </summary>
public sealed class AccountInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private const string SignUpPassword = People.SignUpPassword;
    private const string NewPassword = "a longer and newer passphrase";
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_renames_themselves_changes_their_password_and_asks_to_delete_the_account_then_signing_in_keeps_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Olga Original");
        // The rider's other phone, signed in too.
        var otherPhone = await PhoneAsync();
        await SignInAsync(otherPhone, email, SignUpPassword);
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex("/rider$"));

        await OpenAccountAsync(rider);
        await Expect(rider.GetByTestId("account-email")).ToHaveTextAsync(email);
        await Expect(rider.GetByTestId("account-role")).ToHaveTextAsync("rider");
        await Expect(rider.GetByTestId("account-name")).ToHaveValueAsync("Olga Original");
        await rider.GetByTestId("account-name").FillAsync("Olga Renamed");
        await rider.GetByTestId("account-name-save").ClickAsync();
        await Expect(rider.GetByTestId("account-name-saved")).ToBeVisibleAsync();
        await ShotAsync(rider, "account-renamed");

        // A new password: this phone goes on with the session the gateway answered; the other one is signed out.
        await rider.GetByTestId("account-current-password").FillAsync(SignUpPassword);
        await rider.GetByTestId("account-new-password").FillAsync(NewPassword);
        await rider.GetByTestId("account-password-save").ClickAsync();
        await Expect(rider.GetByTestId("account-password-changed")).ToHaveTextAsync("Password changed. You were signed out on every other device.");
        await ShotAsync(rider, "account-password-changed");
        await rider.GotoAsync("/rider");
        await Expect(rider.Locator("header").GetByText("Olga Renamed", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");
        // The other phone's socket was closed (4001): the app finds its session ended and goes to sign-in by itself.
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex(@"/\?ended=1$"));

        // Only the new password signs in.
        await SignInAsync(otherPhone, email, SignUpPassword);
        await Expect(otherPhone.GetByText("The email or password is wrong.")).ToBeVisibleAsync();
        await SignInAsync(otherPhone, email, NewPassword);
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(otherPhone.Locator("header").GetByText("Olga Renamed", new() { Exact = true })).ToBeVisibleAsync();

        // Deleting the account needs the password and a tick; it ends on the landing page, saying so.
        await OpenAccountAsync(rider);
        // How long the account is kept comes from the gateway (Accounts:DeletionGrace, 30 days here).
        await Expect(rider.GetByTestId("account-delete-section")).ToContainTextAsync("30 days later your name, email, password");
        await Expect(rider.GetByTestId("account-delete-section")).ToContainTextAsync("I understand that after 30 days this cannot be undone");
        await rider.GetByTestId("account-delete-password").FillAsync(NewPassword);
        await Expect(rider.GetByTestId("account-delete")).ToBeDisabledAsync();
        await rider.GetByTestId("account-delete-confirm").CheckAsync();
        await ShotAsync(rider, "account-delete");
        await rider.GetByTestId("account-delete").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"/\?deleted=[0-9]{4}-"));
        await Expect(rider.GetByTestId("account-deleted")).ToContainTextAsync("Your account will be deleted on ");
        await Expect(rider.GetByTestId("account-deleted")).ToContainTextAsync("Every device was signed out. Sign in before then to keep it.");
        await ShotAsync(rider, "account-deleted");

        // Every session of it ended (the other phone too).
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex(@"/\?ended=1$"));
        var closing = await stack.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("Sign in before then", closing.Text);

        // Changed their mind within the 30 days: signing in keeps the account, as it was, and home says so once.
        await SignInAsync(rider, email, NewPassword);
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(rider.GetByTestId("account-kept")).ToContainTextAsync("Welcome back: your account will not be deleted.");
        await Expect(rider.Locator("header").GetByText("Olga Renamed", new() { Exact = true })).ToBeVisibleAsync();
        await ShotAsync(rider, "account-kept");
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");
        await Expect(rider.GetByTestId("account-kept")).ToHaveCountAsync(0);
        await stack.Mailbox.WaitForAsync(email, m => m.Subject == "Welcome back: your UberClone account is kept");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_with_a_ride_under_way_is_told_why_the_account_cannot_be_deleted_yet_and_stays_signed_in()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 48.2082, Lng: 16.3738); // Vienna: no other test's drivers here
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Vera Waiting", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Otto Ongoing");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "48.2200, 16.3900");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(new Regex("^[0-9]{4}$"));

        await OpenAccountAsync(rider);
        await rider.GetByTestId("account-delete-password").FillAsync(SignUpPassword);
        await rider.GetByTestId("account-delete-confirm").CheckAsync();
        var refused = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByTestId("account-delete").ClickAsync(),
            response => response.Url.EndsWith("/api/auth/me/delete", StringComparison.Ordinal));
        Assert.Equal(409, refused.Status);
        var why = (await refused.JsonAsync())!.Value.GetProperty("detail").GetString()!;
        await Expect(rider.GetByTestId("account-delete-section").GetByTestId("account-error")).ToHaveTextAsync(why);
        await ShotAsync(rider, "account-delete-refused");

        // Their data downloads as one file, with the ride under way in it.
        var download = await rider.RunAndWaitForDownloadAsync(() => rider.GetByTestId("account-download-data").ClickAsync());
        Assert.Matches("^uberclone-data-r[0-9a-f]+\\.json$", download.SuggestedFilename);
        var data = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken))!;
        Assert.Equal("Otto Ongoing", data["account"]!["name"]!.GetValue<string>());
        Assert.Equal("driver_assigned", data["trips"]![0]!["status"]!.GetValue<string>());

        // Still signed in: back in the app, the ride is there.
        await rider.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(new Regex("^[0-9]{4}$"));
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_new_rider_confirms_their_email_with_the_mailed_code_after_a_wrong_one_and_the_home_notice_goes_away()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Cora Confirm");

        // Not confirmed yet: the home screen says so, and links to the account page.
        await Expect(rider.GetByTestId("confirm-email-notice")).ToContainTextAsync("Confirm your email to get receipts by mail.");
        await ShotAsync(rider, "email-not-confirmed");
        await rider.GetByTestId("confirm-email-notice").GetByRole(AriaRole.Link, new() { Name = "Confirm email" }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        var section = rider.GetByTestId("account-email-section");
        await Expect(section).ToContainTextAsync("not confirmed yet");

        // Sign-up mailed the code, in the subject's last six characters.
        const string subject = "Confirm your UberClone email: ";
        var mail = await stack.Mailbox.WaitForAsync(email, m => m.Subject.StartsWith(subject, StringComparison.Ordinal));
        var code = mail.Subject[^6..];
        Assert.Matches("^[0-9]{6}$", code);

        // A mistyped code is refused, saying so.
        await section.GetByLabel("Code from the email").FillAsync(code == "000000" ? "000001" : "000000");
        var refused = await rider.RunAndWaitForResponseAsync(
            () => section.GetByRole(AriaRole.Button, new() { Name = "Confirm email" }).ClickAsync(),
            response => response.Url.EndsWith("/api/auth/me/email/verify", StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);
        var why = (await refused.JsonAsync())!.Value.GetProperty("detail").GetString()!;
        Assert.Contains("wrong", why, StringComparison.OrdinalIgnoreCase);
        await Expect(section.GetByRole(AriaRole.Alert)).ToHaveTextAsync(why);
        await ShotAsync(rider, "email-wrong-code");

        // The mailed code confirms it, and it stays confirmed.
        await section.GetByLabel("Code from the email").FillAsync(code);
        await section.GetByRole(AriaRole.Button, new() { Name = "Confirm email" }).ClickAsync();
        await Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync("Confirmed");
        await Expect(section.GetByLabel("Code from the email")).ToHaveCountAsync(0);
        await ShotAsync(rider, "email-confirmed");
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("account-email-section").GetByRole(AriaRole.Status)).ToHaveTextAsync("Confirmed");

        // Back home, the account is read again and the notice is gone.
        var me = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByTestId("account-back").ClickAsync(),
            response => response.Url.EndsWith("/api/auth/me", StringComparison.Ordinal) && response.Request.Method == "GET");
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        Assert.True((await me.JsonAsync())!.Value.GetProperty("emailVerified").GetBoolean());
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");
        await Expect(rider.GetByTestId("confirm-email-notice")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_moves_the_account_to_a_new_email_with_the_code_mailed_there_and_then_signs_in_with_it_but_not_with_the_old_one()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        var oldEmail = await RideInTheBrowserTests.SignUpAsync(driver, "driver", "Mona Moving");
        var newEmail = $"moved-{Guid.NewGuid():N}@example.test";

        await OpenAccountAsync(driver);
        var section = driver.GetByTestId("account-email-section");
        await section.GetByRole(AriaRole.Button, new() { Name = "Change email", Exact = true }).ClickAsync();
        var form = section.GetByTestId("account-email-change-form");
        await form.GetByLabel("New email").FillAsync(newEmail);

        // The password again: a wrong one is refused, saying so, and mails nothing.
        await form.GetByLabel("Your account's password").FillAsync("not the password at all");
        await form.GetByRole(AriaRole.Button, new() { Name = "Mail a code to the new address" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The password is wrong.");
        await Expect(form.GetByLabel("Code from the new address")).ToHaveCountAsync(0);
        await ShotAsync(driver, "email-change-wrong-password");

        // The right one mails a code to the new address; the account keeps its email until the code is typed.
        await form.GetByLabel("Your account's password").FillAsync(SignUpPassword);
        await form.GetByRole(AriaRole.Button, new() { Name = "Mail a code to the new address" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Status)).ToContainTextAsync($"A code is on its way to {newEmail}.");
        await Expect(form.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await Expect(driver.GetByTestId("account-email")).ToHaveTextAsync(oldEmail);
        var mail = await stack.Mailbox.WaitForAsync(newEmail, m => m.Subject.StartsWith("Confirm your new UberClone email: ", StringComparison.Ordinal));
        var code = mail.Subject[^6..];
        Assert.Matches("^[0-9]{6}$", code);
        await form.GetByLabel("Code from the new address").FillAsync(code);
        await ShotAsync(driver, "email-change-code");

        // The code moves the account: the page shows the new email, confirmed, and the old address is told.
        await form.GetByRole(AriaRole.Button, new() { Name = "Confirm new email" }).ClickAsync();
        await Expect(section.GetByTestId("account-email-changed")).ToHaveTextAsync($"Your email is now {newEmail}.");
        await Expect(form).ToHaveCountAsync(0);
        await Expect(driver.GetByTestId("account-details").GetByTestId("account-email")).ToHaveTextAsync(newEmail);
        await Expect(section.GetByTestId("account-email-confirmed")).ToHaveTextAsync("Confirmed");
        await ShotAsync(driver, "email-changed");
        await stack.Mailbox.WaitForAsync(oldEmail, m => m.Subject == "Your UberClone email was changed");
        await driver.ReloadAsync();
        await Expect(driver.GetByTestId("account-email")).ToHaveTextAsync(newEmail);

        // Signed out, the old email signs in no more; the new one does, with the same password.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(driver, oldEmail, SignUpPassword);
        // (Filtered: Next.js's route announcer is an alert too.)
        await Expect(driver.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The email or password is wrong." })).ToBeVisibleAsync();
        Assert.Equal("/", new Uri(driver.Url).AbsolutePath);
        await SignInAsync(driver, newEmail, SignUpPassword);
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex("/driver$"));
        await Expect(driver.Locator("header").GetByText("Mona Moving", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_turns_receipt_mails_off_in_account_settings_and_they_stay_off_after_a_reload_until_turned_on_again()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Maren Mail");
        await OpenAccountAsync(rider);

        // A rider's four kinds of mail, all on; mail goes only to a confirmed email, and some is always sent.
        var mail = rider.GetByTestId("mail-preferences");
        var receipts = mail.GetByTestId("mail-pref-receipts");
        var rides = mail.GetByTestId("mail-pref-rides");
        await Expect(mail.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(4);
        await Expect(mail.GetByLabel("Receipts and refunds", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(mail.GetByLabel("Rides booked for later", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(mail.GetByLabel("Offers and invites", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(mail.GetByLabel("Split fare requests", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(mail.GetByTestId("mail-unconfirmed")).ToContainTextAsync("Mail goes only to a confirmed email");
        await Expect(mail.GetByTestId("mail-always-sent")).ToContainTextAsync("are always mailed");

        // Unticked, it is saved at once.
        var saved = await rider.RunAndWaitForResponseAsync(
            () => receipts.UncheckAsync(),
            response => response.Url.EndsWith("/api/auth/me/mail", StringComparison.Ordinal) && response.Request.Method == "PUT");
        Assert.Equal(200, saved.Status);
        await Expect(receipts).Not.ToBeCheckedAsync();
        await Expect(receipts).ToBeEnabledAsync();
        await Expect(rides).ToBeCheckedAsync();
        await ShotAsync(rider, "mail-receipts-off");

        // The gateway kept it: still off after a reload, and the other kind still on.
        await rider.ReloadAsync();
        await Expect(receipts).Not.ToBeCheckedAsync();
        await Expect(rides).ToBeCheckedAsync();

        // Ticked again, it is on again, after a reload too.
        await rider.RunAndWaitForResponseAsync(
            () => receipts.CheckAsync(),
            response => response.Url.EndsWith("/api/auth/me/mail", StringComparison.Ordinal) && response.Request.Method == "PUT" && response.Status == 200);
        await Expect(receipts).ToBeCheckedAsync();
        await rider.ReloadAsync();
        await Expect(receipts).ToBeCheckedAsync();
        await Expect(rides).ToBeCheckedAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_drivers_account_settings_offer_only_earnings_statements_and_reserved_ride_reminders_by_mail()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(driver, "driver", "Dirk Statements");
        await OpenAccountAsync(driver);

        var mail = driver.GetByTestId("mail-preferences");
        await Expect(mail.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(2);
        await Expect(mail.GetByTestId("mail-pref-statements")).ToBeCheckedAsync();
        await Expect(mail.GetByLabel("Earnings statements and payouts", new() { Exact = true })).ToBeCheckedAsync();
        // The reminder before a ride they reserved (ADR 0050).
        await Expect(mail.GetByTestId("mail-pref-reserved_rides")).ToBeCheckedAsync();
        await Expect(mail.GetByLabel("Reserved rides", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(mail).Not.ToContainTextAsync("Receipts and refunds");
        await Expect(mail).Not.ToContainTextAsync("Rides booked for later");
        await Expect(mail).Not.ToContainTextAsync("Offers and invites");
        await ShotAsync(driver, "mail-driver");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_turns_off_mail_about_rides_booked_for_later_from_the_link_in_one_signed_out_and_undoes_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Ulla Unsubscribe");

        // Mail goes to a confirmed email only: the rider confirms it with the code mailed at sign-up.
        await OpenAccountAsync(rider);
        var emailSection = rider.GetByTestId("account-email-section");
        await emailSection.GetByLabel("Code from the email").FillAsync(await stack.Mailbox.ConfirmationCodeForAsync(email));
        await emailSection.GetByRole(AriaRole.Button, new() { Name = "Confirm email" }).ClickAsync();
        await Expect(emailSection.GetByTestId("account-email-confirmed")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("mail-unconfirmed")).ToHaveCountAsync(0);

        // A ride booked for later is confirmed by mail, which ends with the link that stops such mails.
        await rider.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("40.4168, -3.7038"); // Madrid
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("40.4300, -3.6900");
        await People.ChooseLaterAsync(rider);
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(1);
        var booked = await stack.Mailbox.WaitForAsync(email, m => m.Subject.StartsWith("Your UberClone ride is booked for ", StringComparison.Ordinal));
        var link = Regex.Match(booked.Text, @"To stop these mails: (https?://[^/\s]+/unsubscribe\?t=\S+)");
        Assert.True(link.Success, $"No unsubscribe link in the mail:\n{booked.Text}");
        // The link names the web app at its usual address (Mail:LinkBase); the test's web app has a port of its own.
        var address = new Uri(link.Groups[1].Value).PathAndQuery;

        // Opened where nobody is signed in (the mail app's browser), it asks first, with the address masked.
        var inbox = await PhoneAsync();
        await inbox.GotoAsync(address);
        var message = inbox.GetByTestId("unsubscribe-message");
        await Expect(message).ToContainTextAsync("Stop mailing \"Rides booked for later\" to ");
        await Expect(message).Not.ToContainTextAsync(email);
        await Expect(inbox.GetByTestId("unsubscribe-undo")).ToHaveCountAsync(0);
        await ShotAsync(inbox, "unsubscribe-asks");

        // Opening the link changed nothing (mail scanners open links): the rider's settings still have it on.
        await OpenAccountAsync(rider);
        await Expect(rider.GetByTestId("mail-pref-rides")).ToBeCheckedAsync();

        // The button turns it off; the page says so and offers to undo it.
        await inbox.GetByTestId("unsubscribe-confirm").ClickAsync();
        await Expect(message).ToContainTextAsync("Done: \"Rides booked for later\" are not mailed to ");
        await Expect(inbox.GetByTestId("unsubscribe-confirm")).ToHaveCountAsync(0);
        await Expect(inbox.GetByTestId("unsubscribe-undo")).ToHaveTextAsync("Undo");
        await ShotAsync(inbox, "unsubscribed");
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("mail-pref-rides")).Not.ToBeCheckedAsync();
        await Expect(rider.GetByTestId("mail-pref-receipts")).ToBeCheckedAsync();

        // The link opened again says it is off, and mails them again on request.
        await inbox.ReloadAsync();
        await Expect(message).ToHaveTextAsync(new Regex("^\"Rides booked for later\" are not mailed to \\S+ any more\\.$"));
        await inbox.GetByRole(AriaRole.Button, new() { Name = "Mail them again" }).ClickAsync();
        await Expect(message).ToHaveTextAsync(new Regex("^\"Rides booked for later\" are mailed to \\S+ again\\.$"));
        await Expect(inbox.GetByTestId("unsubscribe-confirm")).ToBeVisibleAsync();
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("mail-pref-rides")).ToBeCheckedAsync();

        // A link altered to name other mail is refused, and offers nothing to click.
        await inbox.GotoAsync(address.Replace(".rides.", ".receipts.", StringComparison.Ordinal));
        await Expect(message).ToContainTextAsync("This unsubscribe link is not valid");
        await Expect(inbox.GetByTestId("unsubscribe-confirm")).ToHaveCountAsync(0);
        await Expect(inbox.GetByTestId("unsubscribe-undo")).ToHaveCountAsync(0);
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("mail-pref-receipts")).ToBeCheckedAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task An_unsubscribe_link_that_is_not_valid_says_so_and_offers_nothing_to_click()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var page = await PhoneAsync();
        await page.GotoAsync("/unsubscribe?t=nope");
        await Expect(page.GetByTestId("unsubscribe-message")).ToContainTextAsync("not valid");
        await Expect(page.GetByTestId("unsubscribe-confirm")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("unsubscribe-undo")).ToHaveCountAsync(0);
        await ShotAsync(page, "unsubscribe-not-valid");
    }

    /// <summary>The account page, from the "⋯" menu of the rider's header.</summary>
    private static async Task OpenAccountAsync(IPage rider)
    {
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        await Expect(rider.GetByTestId("account-name")).ToBeVisibleAsync();
    }

    private static Task SignInAsync(IPage page, string email, string password) => People.SignInAsync(page, email, password);

    private Task<IPage> PhoneAsync() => _people.PhoneAsync();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
