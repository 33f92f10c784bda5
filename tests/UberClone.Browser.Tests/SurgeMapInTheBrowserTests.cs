using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The driver's map shows where fares surge (GET /api/trips/surge): the squares of the surge grid whose quotes are
/// higher now, shaded and labelled with their multiplier, drawn without map tiles (the tests run offline).
/// </summary>
public sealed class SurgeMapInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Requests_with_no_driver_around_show_a_driver_the_busy_area_on_their_map_until_the_riders_cancel()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 52.2297, Lng: 21.0122); // Warsaw: no other test's riders or drivers here
        var riders = new[] { await _people.PhoneAsync(), await _people.PhoneAsync() };
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(driver, "driver", "Wiktor Waiting");
        await RideInTheBrowserTests.SignUpAsync(riders[0], "rider", "Ada Asking");
        await RideInTheBrowserTests.SignUpAsync(riders[1], "rider", "Bea Asking");
        await RideInTheBrowserTests.PricesAsync(riders[0], pickup, "52.2500, 21.0300");
        await RideInTheBrowserTests.PricesAsync(riders[1], (pickup.Lat + 0.001, pickup.Lng + 0.001), "52.2500, 21.0300");

        // Two open requests 130 m apart and no driver around: 2 requests per driver (none counts as one) surge 1.5×.
        foreach (var rider in riders)
        {
            await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
            await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        }

        // A driver goes online a kilometre away, in the same square of the grid. Dispatch may offer them one of the trips
        // at once (they do not answer it): one driver for two requests surges as much.
        await driver.GotoAsync($"/driver?start={pickup.Lat + 0.01},{pickup.Lng}");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync(new Regex("^(available|offered)$"));
        await Expect(driver.GetByTestId("surge-map")).ToHaveTextAsync("Busy areas: fares are higher there (up to 1.5×).");
        var areas = driver.GetByTestId("surge-area");
        // Squares away from the driver are off the map (not drawn); theirs is drawn, and labelled.
        await Expect(areas.Filter(new() { Visible = true }).First).ToHaveAttributeAsync("data-multiplier", "1.5");
        await Expect(driver.GetByTestId("map")).ToContainTextAsync("1.5×");
        await ShotAsync(driver, "surge-map");

        // The riders cancel: nobody waits there any more, and the map's next reading (every 30 s) shows no busy area.
        foreach (var rider in riders)
        {
            await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
            await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel" }).ClickAsync();
            await Expect(rider.GetByText("Trip cancelled at no charge.")).ToBeVisibleAsync();
        }
        await Expect(driver.GetByTestId("surge-map")).ToHaveCountAsync(0);
        await Expect(areas).ToHaveCountAsync(0);
        await ShotAsync(driver, "surge-map-calm");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
