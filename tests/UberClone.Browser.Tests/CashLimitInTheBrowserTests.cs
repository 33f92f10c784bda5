using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The cash balance limit (ADR 0042) through the web app, in Nice: the fixture lets a driver owe $2.00 from cash rides, so
/// one cash ride passes it. When that ride ends the driver's app says cash rides are paused, how much they owe and the
/// limit, on the payouts card and under "Accept cash rides" (which stays ticked, as they left it).
/// </summary>
public sealed class CashLimitInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_whose_cash_ride_takes_them_past_the_limit_is_told_cash_rides_are_paused_and_why()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 43.6961, Lng: 7.2718); // Nice, Place Masséna: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Camille Roux", (pickup.Lat + 0.00045, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Lucas Blanc");
        await Expect(driver.GetByTestId("cashcap-paused")).ToHaveCountAsync(0);

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "43.7100, 7.2620");
        await rider.GetByTestId("cash-checkbox").CheckAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(driver.GetByTestId("cash-offer")).ToHaveTextAsync("Cash");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid in cash");

        // What the driver owes is the fare less what they earn from it: their app says it is past the $2.00 limit.
        var paused = new System.Text.RegularExpressions.Regex(
            @"^Cash rides paused: you owe \$[0-9]+\.[0-9]{2} from cash rides \(limit \$2\.00\)\. They resume when your card-ride earnings cover it\.$");
        await Expect(driver.GetByTestId("cashcap-paused")).ToHaveTextAsync(paused);
        await Expect(driver.GetByTestId("cashcap-driver-paused")).ToHaveTextAsync(paused);
        await Expect(driver.GetByTestId("cash-accept-toggle")).ToBeCheckedAsync();
        var owed = RideInTheBrowserTests.Cents((await driver.GetByTestId("cashcap-paused").TextContentAsync())!.Split("you owe ")[1].Split(' ')[0]);
        Assert.True(owed > WebStackFixture.CashOwedLimitMinor, $"owes {owed}");
        await ShotAsync(driver, "driver-cash-rides-paused");

        // Still so after a reload: read from the driver's record and their payouts, not only from the moment it happened.
        await driver.ReloadAsync();
        await Expect(driver.GetByTestId("cashcap-driver-paused")).ToHaveTextAsync(paused);
        await Expect(driver.GetByTestId("cashcap-paused")).ToHaveTextAsync(paused);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"cashcap-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
