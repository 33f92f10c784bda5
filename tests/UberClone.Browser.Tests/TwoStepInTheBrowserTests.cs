using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static UberClone.Browser.Tests.People;

namespace UberClone.Browser.Tests;

/// <summary>
/// 2-step verification (ADR 0052) through the web app, in Kaunas: a rider turns it on under Account settings (the
/// password, the key for the authenticator app, the app's first code; ten recovery codes shown once), and from then on
/// signing in asks for the app's code after the password — a wrong one says so, the right one signs in. The rider loses
/// the phone: support, on the caller's card, turns it off saying how they checked while the rider's sign-in waits for a
/// code, which then goes back to the password saying so, and the password alone signs in again.
/// In Tartu a rider has their browser remembered at sign-in (the password alone signs in there for 30 days), makes new
/// recovery codes, forgets the browser, and signs in with one of the new codes.
/// </summary>
public sealed class TwoStepInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = TestTimeout)]
    public async Task A_rider_in_Kaunas_turns_on_2_step_verification_signs_in_with_the_apps_code_and_support_turns_it_off_for_a_lost_phone()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await _people.PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Kazys Kaunas");
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        var section = rider.GetByTestId("two-step-section");
        await Expect(section.GetByTestId("two-step-status")).ToHaveTextAsync("Off");

        await section.GetByTestId("two-step-turn-on").ClickAsync();
        await section.GetByTestId("two-step-password").FillAsync("not my password");
        await section.GetByTestId("two-step-continue").ClickAsync();
        await Expect(section.GetByTestId("two-step-error")).ToContainTextAsync("The password is wrong.");
        await section.GetByTestId("two-step-password").FillAsync(SignUpPassword);
        await section.GetByTestId("two-step-continue").ClickAsync();
        var secret = (await section.GetByTestId("two-step-secret").TextContentAsync())!.Trim();
        Assert.Matches("^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$", secret);
        Assert.StartsWith("otpauth://totp/UberClone:", await section.GetByTestId("two-step-link").GetAttributeAsync("href"));
        await ShotAsync(rider, "two-step-key");
        // What the authenticator app shows now.
        await section.GetByTestId("two-step-setup-code").FillAsync(Code(secret));
        await section.GetByTestId("two-step-enable").ClickAsync();
        await Expect(section.GetByTestId("two-step-recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await Expect(section.GetByTestId("two-step-status")).ToContainTextAsync("10 recovery codes left");
        await ShotAsync(rider, "two-step-on");
        await stack.Mailbox.WaitForAsync(email, m => m.Subject == "2-step verification is on for your UberClone account");

        // Signed out, the password alone is not enough.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(rider, email, SignUpPassword);
        var code = rider.GetByTestId("two-step-code");
        await Expect(code).ToBeVisibleAsync();
        Assert.Equal("/", new Uri(rider.Url).AbsolutePath);
        await code.FillAsync(Code(secret, stepsAhead: 5)); // not the app's code now
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Expect(rider.GetByTestId("two-step-error")).ToContainTextAsync("4 tries left");
        await ShotAsync(rider, "two-step-wrong-code");
        await code.FillAsync(Code(secret, stepsAhead: 1)); // the app's next code: the one that turned it on is spent
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));

        // The phone is lost: the rider, at the code step with no code to type, calls support.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(rider, email, SignUpPassword);
        await Expect(code).ToBeVisibleAsync();

        // Support checks who is calling and turns it off from the caller's card.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var user = desk.GetByTestId("ops-user");
        await Expect(user.GetByTestId("ops-user-two-step")).ToContainTextAsync("On since");
        await Expect(user.GetByTestId("ops-user-two-step")).ToContainTextAsync("10 recovery codes left");
        await user.GetByTestId("ops-two-step-reason").FillAsync("lost phone; checked the last two rides with the caller");
        await user.GetByTestId("ops-two-step-off").ClickAsync();
        await Expect(user.GetByTestId("ops-user-two-step")).ToHaveTextAsync("Off");
        // The caller's trail says what support did, in words, and why.
        await Expect(desk.GetByTestId("ops-actions").GetByTestId("ops-action-row").Filter(new() { HasText = "Turned off the account's 2-step verification by you" }))
            .ToContainTextAsync("lost phone; checked the last two rides with the caller");
        await ShotAsync(desk, "desk-two-step-off");
        var mail = await stack.Mailbox.WaitForAsync(email, m => m.Subject == "2-step verification is off for your UberClone account");
        Assert.Contains("lost phone; checked the last two rides with the caller", mail.Text.ReplaceLineEndings(" "));

        // The code step left open cannot be finished now: it goes back to the password, saying why, and the password alone signs in.
        await code.FillAsync("123456");
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Expect(rider.GetByText("2-step verification was turned off for this account; sign in with your password.")).ToBeVisibleAsync();
        await Expect(code).ToHaveCountAsync(0);
        await ShotAsync(rider, "two-step-turned-off-meanwhile");
        await SignInAsync(rider, email, SignUpPassword);
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
    }

    [Fact(Timeout = TestTimeout)]
    public async Task A_rider_in_Tartu_is_not_asked_for_the_code_again_on_a_remembered_browser_and_makes_new_recovery_codes()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await _people.PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Tiit Tartu");
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        var section = rider.GetByTestId("two-step-section");
        await section.GetByTestId("two-step-turn-on").ClickAsync();
        await section.GetByTestId("two-step-password").FillAsync(SignUpPassword);
        await section.GetByTestId("two-step-continue").ClickAsync();
        var secret = (await section.GetByTestId("two-step-secret").TextContentAsync())!.Trim();
        await section.GetByTestId("two-step-setup-code").FillAsync(Code(secret));
        await section.GetByTestId("two-step-enable").ClickAsync();
        await Expect(section.GetByTestId("two-step-recovery-codes").Locator("li")).ToHaveCountAsync(10);
        var firstCodes = await section.GetByTestId("two-step-recovery-codes").Locator("li").AllTextContentsAsync();

        // Signed out, then in with "Don't ask again on this browser" ticked.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(rider, email, SignUpPassword);
        await rider.GetByTestId("two-step-code").FillAsync(Code(secret, stepsAhead: 1));
        await rider.GetByTestId("two-step-remember").CheckAsync();
        // How long is the gateway's (rememberDays in the challenge, TwoStep:TrustedDeviceDays: the AppHost leaves it at 30).
        await Expect(rider.GetByTestId("two-step-form")).ToContainTextAsync("Don't ask again on this browser for 30 days");
        await ShotAsync(rider, "two-step-remember");
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));

        // On this browser the password alone signs in now: no code is asked.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(rider, email, SignUpPassword);
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(rider.GetByTestId("two-step-code")).ToHaveCountAsync(0);

        // New recovery codes: the password and a code (one of the old recovery codes here); shown once, the old ones dead.
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Expect(section.GetByTestId("two-step-remembered")).ToContainTextAsync("1 browser skips the code (remembered at sign-in for 30 days).");
        await section.GetByTestId("two-step-new-codes").ClickAsync();
        await section.GetByTestId("two-step-codes-password").FillAsync(SignUpPassword);
        await section.GetByTestId("two-step-codes-code").FillAsync(firstCodes[0]);
        await section.GetByTestId("two-step-codes-make").ClickAsync();
        await Expect(section.GetByTestId("two-step-recovery")).ToContainTextAsync("Your new recovery codes");
        await Expect(section.GetByTestId("two-step-recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await Expect(section.GetByTestId("two-step-recovery-copy")).ToBeVisibleAsync();
        await Expect(section.GetByTestId("two-step-status")).ToContainTextAsync("10 recovery codes left");
        var newCodes = await section.GetByTestId("two-step-recovery-codes").Locator("li").AllTextContentsAsync();
        Assert.Empty(newCodes.Intersect(firstCodes));
        await ShotAsync(rider, "two-step-new-codes");
        await stack.Mailbox.WaitForAsync(email, m => m.Subject == "New recovery codes were made for your account");

        // The browser forgotten, the next sign-in asks for a code again: an old recovery code is refused, a new one signs in.
        await section.GetByTestId("two-step-forget-browsers").ClickAsync();
        await Expect(section.GetByTestId("two-step-remembered")).ToHaveTextAsync("Every browser asks for the code.");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await SignInAsync(rider, email, SignUpPassword);
        var code = rider.GetByTestId("two-step-code");
        await code.FillAsync(firstCodes[1]);
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Expect(rider.GetByTestId("two-step-error")).ToContainTextAsync("4 tries left");
        await code.FillAsync(newCodes[0]);
        await rider.GetByTestId("two-step-submit").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
    }

    /// <summary>
    /// What an authenticator app shows for <paramref name="secret"/> (RFC 6238: HMAC-SHA1 of the 30-second step, six
    /// digits), <paramref name="stepsAhead"/> steps from now; written here apart from the gateway's, as an app is.
    /// </summary>
    private static string Code(string secret, int stepsAhead = 0)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var key = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in secret.Replace(" ", ""))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            if ((bits += 5) >= 8) key.Add((byte)(buffer >> (bits -= 8)));
        }
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 + stepsAhead);
        var hash = HMACSHA1.HashData(key.ToArray(), counter);
        var offset = hash[^1] & 0x0f;
        return ((BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000).ToString("D6");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
