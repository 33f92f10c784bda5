using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Ride credit (docs/decisions/0051) through the web app: support gives a rider who called ride credit from the desk's
/// caller card, saying why; the rider's trail keeps it, and the rider's account settings, open meanwhile, show it under
/// "Payment methods" without a reload; credit pays a whole ride first (the prices say so), the receipt shows it, and a
/// refund of it goes back to credit.
/// </summary>
public sealed class RideCreditInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_gives_a_rider_five_dollars_of_ride_credit_and_their_payment_methods_show_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        // Trieste: the rider who calls support.
        var rider = await _people.PhoneAsync();
        var riderEmail = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Tea Trieste");

        // No credit yet.
        await OpenAccountAsync(rider);
        var methods = rider.GetByRole(AriaRole.Region, new() { Name = "Payment methods" });
        await Expect(methods.GetByTestId("credit-none")).ToHaveTextAsync("No ride credit.");

        // Support finds the caller and gives them $5.00 of credit, saying why.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var credit = desk.GetByTestId("ops-user-credit");
        await Expect(credit.GetByTestId("credit-none")).ToBeVisibleAsync();
        await Expect(credit.GetByTestId("credit-give")).ToBeDisabledAsync();
        await credit.GetByTestId("credit-give-amount").FillAsync("5.00");
        await credit.GetByTestId("credit-give-reason").FillAsync("driver was 20 minutes late");
        await credit.GetByTestId("credit-give").ClickAsync();
        await Expect(credit.GetByTestId("credit-given")).ToHaveTextAsync("Gave $5.00 ride credit.");
        await Expect(credit.GetByTestId("credit-balance")).ToHaveTextAsync("Ride credit: $5.00");
        await Expect(credit.GetByTestId("credit-entry")).ToContainTextAsync("+$5.00");
        await Expect(credit.GetByTestId("credit-entry")).ToContainTextAsync("Added by support: driver was 20 minutes late");
        // The rider's trail keeps it: what, by whom, why.
        var trail = desk.GetByTestId("ops-actions").GetByTestId("ops-action-row");
        await Expect(trail.Filter(new() { HasText = "Gave $5.00 ride credit by you" })).ToHaveCountAsync(1);
        await Expect(trail.Filter(new() { HasText = "Gave $5.00 ride credit" })).ToContainTextAsync("“driver was 20 minutes late”");
        await ShotAsync(desk, "desk-gave-ride-credit");

        // The rider's payment methods show it at once, without a reload: the section follows the rider's socket.
        await Expect(methods.GetByTestId("credit-balance")).ToHaveTextAsync("Ride credit: $5.00");
        await Expect(methods.GetByTestId("credit-entry")).ToContainTextAsync("+$5.00");
        await Expect(methods.GetByTestId("credit-entry")).ToContainTextAsync("Added by support: driver was 20 minutes late");
        await ShotAsync(rider, "rider-ride-credit");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Ride_credit_pays_a_whole_ride_the_receipt_says_so_and_a_refund_goes_back_to_credit()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        // Pula: a rider without a card whom support gave $50.00 of credit takes a ride it pays all of.
        var pickup = (Lat: 44.8666, Lng: 13.8496);
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Ivo Pulić", (pickup.Lat + 0.00054, pickup.Lng));
        var riderEmail = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Mia Pula");
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var credit = desk.GetByTestId("ops-user-credit");
        await credit.GetByTestId("credit-give-amount").FillAsync("50.00");
        await credit.GetByTestId("credit-give-reason").FillAsync("three cancelled rides last week");
        await credit.GetByTestId("credit-give").ClickAsync();
        await Expect(credit.GetByTestId("credit-balance")).ToHaveTextAsync("Ride credit: $50.00");

        // The prices say the credit pays first.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "44.8750, 13.8600");
        await Expect(rider.GetByTestId("quote-credit")).ToHaveTextAsync("Your ride credit ($50.00) pays first; the rest is charged as usual.");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await ShotAsync(rider, "rider-credit-pays-first");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();

        // Paid with ride credit: nothing to open, no card asked.
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid with ride credit");
        await Expect(rider.GetByTestId("pay-link")).ToHaveCountAsync(0);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var receipt = await RideInTheBrowserTests.OpenReceiptAsync(rider, "completed");
        await Expect(receipt.GetByTestId("paid-credit-amount")).ToHaveTextAsync($"−{price}");
        await Expect(receipt.GetByTestId("paid-credit-rest")).ToHaveCountAsync(0); // nothing charged besides
        await ShotAsync(rider, "rider-receipt-paid-with-credit");

        // Support gives $2.00 of it back (a goodwill refund): it goes back to credit, the rider is told so at once.
        var tripId = (await receipt.GetAttributeAsync("data-testid"))!["receipt-".Length..];
        await desk.GotoAsync($"/ops?trip={tripId}");
        await Expect(desk.GetByTestId("ops-payment-method")).ToHaveTextAsync($"ride credit {price}");
        await desk.GetByTestId("ops-refund-amount").FillAsync("2.00");
        await desk.GetByTestId("ops-refund-reason").FillAsync("rider waited at the wrong entrance");
        await desk.GetByTestId("ops-refund-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-refund-result")).ToHaveTextAsync("Refunded $2.00 as ride credit");
        await Expect(desk.GetByTestId("ops-payment-refund-credit")).ToHaveTextAsync("$2.00 as ride credit");
        await Expect(rider.GetByText("$2.00 was added to your ride credit.")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-refund-as-credit");
    }

    private static async Task OpenAccountAsync(IPage rider)
    {
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Expect(rider.GetByTestId("account-name")).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
