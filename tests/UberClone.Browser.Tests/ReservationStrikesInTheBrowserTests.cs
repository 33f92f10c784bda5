using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Reservations that hold (ADR 0050) through the web app, in Linz: a driver who reserves a ride picked up in three hours
/// and releases it, twice, has released two reserved rides late; their "Rides for later" card says they cannot reserve
/// until a week later and why, and still lists the rides.
/// </summary>
public sealed class ReservationStrikesInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_who_releases_two_reserved_rides_late_is_told_they_cannot_reserve_for_a_week()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await DriverWithTwoStrikesAsync(_people, (Lat: 48.3069, Lng: 14.2858), "48.2900, 14.3000", "Lena Linz", "Lukas Linz"); // Linz: no other test's drivers here

        var paused = driver.GetByTestId("reserve-paused");
        await Expect(paused).ToContainTextAsync("You can reserve again on");
        await Expect(paused).ToContainTextAsync("you released 2 reserved rides late in 30 days");
        await Expect(driver.GetByTestId("reserve-ride")).ToHaveCountAsync(2); // still listed
        await driver.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, "reservation-strikes-01-driver-reserving-paused.png"), FullPage = true });

        await driver.GetByTestId("reserve-ride").First.GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-error")).ToContainTextAsync("You can reserve again on");
    }

    /// <summary>
    /// A rider books two rides for later from <paramref name="pickup"/> (2 and 4 hours ahead) and a driver online near it
    /// reserves and releases each, late: two strikes (ADR 0050). The driver's phone, on their "Rides for later".
    /// </summary>
    internal static async Task<IPage> DriverWithTwoStrikesAsync(People people, (double Lat, double Lng) pickup, string dropoff, string riderName, string driverName)
    {
        var rider = await people.PhoneAsync();
        var driver = await people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", riderName);
        foreach (var hoursLater in new[] { 2, 4 })
        {
            await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{pickup.Lat.ToString(CultureInfo.InvariantCulture)}, {pickup.Lng.ToString(CultureInfo.InvariantCulture)}");
            await rider.GetByLabel("Drop-off (lat, lng)").FillAsync(dropoff);
            await People.ChooseLaterAsync(rider);
            // Within 12 hours of the pickup, releasing is late.
            var suggested = await rider.GetByLabel("Pickup time").InputValueAsync();
            await rider.GetByLabel("Pickup time").FillAsync(DateTime.ParseExact(suggested, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture).AddHours(hoursLater)
                .ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
            await rider.RunAndWaitForResponseAsync(
                () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
                response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
            await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
            await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(hoursLater / 2);
        }

        await RideInTheBrowserTests.DriverOnlineAsync(driver, driverName, (pickup.Lat + 0.005, pickup.Lng));
        await Expect(driver.GetByTestId("reserve-ride")).ToHaveCountAsync(2);
        await Expect(driver.GetByTestId("reserve-paused")).ToHaveCountAsync(0);
        for (var released = 1; released <= 2; released++)
        {
            // Another ride each time: a ride released twice is one strike.
            await driver.GetByTestId("reserve-ride").Nth(released - 1).GetByTestId("reserve-button").ClickAsync();
            await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Reserved");
            await driver.GetByTestId("reserve-release").ClickAsync();
            await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Released");
        }
        return driver;
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
