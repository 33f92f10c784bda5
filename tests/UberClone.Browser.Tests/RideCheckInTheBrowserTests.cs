using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// RideCheck (ADR 0033) through the web app: the car stands still during the ride for longer than
/// <see cref="WebStackFixture.LongStopAfter"/>, the rider's and the driver's trip screens both ask "Is everything OK?",
/// the rider taps "I'm OK" and the driver's card closes too, without a reload; support's timeline of the trip shows it.
/// </summary>
public sealed class RideCheckInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_whose_ride_stopped_too_long_answers_im_ok_and_the_drivers_card_closes_too()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 44.8125, Lng: 20.4612); // Belgrade: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Dragan Check", "Jelena Check");
        // A drop-off 110 m away: the simulated car gets there and waits, never 150 m from where the ride began.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, $"{pickup.Lat + 0.001}, {pickup.Lng}");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        var asked = new LocatorAssertionsToBeVisibleOptions { Timeout = (float)(WebStackFixture.LongStopAfter * 4).TotalMilliseconds };
        var riderCard = rider.GetByRole(AriaRole.Alertdialog);
        await Expect(riderCard).ToBeVisibleAsync(asked);
        await Expect(riderCard).ToContainTextAsync(new Regex(@"^Your ride has been stopped for 1 minute\. Is everything OK\?"));
        await Expect(rider.GetByTestId("safety-check-emergency-number")).ToHaveAttributeAsync("href", "tel:112");
        var driverCard = driver.GetByTestId("safety-check");
        await Expect(driverCard).ToBeVisibleAsync(asked);
        await ShotAsync(rider, "rider-asked");

        await riderCard.GetByRole(AriaRole.Button, new() { Name = "I'm OK" }).ClickAsync();
        await Expect(rider.GetByTestId("safety-check")).ToHaveCountAsync(0);
        await Expect(driverCard).ToHaveCountAsync(0);
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" })).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-card-closed");

        var desk = await _people.DeskOnTheTripAsync(tripId);
        var timeline = desk.GetByTestId("ops-trip-timeline");
        await Expect(timeline).ToContainTextAsync("RideCheck 1: stopped 1 min at ");
        await Expect(timeline).ToContainTextAsync("RideCheck 1: the rider answered \u201cI\u2019m OK\u201d");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" })).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"ride-check-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
