using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A rider moves a ride to another of their saved cards while riding (docs/decisions/0032): a card whose bank declines
/// changes nothing and the app says why; one that holds the price becomes the ride's card, its hold line says so at once,
/// support sees the move, and the fare is taken from it when the ride ends. A ride booked for later says which card will
/// pay it, and the rider changes it there.
/// </summary>
public sealed class CardDuringTheRideInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_pays_the_ride_with_another_card_while_riding_and_a_card_the_bank_declines_changes_nothing()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 44.4268, Lng: 26.1025); // Bucharest: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Mihai Cards", "Ioana Cards");

        // Three cards: one that declines everything, a Visa, and the $25 card (the newest: the default), which the ride is booked on.
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4000 0000 0000 0341", "4242 4242 4242 4242", "4000 0000 0000 2503");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "44.4400, 26.1025");
        await Expect(rider.GetByTestId("pay-with")).ToHaveValueAsync(new Regex("^card_"));
        await rider.GetByTestId("pay-with").SelectOptionAsync(new SelectOptionValue { Label = "Visa •••• 2503" });
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString();
        var hold = rider.GetByTestId("payment-hold");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 2503 until the ride ends");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // Riding, the rider pays with another card: the declining one first — nothing changes, and the app says why.
        await rider.GetByTestId("move-card-open").ClickAsync();
        var choice = rider.GetByTestId("move-card-choice");
        await Expect(choice.Locator("option")).ToHaveTextAsync(["Visa •••• 4242", "Visa •••• 0341"]); // newest first, as account settings list them
        await choice.SelectOptionAsync(new SelectOptionValue { Label = "Visa •••• 0341" });
        await rider.GetByTestId("move-card-confirm").ClickAsync();
        await Expect(rider.GetByTestId("move-card-refused")).ToHaveTextAsync(
            $"Your bank declined holding {price} on Visa •••• 0341 (card declined): the ride stays on Visa •••• 2503.");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 2503 until the ride ends");
        await ShotAsync(rider, "rider-another-card-declined");

        // The Visa holds it: the hold line says so at once, and the choice closes.
        await choice.SelectOptionAsync(new SelectOptionValue { Label = "Visa •••• 4242" });
        await rider.GetByTestId("move-card-confirm").ClickAsync();
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");
        await Expect(rider.GetByTestId("move-card")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-pays-with-another-card");

        // Support sees where the hold is now, and that the rider moved it.
        var desk = await _people.DeskOnTheTripAsync(tripId);
        var deskHold = desk.GetByTestId("ops-payment-hold");
        await Expect(deskHold).ToContainTextAsync($"Hold at booking: {price} on Visa •••• 4242 · held · moved to another card by the rider");

        // The ride ends: its fare is taken from the Visa's hold.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid with Visa •••• 4242");
        await desk.ReloadAsync();
        await Expect(deskHold).ToContainTextAsync($"on Visa •••• 4242 · captured {price} · moved to another card by the rider");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_ride_booked_for_later_says_which_card_pays_it_and_the_rider_changes_it_there()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Luc Later");
        // A Visa, then a Mastercard: the newest is the default, which pays a ride booked without choosing.
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4242 4242 4242 4242", "5555 5555 5555 4444");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("49.6116, 6.1319"); // Luxembourg
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("49.6260, 6.1600");
        await People.ChooseLaterAsync(rider);
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();

        // Nothing is held until the search starts, yet the row says which card will pay.
        var booked = rider.GetByTestId("scheduled-ride");
        await Expect(booked.GetByTestId("ride-card")).ToHaveTextAsync("Pays with Mastercard •••• 4444");
        await booked.GetByTestId("move-card-open").ClickAsync();
        await Expect(booked.GetByTestId("move-card-choice").Locator("option")).ToHaveTextAsync(["Visa •••• 4242"]);
        var paid = await rider.RunAndWaitForResponseAsync(
            () => booked.GetByTestId("move-card-confirm").ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/card", StringComparison.Ordinal));
        Assert.Equal(200, paid.Status);
        await Expect(booked.GetByTestId("ride-card")).ToHaveTextAsync("Pays with Visa •••• 4242");
        await Expect(booked.GetByTestId("move-card")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-later-ride-card-changed");

        // The trip keeps it: after a reload the row still names the Visa, and the Mastercard is the one offered.
        await rider.ReloadAsync();
        await Expect(booked.GetByTestId("ride-card")).ToHaveTextAsync("Pays with Visa •••• 4242");
        await booked.GetByTestId("move-card-open").ClickAsync();
        await Expect(booked.GetByTestId("move-card-choice").Locator("option")).ToHaveTextAsync(["Mastercard •••• 4444"]);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
