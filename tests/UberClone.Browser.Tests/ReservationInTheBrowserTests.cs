using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Uber Reserve (ADR 0047) through the web app: a rider books a ride for later, a driver nearby sees it under "Rides for
/// later near you" with what they would earn and reserves it, the rider's booked-for-later card names the driver at once,
/// and when the driver releases it the card says a driver will be found again.
/// </summary>
public sealed class ReservationInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_reserves_a_ride_for_later_the_rider_sees_who_comes_and_the_driver_releases_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 47.8095, Lng: 13.0550); // Salzburg: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Sara Reserve");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{pickup.Lat}, {pickup.Lng}");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("47.7950, 13.0300");
        await People.ChooseLaterAsync(rider);
        // Three hours from now: the driver may release it until an hour before.
        var suggested = await rider.GetByLabel("Pickup time").InputValueAsync();
        var pickupTime = DateTime.ParseExact(suggested, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture).AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await rider.GetByLabel("Pickup time").FillAsync(pickupTime);
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        var booked = rider.GetByTestId("scheduled-ride");
        await Expect(booked).ToContainTextAsync("We'll find you a driver.");

        // A driver nearby sees it, the area and what they would earn, and reserves it.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Rudi Reserve", (pickup.Lat + 0.005, pickup.Lng));
        var listed = driver.GetByTestId("reserve-ride");
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.GetByTestId("reserve-ride-time")).ToHaveTextAsync(await RideInTheBrowserTests.ShownPickupTimeAsync(driver, pickupTime));
        await Expect(listed.GetByTestId("reserve-ride-earnings")).ToContainTextAsync("You earn");
        await ShotAsync(driver, "driver-rides-for-later");
        await listed.GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Reserved");
        await Expect(driver.GetByTestId("reserve-mine-ride")).ToHaveCountAsync(1);
        await Expect(driver.GetByTestId("reserve-ride")).ToHaveCountAsync(0);

        // The rider's card names the driver at once, without a reload.
        await Expect(booked.GetByTestId("reserve-rider-driver")).ToContainTextAsync("Rudi");
        await Expect(booked.GetByTestId("reserve-rider-driver")).ToContainTextAsync("will pick you up at");
        await ShotAsync(rider, "rider-driver-reserved");

        // Released: the ride is open again, and the rider's card says a driver will be found.
        await driver.GetByTestId("reserve-release").ClickAsync();
        await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Released");
        await Expect(driver.GetByTestId("reserve-ride")).ToHaveCountAsync(1);
        await Expect(booked.GetByTestId("reserve-rider-driver")).ToHaveCountAsync(0);
        await Expect(booked).ToContainTextAsync("We'll find you a driver.");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"reservation-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
