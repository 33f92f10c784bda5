using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The end of a driver's shift through the web app: during a trip the driver stops new requests (they finish the trip,
/// then are offline instead of getting another), may take it back, and once the trip ends their app says they are offline.
/// </summary>
public sealed class EndOfShiftInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_who_stops_new_requests_during_a_trip_finishes_it_and_is_then_offline()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 42.6977, Lng: 23.3219); // Sofia: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Stoyan Shift", "Sia Shift");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "42.7100, 23.3400");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // On a trip there is no "Go offline": stopping new requests is what the driver can do.
        var state = driver.GetByTestId("driver-state");
        var stop = driver.GetByTestId("stop-new-requests");
        var offlineAfterTrip = driver.GetByTestId("offline-after-trip");
        await Expect(state).ToHaveTextAsync("on_trip");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" })).ToHaveCountAsync(0);
        await Expect(offlineAfterTrip).ToHaveCountAsync(0);
        await stop.ClickAsync();
        await Expect(offlineAfterTrip).ToHaveTextAsync("You'll go offline when this trip ends.");
        await Expect(stop).ToHaveCountAsync(0);
        await Expect(state).ToHaveTextAsync("on_trip"); // the ride goes on
        await ShotAsync(driver, "driver-stop-new-requests");

        // The drivers service keeps it: a reload reads it back from the driver's state.
        await driver.ReloadAsync();
        await Expect(offlineAfterTrip).ToHaveTextAsync("You'll go offline when this trip ends.");

        // The driver changes their mind, and then stops new requests again.
        await driver.GetByTestId("keep-receiving-requests").ClickAsync();
        await Expect(offlineAfterTrip).ToHaveCountAsync(0);
        await Expect(stop).ToBeVisibleAsync();
        await Expect(state).ToHaveTextAsync("on_trip");
        await stop.ClickAsync();
        await Expect(offlineAfterTrip).ToHaveTextAsync("You'll go offline when this trip ends.");

        // The trip ends: the driver is offline, told why, and may go online again.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(state).ToHaveTextAsync("offline");
        await Expect(driver.GetByText("You're offline: you stopped new requests.")).ToBeVisibleAsync();
        await Expect(offlineAfterTrip).ToHaveCountAsync(0);
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToBeEnabledAsync();
        await ShotAsync(driver, "driver-offline-after-the-trip");

        // Offline at the drivers service too, not only on this screen.
        await driver.ReloadAsync();
        await Expect(state).ToHaveTextAsync("offline");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToBeEnabledAsync();
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
