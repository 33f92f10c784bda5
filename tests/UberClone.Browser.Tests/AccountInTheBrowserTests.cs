using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A rider's or driver's own account page (/account), from the header's menu: confirming the email with the mailed code,
/// moving the account to a new email, a new name, a new password (every other device signed out), and deleting the
/// account, which a ride under way holds back.
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
        await otherPhone.WaitForURLAsync("**/rider");

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
        await otherPhone.WaitForURLAsync(new Regex(@"/\?ended=1$"));

        // Only the new password signs in.
        await SignInAsync(otherPhone, email, SignUpPassword);
        await Expect(otherPhone.GetByText("The email or password is wrong.")).ToBeVisibleAsync();
        await SignInAsync(otherPhone, email, NewPassword);
        await otherPhone.WaitForURLAsync("**/rider");
        await Expect(otherPhone.Locator("header").GetByText("Olga Renamed", new() { Exact = true })).ToBeVisibleAsync();

        // Deleting the account needs the password and a tick; it ends on the landing page, saying so.
        await OpenAccountAsync(rider);
        await rider.GetByTestId("account-delete-password").FillAsync(NewPassword);
        await Expect(rider.GetByTestId("account-delete")).ToBeDisabledAsync();
        await rider.GetByTestId("account-delete-confirm").CheckAsync();
        await ShotAsync(rider, "account-delete");
        await rider.GetByTestId("account-delete").ClickAsync();
        await rider.WaitForURLAsync(new Regex(@"/\?deleted=[0-9]{4}-"));
        await Expect(rider.GetByTestId("account-deleted")).ToContainTextAsync("Your account will be deleted on ");
        await Expect(rider.GetByTestId("account-deleted")).ToContainTextAsync("Every device was signed out. Sign in before then to keep it.");
        await ShotAsync(rider, "account-deleted");

        // Every session of it ended (the other phone too).
        await otherPhone.WaitForURLAsync(new Regex(@"/\?ended=1$"));
        var closing = await stack.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("Sign in before then", closing.Text);

        // Changed their mind within the 30 days: signing in keeps the account, as it was, and home says so once.
        await SignInAsync(rider, email, NewPassword);
        await rider.WaitForURLAsync("**/rider");
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
        await rider.WaitForURLAsync("**/rider");
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
        await rider.WaitForURLAsync("**/account");
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
        await rider.WaitForURLAsync("**/rider");
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
        await driver.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await SignInAsync(driver, oldEmail, SignUpPassword);
        // (Filtered: Next.js's route announcer is an alert too.)
        await Expect(driver.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The email or password is wrong." })).ToBeVisibleAsync();
        Assert.Equal("/", new Uri(driver.Url).AbsolutePath);
        await SignInAsync(driver, newEmail, SignUpPassword);
        await driver.WaitForURLAsync("**/driver");
        await Expect(driver.Locator("header").GetByText("Mona Moving", new() { Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>The account page, from the "⋯" menu of the rider's header.</summary>
    private static async Task OpenAccountAsync(IPage rider)
    {
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await rider.WaitForURLAsync("**/account");
        await Expect(rider.GetByTestId("account-name")).ToBeVisibleAsync();
    }

    private static Task SignInAsync(IPage page, string email, string password) => People.SignInAsync(page, email, password);

    private Task<IPage> PhoneAsync() => _people.PhoneAsync();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
