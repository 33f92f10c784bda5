using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// RideCheck (ADR 0033) through the web app: the car stands still during the ride for longer than
/// <see cref="WebStackFixture.LongStopAfter"/>, the rider's and the driver's trip screens both ask "Is everything OK?",
/// the rider taps "I'm OK" and the driver's card closes too, without a reload; support's timeline of the trip shows it.
/// A car driven away from the drop-off (the driver's phone's real location, moved by the test) is asked about likewise.
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

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_ride_driven_away_from_its_destination_asks_both_and_the_drivers_answer_closes_the_riders_card()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 45.8150, Lng: 15.9819); // Zagreb: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Ivan Detour", "Ana Detour");
        // The drop-off is about 2 km south-east.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, $"{pickup.Lat - 0.014}, {pickup.Lng + 0.016}");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // The driver's phone reports where it really is from now on, and the car heads north-west, away from the drop-off.
        await driver.Context.GrantPermissionsAsync(["geolocation"]);
        await driver.Context.SetGeolocationAsync(new() { Latitude = (float)pickup.Lat, Longitude = (float)pickup.Lng });
        await driver.GetByLabel("Simulate driving").UncheckAsync();
        var riderCard = rider.GetByRole(AriaRole.Alertdialog);
        for (var step = 1; ; step++)
        {
            await driver.Context.SetGeolocationAsync(new() { Latitude = (float)(pickup.Lat + 0.006 * step), Longitude = (float)(pickup.Lng - 0.006 * step) });
            try
            {
                await Expect(riderCard).ToBeVisibleAsync(new() { Timeout = 5_000 });
                break;
            }
            catch (PlaywrightException) when (step < 24)
            {
                // About 800 m farther each step; asked once 2 km farther than the closest the car came. The check may ask
                // up to a kept fix (10 s of phone time) late, and a loaded machine delays the phone's pings and the
                // trips service's handling more (CI63 saw nothing within 12 steps): the car keeps driving away meanwhile.
            }
        }
        await Expect(riderCard).ToContainTextAsync(new Regex(@"^Your ride is [0-9]+\.[0-9] km farther from where it's going than it was\. Is everything OK\?"));
        var driverCard = driver.GetByTestId("safety-check");
        await Expect(driverCard).ToContainTextAsync("farther from where it's going than it was");
        await ShotAsync(rider, "rider-asked-about-detour");

        // The driver answers (the rider asked for a diversion): the rider's card closes too, without a reload.
        await driverCard.GetByRole(AriaRole.Button, new() { Name = "I'm OK" }).ClickAsync();
        await Expect(driverCard).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("safety-check")).ToHaveCountAsync(0);

        var desk = await _people.DeskOnTheTripAsync(tripId);
        var timeline = desk.GetByTestId("ops-trip-timeline");
        await Expect(timeline).ToContainTextAsync(new Regex(@"RideCheck 1: [0-9]+\.[0-9] km away from its destination at "));
        await Expect(timeline).ToContainTextAsync("RideCheck 1: the driver answered \u201cI\u2019m OK\u201d");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" })).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"ride-check-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
