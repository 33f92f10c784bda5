using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Ride preferences (ADR 0049) through the web app, in Graz: the rider asks for help with bags and a cooler car under
/// Account settings → "Ride preferences"; the driver's offer and trip card say so; in the middle of the ride the rider
/// turns on "Quiet ride" and the driver's card says "Quiet ride preferred" without a reload; support's trip page shows them.
/// </summary>
public sealed class RidePreferencesInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task The_driver_sees_the_riders_preferences_on_the_offer_and_hears_of_a_quiet_ride_asked_for_mid_ride()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 47.0707, Lng: 15.4395); // Graz, Hauptplatz: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Dominik Huber", "Lena Gruber");

        // Account settings → Ride preferences: no preference until chosen; each choice is saved at once and kept.
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        var section = rider.GetByTestId("prefs-settings");
        await Expect(section.GetByTestId("prefs-conversation-none")).ToBeCheckedAsync();
        await Expect(section.GetByTestId("prefs-help-with-bags")).Not.ToBeCheckedAsync();
        await SavedAsync(rider, () => section.GetByTestId("prefs-help-with-bags").CheckAsync());
        await SavedAsync(rider, () => section.GetByTestId("prefs-temperature-cooler").CheckAsync());
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("prefs-settings").GetByTestId("prefs-help-with-bags")).ToBeCheckedAsync();
        await Expect(rider.GetByTestId("prefs-settings").GetByTestId("prefs-temperature-cooler")).ToBeCheckedAsync();
        await ShotAsync(rider, "rider-ride-preferences");
        await rider.GetByTestId("account-back").ClickAsync();

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "47.0600, 15.4600");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;

        // The offer says what the rider wishes before the driver accepts; it is not a condition of taking it.
        await Expect(driver.GetByTestId("prefs-offer-item")).ToHaveTextAsync(["Help with bags", "Cooler, please"]);
        await ShotAsync(driver, "driver-offer-with-preferences");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(driver.GetByTestId("prefs-driver-trip-item")).ToHaveTextAsync(["Help with bags", "Cooler, please"]);
        await Expect(rider.GetByTestId("prefs-rider-labels-item")).ToHaveTextAsync(["Help with bags", "Cooler, please"]);

        // In the middle of the ride the rider wants quiet: the driver's card says so at once.
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, driver);
        await Expect(rider.GetByTestId("prefs-quiet-toggle")).Not.ToBeCheckedAsync();
        await rider.GetByTestId("prefs-quiet-toggle").CheckAsync();
        await Expect(rider.GetByTestId("prefs-quiet-toggle")).ToBeCheckedAsync();
        await Expect(driver.GetByTestId("prefs-driver-trip-item")).ToHaveTextAsync(["Quiet ride preferred", "Help with bags", "Cooler, please"]);
        await Expect(driver.GetByText("The rider prefers a quiet ride.")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-quiet-ride");
        await ShotAsync(driver, "driver-told-quiet-ride");

        var desk = await _people.DeskOnTheTripAsync(tripId);
        await Expect(desk.GetByTestId("prefs-ops-trip")).ToContainTextAsync("Quiet ride preferred · Help with bags · Cooler, please");
        await ShotAsync(desk, "desk-ride-preferences");

        // Once the ride ended there is nothing left to change.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("prefs-quiet-toggle")).ToHaveCountAsync(0);
    }

    private static Task SavedAsync(IPage rider, Func<Task> choose) =>
        rider.RunAndWaitForResponseAsync(choose,
            response => response.Request.Method == "PUT" && response.Url.EndsWith("/api/trips/ride-preferences", StringComparison.Ordinal) && response.Status == 200);

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"prefs-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
