using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// "Verify my rides with a PIN" (ADR 0044) through the web app, in Florence: a rider's setting is "Always" until they
/// choose; with "Off" the ride has no PIN, the driver's card asks for none and "Start trip" starts it; another rider's
/// ride (always, as they never chose) shows them their PIN, the same driver's card says "Ask the rider for their PIN"
/// with the 4-digit field, and support's trip page says "PIN verified" once it started, never the PIN.
/// </summary>
public sealed class PinVerificationInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_who_turned_the_pin_off_is_started_without_one_and_a_rider_who_never_chose_tells_the_driver_their_pin()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 43.7731, Lng: 11.2560); // Florence, Piazza del Duomo: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Dario Fontana", "Chiara Rossi");

        await ChooseAsync(rider, "off");
        await ShotAsync(rider, "rider-pin-off");
        await rider.GetByTestId("account-back").ClickAsync();

        // Off: no PIN for the rider, none asked of the driver.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "43.7696, 11.2558");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await Expect(rider.GetByText("Your driver has arrived.")).ToBeVisibleAsync();
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" })).ToBeVisibleAsync();
        await Expect(driver.GetByTestId("pin-ask-rider")).ToHaveCountAsync(0);
        await Expect(driver.GetByTestId("pin-driver-field")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("pin")).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-starts-without-a-pin");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
        await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();

        // Another rider, who never chose (always): their ride has a PIN, which the same driver asks them for.
        var other = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(other, "rider", "Lorenzo Bianchi");
        await RideInTheBrowserTests.PricesAsync(other, pickup, "43.7696, 11.2558");
        var booked = await other.RunAndWaitForResponseAsync(
            () => other.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(other.GetByTestId("pin")).ToHaveTextAsync(new Regex("^[0-9]{4}$"));
        var pin = (await other.GetByTestId("pin").TextContentAsync())!.Trim();
        await ShotAsync(other, "rider-pin-to-tell-the-driver");
        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await Expect(driver.GetByTestId("pin-ask-rider")).ToHaveTextAsync("Ask the rider for their PIN");
        await Expect(driver.GetByText(pin, new() { Exact = true })).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-asks-for-the-pin");
        await driver.GetByTestId("pin-driver-field").FillAsync(pin);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
        await Expect(other.GetByText("On the way to your destination.")).ToBeVisibleAsync();

        // Support's trip page: verified, never the PIN itself.
        var desk = await _people.DeskOnTheTripAsync(tripId);
        await Expect(desk.GetByTestId("pin-ops-status")).ToHaveTextAsync("PIN verified");
        await Expect(desk.GetByText(pin, new() { Exact = true })).ToHaveCountAsync(0);
        await ShotAsync(desk, "desk-pin-verified");
    }

    /// <summary>Account settings → "Verify my rides with a PIN": "Always" until chosen, then the choice, kept after a reload.</summary>
    private static async Task ChooseAsync(IPage rider, string mode)
    {
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        var section = rider.GetByTestId("pin-verification");
        await Expect(section.GetByTestId("pin-mode-always")).ToBeCheckedAsync();
        await rider.RunAndWaitForResponseAsync(
            () => section.GetByTestId($"pin-mode-{mode}").CheckAsync(),
            response => response.Request.Method == "PUT" && response.Url.EndsWith("/api/trips/pin-verification", StringComparison.Ordinal) && response.Status == 200);
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("pin-verification").GetByTestId($"pin-mode-{mode}")).ToBeCheckedAsync();
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"pin-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
