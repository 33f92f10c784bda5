using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Promotions (docs/decisions/0021) in the browser: support creates a code at the desk, a rider adds it on their account
/// page, sees it on a quote, rides and pays the fare less it, and support ends it.
/// </summary>
public sealed class PromotionsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_creates_a_promotion_a_rider_adds_its_code_and_pays_the_fare_less_it_then_support_ends_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 50.0755, Lng: 14.4378); // Prague: no other test's drivers here
        var code = $"HALF{Random.Shared.Next(100_000, 1_000_000)}";
        var desk = await _people.DeskAsync();
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();

        // Support: 50% off, at most $4.00 a ride, one ride per rider.
        await _people.SignInAtTheDeskAsync(desk);
        var form = desk.GetByTestId("ops-promotion-form");
        await form.GetByTestId("ops-promotion-code").FillAsync(code);
        await form.GetByTestId("ops-promotion-percent").FillAsync("50");
        await form.GetByTestId("ops-promotion-max-discount").FillAsync("4.00");
        await Expect(form.GetByTestId("ops-promotion-currency")).ToHaveValueAsync("USD");
        await form.GetByTestId("ops-promotion-rides").FillAsync("1");
        await form.GetByTestId("ops-promotion-create").ClickAsync();
        var listed = desk.GetByTestId($"ops-promotion-{code}");
        await Expect(listed).ToContainTextAsync($"{code} · 50% off, up to $4.00 · 1 ride per rider");
        await Expect(listed).ToContainTextAsync("0 riders added");
        await Expect(desk.GetByTestId($"ops-promotion-status-{code}")).ToHaveTextAsync("open");
        await ShotAsync(desk, "promotion-created");

        // The rider mistypes the code first: the service's words say what is wrong; then the right one.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Petr Promo", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rosa Reduced");
        await OpenAccountAsync(rider);
        var wrong = $"NOPE{Random.Shared.Next(100_000, 1_000_000)}";
        await rider.GetByTestId("promotion-code-input").FillAsync(wrong.ToLowerInvariant());
        await rider.GetByTestId("promotion-add").ClickAsync();
        await Expect(rider.GetByTestId("promotion-error")).ToContainTextAsync($"No promotion has the code {wrong}");
        await rider.GetByTestId("promotion-code-input").FillAsync(code);
        await rider.GetByTestId("promotion-add").ClickAsync();
        var held = rider.GetByTestId($"promotion-{code}");
        await Expect(held).ToContainTextAsync($"{code} · 50% off, up to $4.00 · 1 of 1 ride left · until ");
        await Expect(rider.GetByTestId("promotion-error")).ToHaveCountAsync(0);
        await ShotAsync(rider, "promotion-added");

        // The quote: the price after the promotion, the price before struck through, and the code.
        await rider.GetByTestId("account-back").ClickAsync();
        await rider.WaitForURLAsync("**/rider");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "50.1200, 14.5200");
        var offered = rider.GetByTestId("quote-promotion-economy");
        await Expect(offered).ToContainTextAsync(code);
        var before = Cents((await offered.Locator("s").TextContentAsync())!);
        var after = Cents((await rider.GetByTestId("price-economy").TextContentAsync())!);
        Assert.Equal(400, before - after); // half the fare less the booking fee is more than $4.00 on this route
        await ShotAsync(rider, "promotion-quote");

        // Booked with it, driven to the drop-off: the receipt takes it off the fare.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-promotion")).ToContainTextAsync($"{code} −$4.00");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        var trip = rider.GetByRole(AriaRole.Region, new() { Name = "Your trip" });
        await Expect(trip.GetByTestId("fare-promotion")).ToHaveTextAsync($"Promotion {code}−$4.00");
        var fare = Cents((await trip.GetByTestId("fare-total").TextContentAsync())!);
        var due = Dollars(fare - 400);
        await Expect(trip.GetByTestId("fare-after-promotion")).ToHaveTextAsync(due);
        await ShotAsync(rider, "promotion-receipt");

        // The rider's history says the same, and the checkout charges the fare less the promotion.
        var receipt = await OpenReceiptAsync(rider);
        await Expect(receipt.GetByTestId("fare-promotion")).ToHaveTextAsync($"Promotion {code}−$4.00");
        await Expect(receipt).ToContainTextAsync($"Amount due: {due} · payment pending");
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        var pay = checkout.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") });
        await Expect(pay).ToHaveTextAsync($"Pay {due.TrimStart('$')} USD");
        await pay.ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");
        // The driver earns on the whole fare: the platform pays the promotion, and their receipt does not show it.
        var driverReceipt = await OpenReceiptAsync(driver);
        await Expect(driverReceipt.GetByTestId("earnings-breakdown").Locator("tr").First).ToHaveTextAsync($"Rider pays{Dollars(fare)}");
        await Expect(driverReceipt.GetByTestId("fare-promotion")).ToHaveCountAsync(0);

        // Its one ride is taken.
        await OpenAccountAsync(rider);
        await Expect(held).ToContainTextAsync("0 of 1 ride left");
        await Expect(held).ToHaveAttributeAsync("data-usable", "false");
        await ShotAsync(rider, "promotion-used");

        // Support sees that a rider added it, and ends it.
        await desk.GetByTestId("ops-refresh").ClickAsync();
        await Expect(listed).ToContainTextAsync("1 rider added");
        await desk.GetByTestId($"ops-promotion-end-{code}").ClickAsync();
        await Expect(desk.GetByTestId($"ops-promotion-status-{code}")).ToHaveTextAsync("ended");
        await Expect(desk.GetByTestId($"ops-promotion-end-{code}")).ToHaveCountAsync(0);
        await desk.ReloadAsync();
        await Expect(desk.GetByTestId($"ops-promotion-status-{code}")).ToHaveTextAsync("ended");
        await ShotAsync(desk, "promotion-ended");
    }

    /// <summary>The account page, from the "⋯" menu of the header.</summary>
    private static async Task OpenAccountAsync(IPage page)
    {
        await page.GetByLabel("More account options").ClickAsync();
        await page.GetByTestId("account-settings").ClickAsync();
        await page.WaitForURLAsync("**/account");
        await Expect(page.GetByTestId("promotions")).ToBeVisibleAsync();
    }

    /// <summary>Opens the newest completed trip in the page's history; its receipt.</summary>
    private static async Task<ILocator> OpenReceiptAsync(IPage page)
    {
        var history = page.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new Regex("· completed$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        await Expect(receipt).ToBeVisibleAsync();
        return receipt;
    }

    /// <summary>An amount as the web app shows it ("$12.24", "−$4.00"), in cents.</summary>
    private static long Cents(string shown) => long.Parse(shown.Trim().TrimStart('−', '+', '$').Replace(".", "").Replace(",", ""));

    private static string Dollars(long cents) => $"${cents / 100}.{cents % 100:00}";

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
