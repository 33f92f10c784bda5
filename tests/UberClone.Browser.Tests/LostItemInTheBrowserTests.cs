using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A lost item (ADR 0035) through the web app: after a ride paid by card the rider reports an umbrella from the trip's
/// receipt (told the return fee), the driver's app puts it first and answers "I have it" with where and when, the
/// rider's receipt follows live, the driver marks it returned, and the rider sees the fee charged to the card. Without a
/// card, a fee the bank declined at its checkout is paid again by a new link, and support gives part of it back on the desk.
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

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_return_fee_the_bank_declined_is_paid_again_by_link_and_support_gives_part_of_it_back()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 43.2965, Lng: 5.3698); // Marseille: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Mia Mistral", "Paul Pays");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "43.2850, 5.3850");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        // No card saved: the fare is paid by link.
        var fareCheckout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await fareCheckout.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");

        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new Regex("· completed$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        var tripId = (await receipt.GetAttributeAsync("data-testid"))!["receipt-".Length..];
        await receipt.GetByTestId("lost-item-report").ClickAsync();
        await receipt.GetByLabel("What did you leave in the car?").FillAsync("Blue backpack");
        await receipt.GetByLabel("A phone number your driver may call (with the country code)").FillAsync("+33 6 12 34 56 78");
        await receipt.GetByTestId("lost-item-send").ClickAsync();
        var card = driver.GetByTestId("lost-item-driver-card");
        await card.GetByLabel("Where and when can you hand it back?").FillAsync("Vieux-Port, tomorrow 9:00");
        await card.GetByTestId("lost-item-found").ClickAsync();
        await card.GetByTestId("lost-item-returned").ClickAsync();

        // The fee's own checkout; the bank declines it there.
        var status = receipt.GetByTestId("lost-item-status");
        var feeCheckout = await rider.Context.RunAndWaitForPageAsync(() => receipt.GetByTestId("lost-item-pay-link").ClickAsync());
        await Expect(feeCheckout.GetByText("Return fee for a lost item, trip")).ToBeVisibleAsync();
        await feeCheckout.GetByRole(AriaRole.Button, new() { Name = "Decline" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Returned: the $15.00 return fee could not be charged. Save another card under Account settings, or pay it by link.");
        await ShotAsync(rider, "rider-fee-declined");

        // Paid again: a new checkout of its own, and this time it goes through.
        await receipt.GetByTestId("lost-item-pay-again").ClickAsync();
        await Expect(receipt.GetByTestId("lost-item-pay-again")).ToHaveCountAsync(0);
        var again = await rider.Context.RunAndWaitForPageAsync(() => receipt.GetByTestId("lost-item-pay-link").ClickAsync());
        await again.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await Expect(status).ToHaveTextAsync("Returned: $15.00 return fee charged.");

        // The rider says the backpack was not theirs after all: support gives $10.00 of the fee back on the desk.
        var desk = await _people.DeskOnTheTripAsync(tripId);
        await desk.GetByTestId("ops-refund-kind").SelectOptionAsync("item_return");
        await Expect(desk.GetByTestId("ops-refund")).ToContainTextAsync("Return fee paid $15.00");
        await desk.GetByTestId("ops-refund-amount").FillAsync("10.00");
        await desk.GetByTestId("ops-refund-reason").FillAsync("the backpack was not the rider's");
        await desk.GetByTestId("ops-refund-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-refund-result")).ToHaveTextAsync("Refunded $10.00");
        await ShotAsync(desk, "desk-fee-refunded");
        await Expect(status).ToHaveTextAsync("Returned: $15.00 return fee charged. $10.00 of it was refunded.");
        await Expect(driver.GetByText("Support gave back $10.00 of a lost item's return fee")).ToBeVisibleAsync();
        // Support's trip page lists the report with what was given back of its fee (not among the ride's refunds).
        await desk.ReloadAsync();
        await Expect(desk.GetByTestId("lost-item-history-1")).ToContainTextAsync("fee $15.00 (paid, $10.00 refunded)");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"lost-item-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
