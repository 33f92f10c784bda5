using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// "Where you're signed in" (ADR 0048) through the web app, in Innsbruck: a rider signed up on this browser (Chrome on
/// Linux) signs in on an iPhone too, which is mailed as a new sign-in; Account settings lists both, this one marked
/// "This device"; signing the iPhone out there sends the iPhone's app to sign-in by itself (its socket is closed and its
/// session cannot be renewed) while this browser stays; signing this device out ends here on the landing page.
/// </summary>
public sealed class SignedInSessionsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_in_Innsbruck_signs_their_iphone_out_from_the_laptop_and_then_the_laptop_itself()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var laptop = await _people.PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(laptop, "rider", "Ida Innsbruck");
        var iphone = await _people.PhoneAsync(IPhone);
        await People.SignInAsync(iphone, email, People.SignUpPassword);
        await Assertions.Expect(iphone).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(iphone.GetByTestId("connection")).ToHaveTextAsync("● live");

        var mail = await stack.Mailbox.WaitForAsync(email, m => m.Subject.StartsWith("New sign-in", StringComparison.Ordinal));
        Assert.Equal("New sign-in to your UberClone account: Safari on iPhone", mail.Subject);
        Assert.Contains("Not you? Change your password", mail.Text);

        await laptop.GetByLabel("More account options").ClickAsync();
        await laptop.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(laptop).ToHaveURLAsync(new Regex("/account$"));
        var section = laptop.GetByTestId("sessions-section");
        var rows = section.GetByTestId("sessions-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.GetByTestId("sessions-device")).ToHaveTextAsync(["Safari on iPhone", "Chrome on Linux"]);
        await Expect(rows.Nth(1).GetByTestId("sessions-this-device")).ToHaveTextAsync("This device");
        await Expect(rows.Nth(0).GetByTestId("sessions-this-device")).ToHaveCountAsync(0);
        await ShotAsync(laptop, "sessions-listed");

        // The iPhone is signed out from here: its app finds its session ended and goes to sign-in by itself.
        await rows.Nth(0).GetByTestId("sessions-sign-out").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.GetByTestId("sessions-device")).ToHaveTextAsync("Chrome on Linux");
        await Assertions.Expect(iphone).ToHaveURLAsync(new Regex(@"/\?ended=1$"));
        await ShotAsync(laptop, "sessions-iphone-signed-out");

        // This browser goes on (its list read again), until it signs itself out.
        await laptop.ReloadAsync();
        await Expect(laptop.GetByTestId("sessions-section").GetByTestId("sessions-row")).ToHaveCountAsync(1);
        await laptop.GetByTestId("sessions-section").GetByTestId("sessions-sign-out").ClickAsync();
        await Assertions.Expect(laptop).ToHaveURLAsync(new Regex(@"/$"));
        await laptop.GotoAsync("/account");
        await Assertions.Expect(laptop).ToHaveURLAsync(new Regex(@"/$"));
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
