using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Paying in cash (ADR 0042) through the web app, in Munich: a rider without a card chooses "Pay in cash to the driver"
/// under the prices (the local default prices take cash), the nearest driver, who unticked "Accept cash rides", is passed
/// over for one who accepts cash, whose offer and trip card say "Cash"; when the ride ends the driver's app says "Collect
/// … in cash", the rider's "Pay … in cash to your driver", and the ride is paid in cash with no checkout.
/// </summary>
public sealed class CashInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_without_a_card_pays_in_cash_to_the_driver_who_accepts_cash_not_the_nearest()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 48.1374, Lng: 11.5755); // Munich, Marienplatz: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var noCash = await _people.PhoneAsync();
        var takesCash = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(noCash, "Max Weiss", (pickup.Lat + 0.00045, pickup.Lng));
        await RideInTheBrowserTests.DriverOnlineAsync(takesCash, "Anna Bauer", (pickup.Lat + 0.0018, pickup.Lng));
        // On by default; unticked once the drivers service stored it, and kept on the driver's record.
        await Expect(takesCash.GetByTestId("cash-accept-toggle")).ToBeCheckedAsync();
        await noCash.GetByTestId("cash-accept-toggle").ClickAsync();
        await Expect(noCash.GetByTestId("cash-accept-toggle")).Not.ToBeCheckedAsync();
        await noCash.ReloadAsync();
        await Expect(noCash.GetByTestId("cash-accept-toggle")).Not.ToBeCheckedAsync();
        await ShotAsync(noCash, "driver-takes-no-cash");
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Lena Huber");

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "48.1500, 11.5600");
        await Expect(rider.GetByTestId("cash-choice")).ToHaveTextAsync("Pay in cash to the driver");
        var price = RideInTheBrowserTests.Cents((await rider.GetByTestId("price-economy").TextContentAsync())!);
        var shownPrice = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await rider.GetByTestId("cash-checkbox").CheckAsync();
        await ShotAsync(rider, "rider-pays-in-cash");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("cash-trip")).ToHaveTextAsync("Cash you pay the driver when the ride ends");

        // The driver 200 m away who accepts cash is offered it; the one 50 m away, who does not, is not.
        await Expect(takesCash.GetByTestId("cash-offer")).ToHaveTextAsync("Cash");
        await ShotAsync(takesCash, "driver-offer-in-cash");
        await Expect(noCash.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(noCash.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);
        await takesCash.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(takesCash.GetByTestId("cash-driver-trip")).ToHaveTextAsync("Cash the rider pays you in cash");

        await Expect(takesCash.GetByText(new System.Text.RegularExpressions.Regex(@": [0-9]{1,2} m away\.$"))).ToBeVisibleAsync();
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, takesCash);
        await takesCash.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();

        await Expect(takesCash.GetByTestId("cash-collect")).ToHaveTextAsync($"Collect {shownPrice} in cash");
        await ShotAsync(takesCash, "driver-collect-in-cash");
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("cash-pay-driver")).ToHaveTextAsync($"Pay {shownPrice} in cash to your driver");
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid in cash");
        Assert.Equal(price, RideInTheBrowserTests.Cents((await rider.GetByTestId("fare-total").TextContentAsync())!));
        await ShotAsync(rider, "rider-paid-in-cash");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"cash-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
