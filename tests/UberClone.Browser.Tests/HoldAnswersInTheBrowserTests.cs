using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The bank's answer to a hold reaches the rider's screen whenever it comes (docs/decisions/0030): a rider whose bank
/// answers later than booking waits is booked at once without a hold, and the hold line appears a few seconds later on
/// its own, told over the socket; a rider whose card cannot cover a new destination (docs/decisions/0029) is told the
/// bank declined holding the new price while the old hold stays, and at the end the card is asked for the rest, declines
/// it, and the rider retries by link.
/// </summary>
public sealed class HoldAnswersInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_whose_bank_answers_late_is_booked_at_once_and_sees_the_hold_appear_without_reloading()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 50.0614, Lng: 19.9366); // Kraków: no other test's drivers here (and none of this one's)
        var rider = await _people.PhoneAsync();
        // What the gateway tells the rider's app over its socket (every socket the phone opens, from its first page on).
        var holdChanged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        rider.WebSocket += (_, socket) =>
        {
            if (!new Uri(socket.Url).AbsolutePath.Equals("/ws", StringComparison.Ordinal)) return;
            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Text is { } text && text.Contains("\"trip.payment_hold_changed\"", StringComparison.Ordinal)) holdChanged.TrySetResult(text);
            };
        };
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Kasia Slowbank");

        // A test card whose bank takes 5 seconds to answer a hold: longer than booking waits for it (3 s).
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4000 0000 0000 5001");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "50.0750, 19.9500");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 5001");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await ShotAsync(rider, "rider-paying-with-a-slow-bank");

        // Booked without waiting for the bank: searching, answered without a hold (the bank has not answered yet).
        var navigations = 0;
        rider.FrameNavigated += (_, frame) =>
        {
            if (frame == rider.MainFrame) Interlocked.Increment(ref navigations);
        };
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        var hold = rider.GetByTestId("payment-hold");
        // (What the page shows this early is not asserted: on a loaded machine it may render after the bank's 5 s.)
        Assert.True(booked.Ok, $"The booking answered {booked.Status}: {await booked.TextAsync()}");
        var trip = (await booked.JsonAsync())!.Value;
        Assert.Equal("searching", trip.GetProperty("status").GetString());
        Assert.False(trip.TryGetProperty("paymentHold", out var heldAtBooking) && heldAtBooking.ValueKind != System.Text.Json.JsonValueKind.Null,
            $"The booking was answered with a hold although the bank takes 5 s: {trip}");
        await ShotAsync(rider, "rider-booked-before-the-bank-answered");

        // The bank answers: the rider's app is told over its socket and reads the trip again; the hold line appears, on the
        // same page (no reload, no navigation).
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 5001 until the ride ends", new() { Timeout = 20_000 });
        Assert.Contains(trip.GetProperty("tripId").GetString()!, await holdChanged.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.Equal(0, Volatile.Read(ref navigations));
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("payment-hold-not-raised")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-hold-appears-when-the-bank-answers");

        // Cancelled before a driver was found: free, and nothing held any more.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
        await Expect(rider.GetByTestId("cancel-confirmation")).ToHaveTextAsync("Cancel this trip? No driver is on the way yet: it is free.");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel" }).ClickAsync();
        await Expect(rider.GetByText("Trip cancelled at no charge.")).ToBeVisibleAsync();
        await Expect(hold).ToHaveCountAsync(0);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_whose_card_cannot_cover_a_new_destination_is_told_the_bank_declined_the_new_price_and_the_rest_is_asked_of_the_card_at_the_end()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 54.3520, Lng: 18.6466); // Gdańsk: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Gosia Limit", "Grzegorz Limit");

        // A test card with $25.00 available; a short ride, well under it, is held on it at booking.
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4000 0000 0000 2503");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "54.3650, 18.6466");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 2503");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        Assert.True(Dollars(price) < 25.00m, $"The short ride costs {price}: not under the card's $25.00");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        var hold = rider.GetByTestId("payment-hold");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 2503 until the ride ends");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // Riding, the rider asks to go about 19 km farther: the new fare is more than the card has.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Change destination" }).ClickAsync();
        await rider.GetByLabel("New drop-off (lat, lng)").FillAsync("54.1800, 18.6466");
        await rider.GetByRole(AriaRole.Button, new() { Name = "See new fare" }).ClickAsync();
        await Expect(rider.GetByTestId("destination-quote")).ToContainTextAsync($"(was {price})");
        var newFare = (await rider.GetByTestId("new-fare").TextContentAsync())!.Trim();
        Assert.True(Dollars(newFare) > 25.00m, $"The new fare {newFare} is not above the card's $25.00");
        var (changed, _) = await RideInTheBrowserTests.ConfirmNewDestinationAsync(rider);
        await Expect(changed).ToHaveTextAsync(new Regex($@"^Destination changed: fare {Regex.Escape(price)} → \$[0-9]+\.[0-9]{{2}}$"));
        var confirmed = (await changed.TextContentAsync())!.Split(" → ")[1].Trim();
        Assert.True(Dollars(confirmed) > 25.00m, $"The confirmed fare {confirmed} is not above the card's $25.00");

        // The bank declined holding the new price: the rider is told, and the old hold stays as it was.
        await Expect(rider.GetByTestId("payment-hold-not-raised")).ToHaveTextAsync(
            "Your bank declined holding the new price (insufficient funds): the rest is charged to Visa •••• 2503 when the ride ends.",
            new() { Timeout = 20_000 });
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 2503 until the ride ends");
        await ShotAsync(rider, "rider-bank-declined-holding-the-new-price");

        // The ride ends at the new fare, more than held: the card is charged for it and declines (insufficient funds).
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Region, new() { Name = "Your trip" }).GetByTestId("fare-total")).ToHaveTextAsync(confirmed);
        await Expect(hold).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("payment-hold-not-raised")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: payment failed");
        await Expect(rider.GetByTestId("card-declined")).ToHaveTextAsync(
            "Visa •••• 2503 was declined (insufficient funds). Retry the payment to pay by link, or make another card your default first.");
        await Expect(rider.GetByTestId("paid-with")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("pay-link")).ToHaveCountAsync(0);
        var retry = rider.GetByRole(AriaRole.Button, new() { Name = "Retry payment" });
        await Expect(retry).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-card-declined-the-rest-at-the-end");

        // The retry is paid by link, as without a card.
        await retry.ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: pending");
        await Expect(rider.GetByTestId("card-declined")).ToHaveCountAsync(0);
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await Expect(rider.GetByTestId("paid-with")).ToHaveCountAsync(0);
    }

    /// <summary>An amount as the web app shows prices in dollars ("$12.24").</summary>
    private static decimal Dollars(string shown) => decimal.Parse(shown.Trim().TrimStart('$'), NumberStyles.Number, CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
