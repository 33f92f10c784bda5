using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// An airport queue through the web app (ADR 0036): a driver waiting in the airport's lot sees their place on the status
/// card (again after a reload), support sees it on the driver's card, and the airport's pickup is offered to them; the
/// trip being short, completing it tells them how long their place is kept for them.
/// </summary>
public sealed class AirportQueueInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_waiting_in_the_airport_lot_sees_their_place_in_the_queue_and_gets_the_airport_pickup()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var kerb = WebStackFixture.AirportKerb; // Valencia: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Vicente Cola", WebStackFixture.AirportLot);

        // The first position from the lot puts them in the queue; the card says so without a reload.
        var queue = driver.GetByTestId("airport-queue");
        await Expect(queue).ToHaveTextAsync("VLC Airport queue: 1st of 1");
        await ShotAsync(driver, "driver-airport-queue");
        var me = await driver.RunAndWaitForResponseAsync(
            () => driver.ReloadAsync(),
            response => response.Request.Method == "GET" && response.Url.EndsWith("/api/drivers/me", StringComparison.Ordinal));
        var driverId = (await me.JsonAsync())!.Value.GetProperty("driverId").GetString();
        await Expect(queue).ToHaveTextAsync("VLC Airport queue: 1st of 1");

        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?user={driverId}");
        await Expect(desk.GetByTestId("ops-driver-queue")).ToContainTextAsync("VLC Airport: 1st of 1 (waiting since");

        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Valeria Vuelo");
        await RideInTheBrowserTests.PricesAsync(rider, kerb, "39.4699, -0.3763");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-airport-offer");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Vicente Cola");
        // On the trip: out of the queue.
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("on_trip");
        await Expect(queue).ToHaveCountAsync(0);

        // A short trip from the queue: once it is completed, the card says by when to come back to keep the place.
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(queue).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Short trip: come back to VLC Airport's lot by .+ to keep your place in line$"));
        await ShotAsync(driver, "driver-airport-short-trip");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"airport-queue-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
