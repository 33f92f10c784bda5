using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Wrong PINs lock the start (ADR 0044) in the driver's app, in Bern: five wrong PINs and "Start trip" is disabled with
/// "Too many wrong PINs — try again in N s" counting down; when the lock (Trips:PinLockout, 15 s on this stack) is over
/// the button is back and the rider's PIN starts the ride.
/// </summary>
public sealed partial class PinLockoutInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Five_wrong_pins_lock_the_start_with_the_time_left_counting_down_and_the_right_pin_starts_it_after()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 46.9480, Lng: 7.4474); // Bern, Bundesplatz: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Beat Keller", "Anna Meier");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "46.9510, 7.4380");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(new Regex("^[0-9]{4}$"));
        var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();
        var wrong = ((int.Parse(pin, CultureInfo.InvariantCulture) + 1) % 10_000).ToString("D4", CultureInfo.InvariantCulture);
        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        var start = driver.GetByTestId("pin-start");

        // Each wrong PIN is refused saying so; after each of the first four the button is still there.
        for (var i = 1; i <= 5; i++)
        {
            await driver.GetByTestId("pin-driver-field").FillAsync(wrong);
            var answer = await driver.RunAndWaitForResponseAsync(
                () => start.ClickAsync(),
                response => response.Request.Method == "POST" && response.Url.EndsWith("/start", StringComparison.Ordinal));
            Assert.Equal(400, answer.Status);
            await Expect(driver.GetByText("The PIN is wrong")).ToBeVisibleAsync();
            if (i < 5) await Expect(start).ToBeEnabledAsync();
        }

        // The fifth locks the start: disabled, with the seconds left counting down.
        var locked = driver.GetByTestId("pin-locked");
        await Expect(locked).ToHaveTextAsync(LockedText());
        await Expect(start).ToBeDisabledAsync();
        var shown = (await locked.TextContentAsync())!;
        await ShotAsync(driver, "driver-pin-locked");
        await Expect(locked).Not.ToHaveTextAsync(shown, new() { Timeout = 5_000 });
        await Expect(locked).ToHaveTextAsync(LockedText());

        // Over: the button is back, and the rider's PIN starts the ride.
        await Expect(start).ToBeEnabledAsync(new() { Timeout = (int)(WebStackFixture.PinLockout + TimeSpan.FromSeconds(15)).TotalMilliseconds });
        await Expect(locked).ToHaveCountAsync(0);
        await driver.GetByTestId("pin-driver-field").FillAsync(pin);
        await start.ClickAsync();
        await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-started-after-the-lock");
    }

    [GeneratedRegex(@"^Too many wrong PINs — try again in \d{1,2} s$")]
    private static partial Regex LockedText();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"pin-lockout-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
