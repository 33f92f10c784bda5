using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Stops on the way (ADR 0023) through the web app: the rider adds a stop to the booking form and is priced through it,
/// the driver is offered the ride with it, drives there first and says so, the rider's app shows it reached at once, and
/// the receipt keeps it.
/// </summary>
public sealed class StopsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_rides_through_a_stop_the_driver_reaches_on_the_way_and_sees_it_reached_live_and_on_the_receipt()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 47.3769, Lng: 8.5417); // Zurich: no other test's drivers here
        const string dropoff = "47.4000, 8.5700"; // about 3 km north-east
        // About 220 m south-east of the pickup, away from the straight way to the drop-off: a car that drove toward the
        // drop-off would never come within 100 m of it.
        const string stop = "47.3754, 8.5437", stopShown = "47.37540, 8.54370";
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Stella Stops", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Sami Stops");

        // Straight there first, then through a stop: the way is longer, and so is the price.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, dropoff);
        var direct = Amount(await rider.GetByTestId("price-economy").TextContentAsync());
        await rider.GetByRole(AriaRole.Button, new() { Name = "Add a stop" }).ClickAsync();
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToHaveCountAsync(0); // priced for another route
        await rider.GetByLabel("Stop 1").FillAsync(stop);
        await Expect(rider.Locator(".map-badge")).ToHaveTextAsync("1"); // the stop's numbered marker
        await RideInTheBrowserTests.SeePricesAsync(rider);
        await Expect(rider.GetByTestId("quote-route")).ToContainTextAsync("through 1 stop");
        var throughTheStop = Amount(await rider.GetByTestId("price-economy").TextContentAsync());
        Assert.True(throughTheStop > direct, $"{throughTheStop} through the stop is not more than {direct} straight there");
        // A second stop, removed again: the route is the one priced, and its prices are back.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Add a stop" }).ClickAsync();
        await Expect(rider.GetByLabel("Stop 2")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToHaveCountAsync(0);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Remove stop 2" }).ClickAsync();
        await Expect(rider.GetByLabel("Stop 2")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("price-economy")).ToHaveTextAsync(Money(throughTheStop));
        await ShotAsync(rider, "rider-prices-through-a-stop");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        // The driver is told of the stop before accepting.
        await Expect(driver.GetByTestId("offer-stops")).ToHaveTextAsync("1 stop on the way");
        await ShotAsync(driver, "driver-offer-with-a-stop");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await Expect(rider.GetByTestId("trip-stop-1")).ToContainTextAsync($"Stop 1 · {stopShown} · next");
        await Expect(driver.GetByTestId("next-stop")).ToContainTextAsync($"Next: stop 1 · {stopShown}");

        // Too far from the stop yet: the trips service says how far, and nothing changes.
        await driver.GetByTestId("reach-stop").ClickAsync();
        await Expect(driver.GetByText(new Regex(@"^You are [0-9]+ m from stop 1; reach it within 100 m\.$"))).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("trip-stop-1")).Not.ToContainTextAsync("reached");

        // The simulated car drives to the stop first (about 45 s at city speed) and waits there.
        await Expect(driver.GetByTestId("next-stop")).ToContainTextAsync("· 0 m away.", new() { Timeout = 150_000 });
        await Expect(driver.GetByTestId("reach-stop")).ToHaveTextAsync("Reached stop 1");
        await driver.GetByTestId("reach-stop").ClickAsync();
        await Expect(driver.GetByTestId("trip-stop-1")).ToContainTextAsync("reached");
        await Expect(driver.GetByTestId("next-stop")).ToHaveCountAsync(0);
        await Expect(driver.GetByText("Drive to the drop-off:")).ToBeVisibleAsync();
        // The rider's app is told on its socket (trip.stop_reached), without a reload.
        await Expect(rider.GetByTestId("trip-stop-1")).ToContainTextAsync(new Regex(@"✓ reached [0-9]{1,2}:[0-9]{2}"));
        await ShotAsync(rider, "rider-stop-reached");
        await ShotAsync(driver, "driver-stop-reached");

        // Someone following the shared trip sees the stop, reached, on the way to the drop-off.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Share trip status" }).ClickAsync();
        var follower = await _people.PhoneAsync();
        await follower.GotoAsync(await rider.GetByLabel("Share link").InputValueAsync());
        await Expect(follower.GetByTestId("shared-stops")).ToHaveTextAsync("Stop 1 ✓");

        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Region, new() { Name = "Your trip" }).GetByTestId("trip-stop-1")).ToContainTextAsync("reached");

        // The receipt keeps the stop, and offers the route again with it.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new Regex("· completed$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        await Expect(receipt.GetByTestId("trip-stop-1")).ToContainTextAsync($"Stop 1 · {stopShown} · ✓ reached");
        await ShotAsync(rider, "rider-receipt-with-a-stop");
        await receipt.GetByRole(AriaRole.Button, new() { Name = "This route again" }).ClickAsync();
        await Expect(rider.GetByLabel("Stop 1")).ToHaveValueAsync(stopShown);
        await Expect(rider.GetByLabel("Drop-off (lat, lng)")).ToHaveValueAsync("47.40000, 8.57000");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    /// <summary>A price as the web app shows it ("$12.24").</summary>
    private static decimal Amount(string? shown) => decimal.Parse(shown!.Trim().TrimStart('$'), CultureInfo.InvariantCulture);

    private static string Money(decimal amount) => "$" + amount.ToString("0.00", CultureInfo.InvariantCulture);

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
