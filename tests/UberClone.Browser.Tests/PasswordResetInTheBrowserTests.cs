using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// "Forgot your password?" from the sign-in form: a six-digit code mailed to the account's email (the stack's test
/// mailbox), then the code and a new password, which sign in and sign every other device out.
/// </summary>
public sealed class PasswordResetInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private const string SignUpPassword = People.SignUpPassword;
    private const string NewPassword = "a reset and newer passphrase";
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_who_forgot_their_password_sets_a_new_one_with_the_mailed_code_and_every_other_device_is_signed_out()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rosa Reset");
        // The rider's other phone, signed in too.
        var otherPhone = await PhoneAsync();
        await SignInAsync(otherPhone, email, SignUpPassword);
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex("/rider$"));

        // A screen nobody is signed in on: the sign-in form's link carries the typed email to the reset page.
        var screen = await PhoneAsync();
        await screen.GotoAsync("/");
        await screen.GetByRole(AriaRole.Tab, new() { Name = "Sign in" }).ClickAsync();
        await Expect(screen.GetByTestId("forgot-password")).ToHaveTextAsync("Forgot your password?"); // in sign-in mode only
        await screen.GetByLabel("Email").FillAsync(email);
        await screen.GetByTestId("forgot-password").ClickAsync();
        await Assertions.Expect(screen).ToHaveURLAsync(new Regex(@"/reset-password\?email="));
        await Expect(screen.GetByTestId("reset-email")).ToHaveValueAsync(email);
        await screen.GetByTestId("reset-send").ClickAsync();
        await Expect(screen.GetByTestId("reset-sent")).ToHaveTextAsync("If an account uses this email, a code is on its way to it. It works for 15 minutes.");
        await ShotAsync(screen, "reset-code-sent");
        var code = await stack.Mailbox.CodeForAsync(email);

        // A mistyped code is refused, saying how many tries are left.
        var wrongCode = ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        await screen.GetByTestId("reset-code").FillAsync(wrongCode);
        await screen.GetByTestId("reset-new-password").FillAsync(NewPassword);
        await screen.GetByTestId("reset-confirm").ClickAsync();
        await Expect(screen.GetByTestId("reset-error")).ToHaveTextAsync("The code is wrong (4 tries left).");
        await ShotAsync(screen, "reset-wrong-code");

        // The mailed code and the new password sign in, into the rider's app.
        await screen.GetByTestId("reset-code").FillAsync(code);
        await screen.GetByTestId("reset-new-password").FillAsync(NewPassword);
        await screen.GetByTestId("reset-confirm").ClickAsync();
        await Assertions.Expect(screen).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(screen.Locator("header").GetByText("Rosa Reset", new() { Exact = true })).ToBeVisibleAsync();
        await ShotAsync(screen, "reset-signed-in");

        // Every earlier session ended: the other phone is sent to sign in again.
        // Its socket was closed (4001): the app finds its session ended and goes to sign-in by itself.
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex(@"/\?ended=1$"));

        // Only the new password signs in.
        await SignInAsync(otherPhone, email, SignUpPassword);
        await Expect(otherPhone.GetByText("The email or password is wrong.")).ToBeVisibleAsync();
        await SignInAsync(otherPhone, email, NewPassword);
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(otherPhone.Locator("header").GetByText("Rosa Reset", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_mails_a_caller_who_cannot_sign_in_a_code_which_they_use_and_the_trail_says_who_sent_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var email = await RideInTheBrowserTests.SignUpAsync(await PhoneAsync(), "rider", "Cleo Caller");

        // The caller cannot sign in; the desk finds them by email and mails a code to the account's own address.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-email")).ToHaveTextAsync(email);
        await desk.GetByTestId("ops-password-reset").ClickAsync();
        await Expect(desk.GetByTestId("ops-password-reset-result")).ToContainTextAsync($"A code is on its way to {email}");
        await Expect(desk.GetByTestId("ops-user").GetByText("Mailed a password reset code")).ToBeVisibleAsync();
        // What was mailed to the account, newest first: the code just sent and the sign-up's, never a code's digits.
        var mails = desk.GetByTestId("ops-user-mails").GetByTestId("ops-user-mail");
        await Expect(mails).ToHaveCountAsync(2);
        await Expect(mails.First).ToContainTextAsync("Password reset code · Your UberClone code: ······ · to ");
        await Expect(mails.Last).ToContainTextAsync("Email confirmation code · Confirm your UberClone email: ······");
        await ShotAsync(desk, "desk-reset-code-mailed");
        var code = await stack.Mailbox.CodeForAsync(email);
        await Expect(desk.GetByTestId("ops-user-mails")).Not.ToContainTextAsync(code);

        // The desk's own account page (behind "⋯"): its name and password, nothing to download or delete.
        await desk.GetByLabel("More account options").ClickAsync();
        await desk.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(desk).ToHaveURLAsync(new Regex("/account$"));
        await Expect(desk.GetByTestId("account-role")).ToHaveTextAsync("operator");
        await Expect(desk.GetByTestId("account-password-section")).ToBeVisibleAsync();
        await Expect(desk.GetByTestId("account-delete-section")).ToHaveCountAsync(0);
        await Expect(desk.GetByTestId("account-data-section")).ToHaveCountAsync(0);
        await desk.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(desk).ToHaveURLAsync(new Regex("/ops$"));

        // On a screen of their own they open "Forgot your password?"; asking again within the minute sends nothing new,
        // and the code support sent works.
        var screen = await PhoneAsync();
        await screen.GotoAsync("/reset-password?email=" + Uri.EscapeDataString(email));
        await screen.GetByTestId("reset-send").ClickAsync();
        await screen.GetByTestId("reset-code").FillAsync(code);
        await screen.GetByTestId("reset-new-password").FillAsync(NewPassword);
        await screen.GetByTestId("reset-confirm").ClickAsync();
        await Assertions.Expect(screen).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(screen.Locator("header").GetByText("Cleo Caller", new() { Exact = true })).ToBeVisibleAsync();
    }

    private static Task SignInAsync(IPage page, string email, string password) => People.SignInAsync(page, email, password);

    private Task<IPage> PhoneAsync() => _people.PhoneAsync();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
