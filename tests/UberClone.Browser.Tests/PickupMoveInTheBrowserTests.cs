using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Moving the pickup (ADR 0046) through the web app: while the driver is on the way the rider moves the pickup across
/// the road (a spot too far is refused saying why), the driver's screen is told without a reload, and the ride starts
/// at the new spot.
/// </summary>
public sealed class PickupMoveInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_moves_the_pickup_across_the_road_while_the_driver_comes_and_is_picked_up_there()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 44.4949, Lng: 11.3426); // Bologna: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Dario Moves", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rita Moves");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "44.5050, 11.3600");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("move-pickup")).ToBeVisibleAsync();

        // A spot a kilometre away is another ride: refused, saying how far it may move.
        await rider.GetByTestId("move-pickup").ClickAsync();
        await rider.GetByLabel("New pickup (lat, lng)").FillAsync($"{pickup.Lat + 0.009}, {pickup.Lng}");
        await rider.GetByTestId("move-pickup-confirm").ClickAsync();
        await Expect(rider.GetByTestId("move-pickup-refused")).ToContainTextAsync("from the pickup you booked; it can move at most 400 m");
        await ShotAsync(rider, "rider-pickup-too-far");

        // Across the road, 50 m north: moved; the driver's screen is told at once.
        await rider.GetByLabel("New pickup (lat, lng)").FillAsync($"{pickup.Lat + 0.00045}, {pickup.Lng}");
        await rider.GetByTestId("move-pickup-confirm").ClickAsync();
        await Expect(rider.GetByTestId("move-pickup-form")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("move-pickup-moved")).ToHaveTextAsync("Moved once from where you booked it.");
        await Expect(driver.GetByText("The rider moved the pickup: head to the new spot on the map.")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-pickup-moved");
        await ShotAsync(driver, "driver-told-of-the-new-pickup");

        // The driver arrives at the new spot and the ride starts; the pickup no longer moves.
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, driver);
        await Expect(rider.GetByTestId("move-pickup")).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"pickup-move-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
