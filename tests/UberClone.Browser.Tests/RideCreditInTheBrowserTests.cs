using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Ride credit (docs/decisions/0051) through the web app: support gives a rider who called ride credit from the desk's
/// caller card, saying why; the rider's trail keeps it, and the rider's account settings show it under "Payment methods".
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

        // The rider's payment methods show it.
        await rider.ReloadAsync();
        await Expect(methods.GetByTestId("credit-balance")).ToHaveTextAsync("Ride credit: $5.00");
        await Expect(methods.GetByTestId("credit-entry")).ToContainTextAsync("+$5.00");
        await Expect(methods.GetByTestId("credit-entry")).ToContainTextAsync("Added by support: driver was 20 minutes late");
        await ShotAsync(rider, "rider-ride-credit");
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
