using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Place fees (ADR 0037) through the web app, in Geneva with its airport's fee: the prices of a ride to the airport say
/// which fee they include, the rider's receipt lists it as a line of its own, and the driver's receipt takes it off what
/// the rider paid before the service fee, like the booking fee.
/// </summary>
public sealed class PlaceFeeInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_ride_to_the_airport_shows_its_fee_on_the_prices_and_the_receipt_and_the_driver_does_not_earn_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 46.2100, Lng: 6.1426); // Geneva's main station: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Gaston Genève", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Greta Gruber");

        // In town: no fee. To the airport: each class says the fee its price includes.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "46.2000, 6.1500");
        await Expect(rider.GetByTestId("place-fee-economy")).ToHaveCountAsync(0);
        await RideInTheBrowserTests.PricesAsync(rider, pickup, $"{WebStackFixture.GenevaAirport.Lat}, {WebStackFixture.GenevaAirport.Lng}");
        await Expect(rider.GetByTestId("place-fee-economy")).ToHaveTextAsync("Includes GVA Airport fee $4.00");
        await Expect(rider.GetByTestId("place-fee-comfort")).ToHaveTextAsync("Includes GVA Airport fee $4.00");
        await ShotAsync(rider, "rider-prices-with-airport-fee");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("fare-total")).ToHaveTextAsync(price);
        await Expect(rider.GetByTestId("place-fee-line-0")).ToHaveTextAsync("GVA Airport fee$4.00");
        await Expect(driver.GetByTestId("place-fee-passed-on")).ToContainTextAsync("of which $4.00 place fees, passed on");

        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");

        // The receipt in the rider's history lists the fee on its own line.
        var receipt = await RideInTheBrowserTests.OpenReceiptAsync(rider, "completed");
        await Expect(receipt.GetByTestId("place-fee-line-0")).ToHaveTextAsync("GVA Airport fee$4.00");
        await Expect(receipt.GetByTestId("fare-total")).ToHaveTextAsync(price);
        await ShotAsync(rider, "rider-receipt-with-airport-fee");

        // The driver's receipt: the fee comes off what the rider paid, and the service fee is a share of what is left.
        var driverReceipt = await RideInTheBrowserTests.OpenReceiptAsync(driver, "completed");
        await Expect(driverReceipt.GetByTestId("earnings-place-fees")).ToHaveTextAsync("Place fees (passed on, e.g. an airport's)−$4.00");
        var rows = driverReceipt.GetByTestId("earnings-breakdown").Locator("tr");
        var cells = await Task.WhenAll(Enumerable.Range(0, await rows.CountAsync()).Select(i => rows.Nth(i).Locator("td").Last.TextContentAsync()));
        var cents = cells.Select(c => RideInTheBrowserTests.Cents(c!)).ToArray();
        Assert.Equal(5, cents.Length); // rider pays, booking fee, place fees, service fee (25 %), earned
        Assert.Equal((RideInTheBrowserTests.Cents(price), 400L), (cents[0], cents[2]));
        Assert.Equal((long)Math.Round((cents[0] - cents[1] - cents[2]) * 0.25, MidpointRounding.AwayFromZero), cents[3]);
        Assert.Equal(cents[0] - cents[1] - cents[2] - cents[3], cents[4]);
        await ShotAsync(driver, "driver-earnings-without-airport-fee");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"place-fee-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
