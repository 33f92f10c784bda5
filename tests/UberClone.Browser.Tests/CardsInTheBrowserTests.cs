using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Cards on file (docs/decisions/0024) through the web app: a rider saves a card on the sandbox's card page from their
/// account settings, the upfront price is held on it when they book (docs/decisions/0027) and taken from the hold when
/// the ride ends, with no link to pay; a card whose bank declines the hold refuses the booking, saying why; a card saved
/// during a ride is charged when it ends, and when its bank declines, the retry is paid by link in the sandbox checkout;
/// a ride cancelled before a driver was found lets the hold go; a rider with two cards chooses under the prices which one
/// pays (another at once when the default one declines), and the ride is held on it and paid with it; a card whose bank
/// asks to confirm the hold (3-D Secure) sends the rider to the bank's page, and back in the app the ride is booked again;
/// a new destination that costs more is held on the card instead of the booked price, and support sees the hold raised.
/// </summary>
public sealed class CardsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_saves_a_card_and_the_ride_is_charged_to_it_when_it_ends_without_opening_a_pay_link()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 55.6761, Lng: 12.5683); // Copenhagen: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Kaja Card", "Karl Card");

        // No card yet: each ride is paid by link.
        await OpenAccountAsync(rider);
        var cards = PaymentMethods(rider);
        await Expect(cards.GetByRole(AriaRole.Heading, new() { Name = "Payment methods" })).ToBeVisibleAsync();
        await Expect(cards.GetByTestId("no-cards")).ToHaveTextAsync("No saved card: you pay by link after each ride.");

        // The sandbox's card page, left without a card: back on the account page, nothing added.
        await cards.GetByRole(AriaRole.Button, new() { Name = "Add a card" }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/checkout/cs_sandbox_setup_[0-9a-f]+$"));
        await rider.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(rider.GetByTestId("card-cancelled")).ToHaveTextAsync("No card was added.");
        await Expect(cards.GetByTestId("no-cards")).ToBeVisibleAsync();

        // On the sandbox's card page a number that is no card's is refused, saying why; a test card is saved.
        await cards.GetByRole(AriaRole.Button, new() { Name = "Add a card" }).ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/checkout/cs_sandbox_setup_[0-9a-f]+$"));
        await FillCardAsync(rider, "4242 4242 4242 4241");
        await Expect(rider.GetByTestId("card-error")).ToHaveTextAsync("The card number is not valid (check the digits).");
        await ShotAsync(rider, "sandbox-card-refused");
        await FillCardAsync(rider, "4242 4242 4242 4242");
        await Expect(rider.GetByTestId("card-added")).ToHaveTextAsync("Card saved. It is charged when your rides end.");
        Assert.Equal("/account", new Uri(rider.Url).AbsolutePath);
        var saved = cards.GetByTestId("saved-card");
        await Expect(saved).ToHaveCountAsync(1);
        await Expect(saved).ToContainTextAsync("Visa •••• 4242");
        await Expect(saved).ToContainTextAsync($"Expires {Expiry.ToString("MM/yyyy", CultureInfo.InvariantCulture)}");
        await Expect(saved.GetByTestId("default-card")).ToHaveTextAsync("Default");
        await Expect(cards.GetByTestId("no-cards")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-saved-cards");

        // Back in the app, the prices say which card pays.
        await BackToTheAppAsync(rider);
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "55.6900, 12.5900");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 4242");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await ShotAsync(rider, "rider-paying-with-saved-card");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        // Booked: the price is held on the card until the ride ends (ADR 0027), said while looking for a driver and riding.
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        var hold = rider.GetByTestId("payment-hold");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");
        await ShotAsync(rider, "rider-price-held-on-the-card");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();

        // The ride ends and the card pays (taken from the hold): nothing to open, nothing to click, nothing held any more.
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(hold).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid with Visa •••• 4242");
        await Expect(rider.GetByTestId("pay-link")).ToHaveCountAsync(0);
        Assert.Single(rider.Context.Pages);
        await ShotAsync(rider, "rider-paid-with-saved-card");

        // The receipt says which card paid; support sees the payment was the card's.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new Regex("· completed$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        await Expect(receipt).ToContainTextAsync("payment paid with Visa •••• 4242");
        var tripId = (await receipt.GetAttributeAsync("data-testid"))!["receipt-".Length..];
        var desk = await _people.DeskOnTheTripAsync(tripId);
        await Expect(desk.GetByTestId("ops-payment-session")).ToHaveCountAsync(1);
        await Expect(desk.GetByTestId("ops-payment-status")).ToHaveTextAsync("succeeded");
        await Expect(desk.GetByTestId("ops-payment-method")).ToHaveTextAsync("card Visa •••• 4242 (from the hold)");
        await Expect(desk.GetByTestId("ops-trip-payment")).ToContainTextAsync("payment paid with the rider's card Visa •••• 4242");
        // The hold placed at booking was taken: support sees how much was held on which card, and that it was captured.
        var deskHold = desk.GetByTestId("ops-payment-hold");
        await Expect(deskHold).ToContainTextAsync($"Hold at booking: {price} on Visa •••• 4242 · captured");
        await Expect(deskHold).ToHaveAttributeAsync("data-status", "captured");
        await ShotAsync(desk, "desk-payment-by-saved-card");
        // The rider's card at the desk lists their saved cards and which one is charged.
        await desk.GetByTestId("ops-trip-rider").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-cards")).ToContainTextAsync($"Visa •••• 4242 · expires {Expiry.ToString("MM/yyyy", CultureInfo.InvariantCulture)} · charged when their rides end");

        // The rider calls: the card was stolen. Support removes it, saying why; the rider's trail says who did and why.
        var card = desk.GetByTestId("ops-user-card").Filter(new() { HasText = "Visa •••• 4242" });
        await card.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Remove Visa •••• 4242" })).ToBeDisabledAsync();
        await card.GetByLabel("Why remove Visa •••• 4242").FillAsync("reported stolen on the phone");
        await card.GetByRole(AriaRole.Button, new() { Name = "Remove Visa •••• 4242" }).ClickAsync();
        await Expect(desk.GetByTestId("ops-user-cards")).ToContainTextAsync("None: they pay each ride by link.");
        var removal = desk.Locator("[data-testid=ops-action-row][data-action='card.removed']");
        await Expect(removal.First).ToContainTextAsync("Removed one of the rider's saved cards");
        await Expect(removal.First).ToContainTextAsync("reported stolen on the phone");
        await ShotAsync(desk, "desk-removed-a-riders-card");
        // The rider's open app is told at once (who removed it and why), and its prices stop offering the card.
        await Expect(rider.GetByText("Support removed your card Visa •••• 4242 from your account: reported stolen on the phone. It will not be charged again."))
            .ToBeVisibleAsync();
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "55.6900, 12.5900");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync(new Regex("^You pay by link after the ride"));
        await ShotAsync(rider, "rider-told-support-removed-a-card");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_saved_card_the_bank_declines_refuses_the_booking_and_one_saved_during_the_ride_is_declined_at_its_end_and_the_retry_is_paid_by_link()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 60.1699, Lng: 24.9384); // Helsinki: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Dora Declined", "Dirk Declined");

        // Two cards: a Mastercard, then a test card whose bank declines every charge (and hold) for insufficient funds.
        // The card saved last is the default, newest first.
        await OpenAccountAsync(rider);
        var cards = PaymentMethods(rider);
        await SaveCardAsync(rider, "5555 5555 5555 4444");
        await SaveCardAsync(rider, "4000 0000 0000 9995");
        var saved = cards.GetByTestId("saved-card");
        await Expect(saved).ToHaveCountAsync(2);
        await Expect(saved.First).ToContainTextAsync("Visa •••• 9995");
        await Expect(saved.First.GetByTestId("default-card")).ToBeVisibleAsync();
        var mastercard = saved.Filter(new() { HasText = "Mastercard •••• 4444" });
        await Expect(mastercard.GetByTestId("default-card")).ToHaveCountAsync(0);

        // The Mastercard made the default, then removed (asked first): the Visa is the default again.
        await mastercard.GetByRole(AriaRole.Button, new() { Name = "Make default" }).ClickAsync();
        await Expect(mastercard.GetByTestId("default-card")).ToBeVisibleAsync();
        await Expect(saved.First.GetByTestId("default-card")).ToHaveCountAsync(0);
        await mastercard.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(mastercard).ToContainTextAsync("Remove Mastercard •••• 4444? It is never charged again. Visa •••• 9995 becomes your default card.");
        await ShotAsync(rider, "rider-removing-a-saved-card");
        await mastercard.GetByRole(AriaRole.Button, new() { Name = "Yes, remove it" }).ClickAsync();
        await Expect(saved).ToHaveCountAsync(1);
        await Expect(saved).ToContainTextAsync("Visa •••• 9995");
        await Expect(saved.GetByTestId("default-card")).ToBeVisibleAsync();

        // Booking with it: the bank declines the hold of the price (ADR 0027), so nothing is booked, and the rider is told
        // why where they asked, with what to do.
        await BackToTheAppAsync(rider);
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "60.1850, 24.9600");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 9995");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("booking-error")).ToHaveTextAsync(new Regex(
            @"^Your card Visa •••• 9995 was declined \(insufficient funds\) for the \$[0-9]+\.[0-9]{2} this ride costs\. "
            + @"Choose another card, or remove it in your account to pay after the ride\.$"));
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeEnabledAsync();
        await Expect(driver.GetByText("New trip request")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-booking-refused-card-declined");

        // The card removed in their account, the rider books at once: with no card, nothing is held, paid after the ride.
        await OpenAccountAsync(rider);
        await saved.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(saved).ToContainTextAsync("Remove Visa •••• 9995? It is never charged again.");
        await saved.GetByRole(AriaRole.Button, new() { Name = "Yes, remove it" }).ClickAsync();
        await Expect(cards.GetByTestId("no-cards")).ToBeVisibleAsync();
        await BackToTheAppAsync(rider);
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "60.1850, 24.9600");
        await Expect(rider.GetByTestId("paying-with")).ToContainTextAsync("You pay by link after the ride");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal) && response.Ok);
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("payment-hold")).ToHaveCountAsync(0);
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // During the ride the rider saves the declining card again from their account (the menu is there on a trip), and
        // comes back to the ride: nothing was held for it, so the card is charged when the ride ends.
        await SaveCardFromTheAppAsync(rider, "4000 0000 0000 9995");
        await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("payment-hold")).ToHaveCountAsync(0);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();

        // Declined: the rider is told by whom and why, and may retry.
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: payment failed");
        await Expect(rider.GetByTestId("card-declined")).ToContainTextAsync("Visa •••• 9995 was declined (insufficient funds)");
        await Expect(rider.GetByTestId("pay-link")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-saved-card-declined");

        // Support sees what the rider owes since when, that they were mailed, and when the next reminder goes (ADR 0039).
        var desk = await _people.DeskOnTheTripAsync(tripId);
        await Expect(desk.GetByTestId("ops-trip-unpaid")).ToHaveTextAsync(new Regex(
            @"^Owed since .+: \$[0-9]+\.[0-9]{2} · the rider was mailed when it failed · next reminder .+$"));
        await ShotAsync(desk, "support-sees-what-a-rider-owes");

        // The retry is not charged to the declined card again: a checkout opens, paid by link as without a card.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Retry payment" }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: pending");
        await Expect(rider.GetByTestId("card-declined")).ToHaveCountAsync(0);
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await Expect(rider.GetByTestId("paid-with")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-paid-by-link-after-a-decline");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_ride_cancelled_before_a_driver_was_found_lets_the_money_held_on_the_card_go()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 46.0569, Lng: 14.5058); // Ljubljana: no other test's drivers here (and none of this one's)
        var rider = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Lea Ljubljana");
        await SaveCardFromTheAppAsync(rider, "4242 4242 4242 4242");

        // Booked: the price is held on the card while a driver is looked for.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "46.0700, 14.5200");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 4242");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal) && response.Ok);
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("payment-hold")).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");

        // Cancelled before a driver was found: free, and nothing is held any more.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
        await Expect(rider.GetByTestId("cancel-confirmation")).ToHaveTextAsync("Cancel this trip? No driver is on the way yet: it is free.");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel" }).ClickAsync();
        await Expect(rider.GetByText("Trip cancelled at no charge.")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("payment-hold")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-cancelled-hold-released");

        // Support sees the hold let go because the trip was cancelled, and no payment at all.
        var desk = await _people.DeskOnTheTripAsync(tripId);
        var deskHold = desk.GetByTestId("ops-payment-hold");
        await Expect(deskHold).ToContainTextAsync($"Hold at booking: {price} on Visa •••• 4242 · released (cancelled)");
        await Expect(deskHold).ToHaveAttributeAsync("data-status", "released");
        await Expect(desk.GetByTestId("ops-payment-session")).ToHaveCountAsync(0);
        await Expect(desk.GetByTestId("ops-payments")).ToContainTextAsync("No payment yet");
        await ShotAsync(desk, "desk-hold-released-after-a-cancellation");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_whose_default_card_declines_chooses_another_saved_card_in_pay_with_and_the_ride_is_held_on_it_and_paid_with_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 48.1486, Lng: 17.1077); // Bratislava: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Branka Choice", "Boris Choice");

        // Two cards: one that pays, then a test card whose bank declines every charge (and hold); the one saved last is the default.
        await OpenAccountAsync(rider);
        var cards = PaymentMethods(rider);
        await SaveCardAsync(rider, "4242 4242 4242 4242");
        await SaveCardAsync(rider, "4000 0000 0000 0341");
        var saved = cards.GetByTestId("saved-card");
        await Expect(saved).ToHaveCountAsync(2);
        await Expect(saved.Filter(new() { HasText = "Visa •••• 0341" }).GetByTestId("default-card")).ToBeVisibleAsync();

        // Under the prices the rider chooses which card pays: both are offered, the default chosen (and cash, which the
        // local prices take: ADR 0042).
        await BackToTheAppAsync(rider);
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "48.1600, 17.1300");
        var payWith = rider.GetByLabel("Pay with");
        await Expect(payWith).ToBeVisibleAsync();
        await Expect(payWith.Locator("option")).ToHaveTextAsync(["Visa •••• 0341", "Visa •••• 4242", "Cash"]);
        var declining = await payWith.Locator("option", new() { HasText = "Visa •••• 0341" }).GetAttributeAsync("value");
        var paying = await payWith.Locator("option", new() { HasText = "Visa •••• 4242" }).GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(declining));
        Assert.False(string.IsNullOrEmpty(paying));
        await Expect(payWith).ToHaveValueAsync(declining!);
        await Expect(rider.GetByTestId("paying-with")).ToHaveCountAsync(0);
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();

        // The default card's bank declines the hold of the price: nothing is booked, and the rider is told why.
        var refused = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);
        Assert.Equal(declining, refused.Request.PostDataJSON()!.Value.GetProperty("cardId").GetString());
        await Expect(rider.GetByTestId("booking-error")).ToHaveTextAsync(new Regex(
            @"^Your card Visa •••• 0341 was declined \(card declined\) for the \$[0-9]+\.[0-9]{2} this ride costs\. "
            + @"Choose another card, or remove it in your account to pay after the ride\.$"));
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await Expect(driver.GetByText("New trip request")).ToHaveCountAsync(0);

        // The rider picks the other card right there and asks again: booked, the price held on the card chosen.
        await payWith.SelectOptionAsync(new SelectOptionValue { Label = "Visa •••• 4242" });
        await Expect(payWith).ToHaveValueAsync(paying!);
        await ShotAsync(rider, "rider-choosing-the-card");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        Assert.True(booked.Ok, $"The booking with the card chosen answered {booked.Status}: {await booked.TextAsync()}");
        Assert.Equal(paying, booked.Request.PostDataJSON()!.Value.GetProperty("cardId").GetString());
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("booking-error")).ToHaveCountAsync(0);
        var hold = rider.GetByTestId("payment-hold");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");

        // Ridden to the end: paid from the hold on the card chosen, not the default.
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(hold).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await Expect(rider.GetByTestId("paid-with")).ToHaveTextAsync("Paid with Visa •••• 4242");
        await Expect(rider.GetByTestId("pay-link")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-paid-with-the-card-chosen");

        // The choice was for that ride: the next prices offer the default card again, which it still is.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "48.1600, 17.1300");
        await Expect(payWith).ToHaveValueAsync(declining!);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_whose_bank_asks_to_confirm_the_hold_is_sent_to_its_page_and_booked_once_they_confirm_and_not_when_they_fail()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 37.9838, Lng: 23.7275); // Athens: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Eleni Secure", "Nikos Secure");

        // A test card saved fine, whose bank asks the cardholder to confirm every payment (3-D Secure).
        await SaveCardFromTheAppAsync(rider, "4000 0027 6000 3184");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "37.9950, 23.7450");
        await Expect(rider.GetByTestId("paying-with")).ToHaveTextAsync("Paying with Visa •••• 3184");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();

        // Booking now: the bank wants the hold confirmed first. Nothing is booked; the rider is offered the bank's page.
        var asked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        Assert.Equal(400, asked.Status);
        var quoteId = asked.Request.PostDataJSON()!.Value.GetProperty("quoteId").GetString();
        await Expect(rider.GetByTestId("bank-confirmation")).ToHaveTextAsync(
            $"Your bank asks you to confirm the {price} this ride costs on your card Visa •••• 3184. The ride is booked once you have confirmed it on your bank's page.");
        await Expect(rider.GetByTestId("booking-error")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-confirm-with-bank");

        // The bank's page (the sandbox's stand-in) names the amount and the card.
        await rider.GetByTestId("confirm-with-bank").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/checkout/auth_sandbox_[^/?]+$"));
        var bankPage = new Uri(rider.Url).AbsolutePath;
        await Expect(rider.GetByRole(AriaRole.Heading, new() { Name = "Sandbox 3-D Secure" })).ToBeVisibleAsync();
        await Expect(rider.Locator("main")).ToContainTextAsync($"Your bank asks you to confirm that UberClone may hold {price} on Visa •••• 3184.");

        // Back in the app without answering (the address the bank sends riders back to): the same page is offered again.
        await rider.GotoAsync("/rider?booking=authenticated");
        await Expect(rider.GetByTestId("bank-confirmation")).ToContainTextAsync("Your bank asks you to confirm");
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await rider.GetByTestId("confirm-with-bank").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("^https?://[^/]+" + Regex.Escape(bankPage) + @"(\?.*)?$"));

        // The rider fails the authentication: back on /rider the same quote is booked again, and refused, saying why.
        var refused = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Fail authentication" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        Assert.Equal(400, refused.Status);
        Assert.Equal(quoteId, refused.Request.PostDataJSON()!.Value.GetProperty("quoteId").GetString());
        Assert.Equal("economy", refused.Request.PostDataJSON()!.Value.GetProperty("vehicleClass").GetString());
        await Expect(rider.GetByTestId("booking-error")).ToHaveTextAsync(new Regex(
            @"^Your card Visa •••• 3184 was declined \(authentication failed\) for the \$[0-9]+\.[0-9]{2} this ride costs\. "
            + @"Choose another card, or remove it in your account to pay after the ride\.$"));
        // The address no longer says where the browser came from (a reload books nothing), and nothing was booked.
        Assert.Equal("/rider", new Uri(rider.Url).PathAndQuery);
        await Expect(rider.GetByTestId("confirm-with-bank")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await Expect(driver.GetByText("New trip request")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-bank-authentication-failed");

        // The route is there again: new prices take the refusal away, and booking asks the bank again (a new page).
        await Expect(rider.GetByLabel("Pickup (lat, lng)")).ToHaveValueAsync("37.98380, 23.72750");
        await RideInTheBrowserTests.SeePricesAsync(rider);
        await Expect(rider.GetByTestId("booking-error")).ToHaveCountAsync(0);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("bank-confirmation")).ToContainTextAsync("Your bank asks you to confirm");
        await rider.GetByTestId("confirm-with-bank").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/checkout/auth_sandbox_[^/?]+$"));
        Assert.NotEqual(bankPage, new Uri(rider.Url).AbsolutePath);

        // Confirmed this time: back on /rider the ride is booked, the price held on the card, and the driver is offered it.
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Complete authentication" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        Assert.True(booked.Ok, $"Booking again after the bank answered {booked.Status}: {await booked.TextAsync()}");
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("payment-hold")).ToHaveTextAsync($"{price} held on Visa •••• 3184 until the ride ends");
        await Expect(rider.GetByTestId("booking-error")).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("bank-checking")).ToHaveCountAsync(0);
        Assert.Equal("/rider", new Uri(rider.Url).PathAndQuery);
        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Eleni Secure");
        await Expect(rider.GetByTestId("payment-hold")).ToHaveTextAsync($"{price} held on Visa •••• 3184 until the ride ends");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_new_destination_that_costs_more_is_held_on_the_card_instead_and_support_sees_the_hold_raised()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 55.9533, Lng: -3.1883); // Edinburgh: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Ewan Further", "Isla Further");
        await SaveCardFromTheAppAsync(rider, "4242 4242 4242 4242");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "55.9650, -3.1700");
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal));
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString();
        var hold = rider.GetByTestId("payment-hold");
        await Expect(hold).ToHaveTextAsync($"{price} held on Visa •••• 4242 until the ride ends");
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // Riding, the rider goes farther: once confirmed, the new fare is what the card holds (ADR 0029).
        await rider.GetByRole(AriaRole.Button, new() { Name = "Change destination" }).ClickAsync();
        await rider.GetByLabel("New drop-off (lat, lng)").FillAsync("55.9850, -3.1400");
        await rider.GetByRole(AriaRole.Button, new() { Name = "See new fare" }).ClickAsync();
        await Expect(rider.GetByTestId("destination-quote")).ToContainTextAsync($"(was {price})");
        var (changed, _) = await RideInTheBrowserTests.ConfirmNewDestinationAsync(rider);
        await Expect(changed).ToHaveTextAsync(new Regex($@"^Destination changed: fare {Regex.Escape(price)} → \$[0-9]+\.[0-9]{{2}}$"));
        var confirmed = (await changed.TextContentAsync())!.Split(" → ")[1].Trim();
        Assert.NotEqual(price, confirmed);
        await Expect(hold).ToHaveTextAsync($"{confirmed} held on Visa •••• 4242 until the ride ends");
        await Expect(rider.GetByTestId("payment-hold-not-raised")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-hold-follows-new-destination");

        // Support sees the hold raised once, for the new fare; the ride's end takes it from there.
        var desk = await _people.DeskOnTheTripAsync(tripId);
        var deskHold = desk.GetByTestId("ops-payment-hold");
        await Expect(deskHold).ToContainTextAsync($"Hold at booking: {confirmed} on Visa •••• 4242 · held · 1 raise for a new destination");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToHaveTextAsync("Payment: paid");
        await desk.ReloadAsync();
        await Expect(deskHold).ToContainTextAsync($"Hold at booking: {confirmed} on Visa •••• 4242 · captured {confirmed} · 1 raise for a new destination");
    }

    /// <summary>A card's expiry in the future: about four years ahead.</summary>
    private static readonly DateTime Expiry = DateTime.UtcNow.AddYears(4);

    /// <summary>The account page's saved cards.</summary>
    private static ILocator PaymentMethods(IPage rider) => rider.GetByRole(AriaRole.Region, new() { Name = "Payment methods" });

    /// <summary>From the account page, saves a test card on the sandbox's card page; returns once back on the account page, listing it.</summary>
    private static async Task SaveCardAsync(IPage rider, string number)
    {
        await PaymentMethods(rider).GetByRole(AriaRole.Button, new() { Name = "Add a card" }).ClickAsync();
        // Reached is enough (the form's fields are waited for next): a page's whole load can take long on a loaded machine.
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/checkout/cs_sandbox_setup_[0-9a-f]+$"));
        await FillCardAsync(rider, number);
        await Expect(rider.GetByTestId("card-added")).ToBeVisibleAsync();
        await Expect(PaymentMethods(rider).GetByTestId("saved-card").First).ToContainTextAsync($"•••• {number[^4..]}");
    }

    /// <summary>From the rider's app: the account page, test cards saved there (the last is the default), and back to the app.</summary>
    internal static async Task SaveCardFromTheAppAsync(IPage rider, params string[] numbers)
    {
        await OpenAccountAsync(rider);
        foreach (var number in numbers) await SaveCardAsync(rider, number);
        await BackToTheAppAsync(rider);
    }

    /// <summary>From the account page back to the rider's app.</summary>
    private static async Task BackToTheAppAsync(IPage rider)
    {
        await rider.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
    }

    /// <summary>Fills the sandbox's card page with a card number, a future expiry and a CVC, and saves it.</summary>
    private static async Task FillCardAsync(IPage page, string number)
    {
        await page.GetByLabel("Card number").FillAsync(number);
        await page.GetByLabel("Expiry (MM/YY)").FillAsync(Expiry.ToString("MM/yy", CultureInfo.InvariantCulture));
        await page.GetByLabel("CVC").FillAsync("123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save card" }).ClickAsync();
    }

    /// <summary>The account page, from the "⋯" menu of the rider's header.</summary>
    private static async Task OpenAccountAsync(IPage rider)
    {
        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        await Expect(rider.GetByTestId("account-name")).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
