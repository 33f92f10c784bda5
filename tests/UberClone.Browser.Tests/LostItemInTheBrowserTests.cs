using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A lost item (ADR 0035) through the web app: after a ride paid by card the rider reports an umbrella from the trip's
/// receipt (told the return fee), the driver's app puts it first and answers "I have it" with where and when, the
/// rider's receipt follows live, the driver marks it returned, and the rider sees the fee charged to the card.
/// </summary>
public sealed class LostItemInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_reports_a_lost_umbrella_the_driver_answers_and_returns_it_and_the_rider_sees_the_fee_charged()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 43.2630, Lng: -2.9350); // Bilbao: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Vera Return", "Luca Lost");
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4242 4242 4242 4242");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "43.2750, -2.9100");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");

        // From the finished ride's receipt: what was left, a phone to call, and the fee if it comes back.
        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new Regex("· completed$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        await receipt.GetByTestId("lost-item-report").ClickAsync();
        await receipt.GetByLabel("What did you leave in the car?").FillAsync("Black umbrella with a wooden handle");
        await receipt.GetByLabel("A phone number your driver may call (with the country code)").FillAsync("+34 612 345 678");
        await Expect(receipt.GetByTestId("lost-item-fee")).ToHaveTextAsync("If the driver returns it, a $15.00 return fee is charged to your card; it goes to them in full.");
        await ShotAsync(rider, "rider-reports-lost-item");
        await receipt.GetByTestId("lost-item-send").ClickAsync();
        var status = receipt.GetByTestId("lost-item-status");
        await Expect(status).ToHaveTextAsync("Waiting for the driver to answer about: Black umbrella with a wooden handle");

        // The driver's app puts it first, with the phone to call while it is open.
        var card = driver.GetByTestId("lost-item-driver-card");
        await Expect(card).ToContainTextAsync("A rider left something in your car");
        await Expect(card.GetByTestId("lost-item-what")).ToHaveTextAsync("Black umbrella with a wooden handle");
        await Expect(card.GetByTestId("lost-item-call")).ToHaveTextAsync("+34612345678");
        await Expect(card.GetByTestId("lost-item-found")).ToBeDisabledAsync(); // where and when first
        await card.GetByLabel("Where and when can you hand it back?").FillAsync("Abando station, main entrance, today 18:00");
        await ShotAsync(driver, "driver-lost-item");
        await card.GetByTestId("lost-item-found").ClickAsync();

        // The rider's receipt follows on its socket.
        await Expect(status).ToHaveTextAsync("Your driver has it: Abando station, main entrance, today 18:00 — meet them as they say. When they hand it back, $15.00 is charged.");
        await Expect(receipt.GetByTestId("lost-item-close")).ToBeVisibleAsync();

        await card.GetByTestId("lost-item-returned").ClickAsync();
        await Expect(card).ToHaveCountAsync(0); // nothing open any more
        await Expect(status).ToHaveTextAsync("Returned: $15.00 return fee charged.");
        await Expect(receipt.GetByTestId("lost-item-close")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-lost-item-returned");

        // The driver's receipt of the ride counts the fee as theirs, on its own line.
        var driverHistory = driver.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await driverHistory.GetByText(new Regex("· completed$")).First.ClickAsync();
        await Expect(driverHistory.GetByTestId("earnings-breakdown")).ToContainTextAsync("Lost item returned (all yours)+$15.00");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"lost-item-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
