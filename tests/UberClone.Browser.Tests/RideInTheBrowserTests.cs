using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Riders and drivers, each in their own browser context, through the web app: a whole trip; a declined offer and a
/// cancellation while searching. The tests of this class run one after the other (one class, one collection).
/// </summary>
public sealed class RideInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private static readonly (double Lat, double Lng) City = (52.52, 13.405);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Rider_and_driver_complete_a_paid_and_rated_trip_and_a_reload_keeps_the_trip_on_screen()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();

        // The simulated car starts 60 m north of the rider's pickup, so "arrived" is true at once.
        var driverEmail = await DriverOnlineAsync(driver, "Dana Driver", (City.Lat + 0.00054, City.Lng));
        await ShotAsync(driver, "driver-online");

        var riderEmail = await SignUpAsync(rider, "rider", "Rita Rider");
        await Expect(rider.GetByTestId("my-rating")).ToHaveTextAsync("No ratings yet");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sample route" }).ClickAsync();
        var (samplePickup, sampleDropoff) = (await rider.GetByLabel("Pickup (lat, lng)").InputValueAsync(), await rider.GetByLabel("Drop-off (lat, lng)").InputValueAsync());
        await rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync();
        // Each class says how soon a car could be there: the online driver is 60 m away; nobody drives comfort.
        await Expect(rider.GetByTestId("eta-economy")).ToHaveTextAsync("1 min away");
        await Expect(rider.GetByTestId("eta-comfort")).ToHaveTextAsync("no cars nearby");
        // What waiting at the pickup would cost, before booking.
        await Expect(rider.GetByTestId("quote-wait-terms")).ToContainTextAsync("Waiting at the pickup is free for 2 min after your driver arrives, then");
        await Expect(rider.GetByTestId("quote-wait-terms")).ToContainTextAsync("a minute for economy");
        await ShotAsync(rider, "rider-prices");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await ShotAsync(rider, "rider-searching");

        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-offer");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await Expect(rider.GetByTestId("driver-card")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Dana Driver");
        // The driver sees whom to pick up: the rider's first name, new to ratings.
        await Expect(driver.GetByTestId("rider-card").Locator("strong")).ToHaveTextAsync("Rita");
        await Expect(driver.GetByTestId("rider-rating")).ToHaveTextAsync("New rider");
        await Expect(rider.GetByTestId("vehicle")).ToContainTextAsync("white Toyota Prius · B-UC 1234");
        var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9]{4}$", pin);
        await ShotAsync(rider, "rider-driver-assigned");

        // A reload (or a reconnect) rebuilds the screen from the gateway: the trip and its PIN are still there.
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(pin);
        await ShotAsync(rider, "rider-after-reload");

        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await Expect(rider.GetByText("Your driver has arrived.")).ToBeVisibleAsync();
        // Both sides see until when waiting is free, and what a minute costs after.
        await Expect(rider.GetByTestId("wait-terms")).ToContainTextAsync("Waiting is free until");
        await Expect(rider.GetByTestId("wait-terms")).ToContainTextAsync("a minute is added to the fare");
        await Expect(driver.GetByTestId("driver-wait-terms")).ToContainTextAsync("Waiting is free until");
        await driver.GetByLabel("Rider's PIN").FillAsync(pin);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
        await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
        // The car's live position comes with the time to the drop-off.
        await Expect(rider.GetByTestId("dropoff-eta")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ Arriving in [0-9]+ min\\.$"));
        await ShotAsync(driver, "driver-in-progress");

        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("fare-total")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-completed");

        // The rider tips before paying: the checkout is replaced by one for the fare and the tip.
        var tipButton = rider.GetByTestId("tip-chooser").GetByRole(AriaRole.Button).First;
        var tip = (await tipButton.TextContentAsync())!.Trim();
        await tipButton.ClickAsync();
        await Expect(rider.GetByTestId("tip-added")).ToContainTextAsync($"Tip for your driver: {tip}");
        var totalDue = System.Text.RegularExpressions.Regex.Match((await rider.GetByTestId("tip-added").TextContentAsync())!, @"total due (\S+)").Groups[1].Value;
        Assert.Equal(Cents((await rider.GetByTestId("fare-total").TextContentAsync())!) + Cents(tip), Cents(totalDue));
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await Expect(checkout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") })).ToHaveTextAsync($"Pay {totalDue}");
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
        await ShotAsync(checkout, "sandbox-checkout-paid");
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");
        await Expect(driver.GetByText($"The rider paid and tipped you {tip}.")).ToBeVisibleAsync();

        // One star would mean never being matched with this driver again: the form says so before it is sent.
        await rider.GetByRole(AriaRole.Radio, new() { Name = "1 star", Exact = true }).ClickAsync();
        await Expect(rider.GetByText("You won't be matched with this driver again.")).ToBeVisibleAsync();
        await rider.GetByRole(AriaRole.Radio, new() { Name = "5 stars" }).ClickAsync();
        await Expect(rider.GetByText("You won't be matched with this driver again.")).ToBeHiddenAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Submit rating" }).ClickAsync();
        await Expect(rider.GetByText("You rated your driver 5★.")).ToBeVisibleAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Submit rating" }).ClickAsync();
        await Expect(driver.GetByText("You rated the rider 5★.")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-paid-and-rated");
        await ShotAsync(driver, "driver-done");

        // The trip is in both histories; its receipt repeats the fare breakdown, and says it is paid and rated.
        var fareTotal = (await rider.GetByTestId("fare-total").TextContentAsync())!.Trim();
        var riderReceipt = await OpenReceiptAsync(rider, "completed");
        await Expect(riderReceipt.GetByTestId("fare-total")).ToHaveTextAsync(fareTotal);
        await Expect(riderReceipt).ToContainTextAsync("payment paid");
        await Expect(riderReceipt).ToContainTextAsync("You rated your driver 5★.");
        var driverReceipt = await OpenReceiptAsync(driver, "completed");
        await Expect(driverReceipt.GetByTestId("fare-total")).ToHaveTextAsync(fareTotal);
        await Expect(driverReceipt).ToContainTextAsync("You rated the rider 5★.");
        // The driver's receipt says what they earned and how; the earnings card counts it in today's total.
        var rows = driverReceipt.GetByTestId("earnings-breakdown").Locator("tr");
        await Expect(rows.First).ToHaveTextAsync($"Rider pays{fareTotal}");
        var cells = await Task.WhenAll(Enumerable.Range(0, await rows.CountAsync()).Select(i => rows.Nth(i).Locator("td").Last.TextContentAsync()));
        var cents = cells.Select(c => Cents(c!)).ToArray();
        Assert.Equal(5, cents.Length); // rider pays, booking fee, service fee (25 %), tip, earned
        Assert.Equal(Cents(tip), cents[3]);
        Assert.Equal(cents[0] - cents[1] - cents[2] + cents[3], cents[4]);
        Assert.Equal((long)Math.Round((cents[0] - cents[1]) * 0.25, MidpointRounding.AwayFromZero), cents[2]);
        await Expect(driver.GetByTestId("earnings-today")).ToContainTextAsync($"{cells[4]!.Trim()} · 1 trip");
        await Expect(driverReceipt).ToContainTextAsync($"The rider's tip: {tip}");
        await ShotAsync(rider, "rider-receipt");
        await ShotAsync(driver, "driver-earnings");

        // Support gives part of the fare back as a fare adjustment: the rider is told and their receipt lists it; the
        // driver is told what they now earn, and their receipt takes it off the fare before the fees.
        var tripId = (await driverReceipt.GetAttributeAsync("data-testid"))!["receipt-".Length..];
        await stack.RefundAsync(tripId, 100, "fare_adjustment");
        await Expect(rider.GetByText(new System.Text.RegularExpressions.Regex(@"^\D*1\.00 was refunded to your card\.$"))).ToBeVisibleAsync();
        await Expect(riderReceipt.GetByTestId("refunds")).ToContainTextAsync("Fare adjustment");
        Assert.Equal(100, Cents((await riderReceipt.GetByTestId("refunded-total").TextContentAsync())!));
        var adjustedRows = driverReceipt.GetByTestId("earnings-breakdown").Locator("tr");
        await Expect(adjustedRows).ToHaveCountAsync(6); // rider pays, fare adjustment, booking fee, service fee, tip, earned
        var adjusted = (await Task.WhenAll(Enumerable.Range(0, 6).Select(i => adjustedRows.Nth(i).Locator("td").Last.TextContentAsync()))).Select(c => Cents(c!)).ToArray();
        Assert.Equal((cents[0], 100L, cents[1], cents[3]), (adjusted[0], adjusted[1], adjusted[2], adjusted[4]));
        Assert.Equal((long)Math.Round((cents[0] - 100 - cents[1]) * 0.25, MidpointRounding.AwayFromZero), adjusted[3]);
        Assert.Equal(adjusted[0] - adjusted[1] - adjusted[2] - adjusted[3] + adjusted[4], adjusted[5]);
        var earnedNow = (await adjustedRows.Nth(5).Locator("td").Last.TextContentAsync())!.Trim();
        await Expect(driver.GetByText($"A fare adjustment of $1.00 was refunded to a rider; you now earn {earnedNow} from that trip.")).ToBeVisibleAsync();
        await Expect(driver.GetByTestId("earnings-today")).ToContainTextAsync($"{earnedNow} · 1 trip");
        // Day by day, newest first: today's row has the same amount, the six days before nothing.
        var days = driver.GetByTestId("earnings-by-day").Locator("tr");
        await Expect(days).ToHaveCountAsync(7);
        await Expect(days.First.Locator("td").Last).ToHaveTextAsync(earnedNow);
        await Expect(days.Nth(1).Locator("td").Last).ToHaveTextAsync("—");
        await Expect(driver.GetByTestId("trip-earned")).ToHaveTextAsync(earnedNow);
        // The week's statement by mail: only to a confirmed address, and the driver is told so.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Email me this week's statement" }).ClickAsync();
        await Expect(driver.GetByTestId("mail-statement-result")).ToContainTextAsync("Confirm your email first");
        // This month's earnings as a CSV file: the trip is a row, earning what the card says.
        var csv = await driver.RunAndWaitForDownloadAsync(() => driver.GetByTestId("earnings-csv").ClickAsync());
        Assert.Matches("^uberclone-earnings-[0-9]{4}-[0-9]{2}\\.csv$", csv.SuggestedFilename);
        var csvLines = (await File.ReadAllTextAsync((await csv.PathAsync())!, TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("earned_at,trip_id,kind,", csvLines[0]);
        Assert.Equal(earnedNow.TrimStart('$'), Assert.Single(csvLines.Skip(1)).Split(',')[10]);
        // The whole year so far (what a tax return asks for): the same row, in a file named for the year.
        await driver.GetByTestId("earnings-csv-period").SelectOptionAsync("year");
        var yearCsv = await driver.RunAndWaitForDownloadAsync(() => driver.GetByTestId("earnings-csv").ClickAsync());
        Assert.Equal($"uberclone-earnings-{await driver.GetByTestId("earnings-csv-year").InputValueAsync()}.csv", yearCsv.SuggestedFilename);
        var yearLines = (await File.ReadAllTextAsync((await yearCsv.PathAsync())!, TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(earnedNow.TrimStart('$'), Assert.Single(yearLines.Skip(1)).Split(',')[10]);
        // Support's card of the driver: the rating, and the standing over their last rated trips (ADR 0055; judged from the 2nd on this stack, the 50th in a real run).
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(driverEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-driver-rating")).ToHaveTextAsync("★ 5.00 all time (1) · Rating 5.00 over 1 rated trip — not judged yet");
        // And the rider's card: the driver's rating of them, and their standing (ADR 0056; judged from the 2nd on this stack, the 20th in a real run).
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-rider-rating")).ToHaveTextAsync("★ 5.00 all time (1) · Rating 5.00 over 1 rated trip — not judged yet");
        await ShotAsync(rider, "rider-refunded");
        await ShotAsync(driver, "driver-fare-adjustment");

        // Once the rider may book again, the ride's drop-off is a recent destination: one tap sets it as the drop-off,
        // priced like any other.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(rider.GetByLabel("Pickup (lat, lng)")).ToBeVisibleAsync();
        var recent = rider.GetByTestId("recent-destinations").GetByTestId("recent-destination");
        await Expect(recent).ToHaveCountAsync(1);
        await Expect(recent).ToContainTextAsync($"Recent: {sampleDropoff}");
        await recent.ClickAsync();
        await Expect(rider.GetByLabel("Drop-off (lat, lng)")).ToHaveValueAsync(sampleDropoff);
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync(samplePickup);
        await SeePricesAsync(rider);
        await ShotAsync(rider, "rider-recent-destination");

        // A receipt offers its route again, or the way back.
        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        var wayBack = history.GetByRole(AriaRole.Button, new() { Name = "The way back" });
        if (!await wayBack.IsVisibleAsync()) await history.GetByText(new System.Text.RegularExpressions.Regex("· completed$")).First.ClickAsync();
        await wayBack.ClickAsync();
        await Expect(rider.GetByLabel("Pickup (lat, lng)")).ToHaveValueAsync(sampleDropoff);
        await Expect(rider.GetByLabel("Drop-off (lat, lng)")).ToHaveValueAsync(samplePickup);
        await Expect(recent).ToHaveCountAsync(0); // it is the pickup now: not offered

        // The way back ends where the ride began: the rider saves it as Home, and after a reload one tap sets it.
        await rider.GetByLabel("Save the drop-off as").FillAsync("Home");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Save place" }).ClickAsync();
        await Expect(rider.GetByRole(AriaRole.List, new() { Name = "Saved places" })).ToContainTextAsync("Home");
        await rider.ReloadAsync();
        await rider.GetByRole(AriaRole.List, new() { Name = "Saved places" }).GetByRole(AriaRole.Button, new() { Name = "Home", Exact = true }).ClickAsync();
        await Expect(rider.GetByLabel("Pickup (lat, lng)")).ToHaveValueAsync(samplePickup);
        await Expect(recent).ToHaveCountAsync(1); // read again after the reload, and offered again
        await ShotAsync(rider, "rider-saved-places");
        // Each side's own rating, as the other gave it, is by their name.
        await Expect(rider.GetByTestId("my-rating")).ToHaveTextAsync("★ 5.00 · 1 rating");
        await driver.ReloadAsync();
        await Expect(driver.GetByTestId("my-rating")).ToHaveTextAsync("★ 5.00 · 1 rating");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_shares_the_trip_messages_the_driver_and_after_paying_tips_from_the_receipt()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 38.7223, Lng: -9.1393); // a city of its own
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Tiago Tipped", (pickup.Lat + 0.00054, pickup.Lng));
        var riderEmail = await SignUpAsync(rider, "rider", "Teresa Later");
        await PricesAsync(rider, pickup, "38.7400, -9.1500");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{4}$"));
        var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();

        // The rider shares the trip; someone without an account follows it from the link.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Share trip status" }).ClickAsync();
        var link = await rider.GetByLabel("Share link").InputValueAsync();
        Assert.Matches("/share/[A-Za-z0-9_-]{22}$", link);
        var follower = await PhoneAsync();
        await follower.GotoAsync(link);
        await Expect(follower.GetByTestId("shared-progress")).ToContainTextAsync("Tiago is on the way to pick Teresa up.");
        await Expect(follower.GetByTestId("shared-driver")).ToContainTextAsync("white Toyota Prius · B-UC 1234");
        await Expect(follower.Locator(".leaflet-control-zoom")).ToBeVisibleAsync(); // the map is drawn
        await ShotAsync(follower, "follower-shared-trip");

        // Rider and driver write to each other: typed, and a one-tap reply.
        await rider.GetByLabel("Message to your driver").FillAsync("I'm by the blue door");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(driver.GetByTestId("chat-messages")).ToContainTextAsync("I'm by the blue door");
        await driver.GetByTestId("trip-chat").GetByRole(AriaRole.Button, new() { Name = "On my way" }).ClickAsync();
        await Expect(rider.GetByTestId("chat-messages").Locator("li").Last).ToHaveTextAsync("Your driver: On my way");
        await ShotAsync(rider, "rider-messages");

        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await driver.GetByLabel("Rider's PIN").FillAsync(pin);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(follower.GetByTestId("shared-progress")).ToContainTextAsync("Teresa has arrived");

        // The rider pays the fare without a tip, and is done with the trip.
        var fareCheckout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await fareCheckout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        // Later, from the trip's receipt: a tip of its own, with its own checkout.
        var receipt = await OpenReceiptAsync(rider, "completed");
        var tipButton = receipt.GetByTestId("tip-chooser").GetByRole(AriaRole.Button).First;
        var tip = (await tipButton.TextContentAsync())!.Trim();
        await tipButton.ClickAsync();
        await Expect(receipt.GetByTestId("tip-status")).ToHaveTextAsync($"Tip for your driver: {tip} · waiting for your payment");
        await Expect(receipt.GetByTestId("tip-chooser")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-tip-after-paying");
        var tipCheckout = await rider.Context.RunAndWaitForPageAsync(() => receipt.GetByTestId("tip-pay-link").ClickAsync());
        await Expect(tipCheckout.GetByText("Tip for your driver, trip")).ToBeVisibleAsync();
        await tipCheckout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
        await Expect(receipt.GetByTestId("tip-status")).ToHaveTextAsync($"Tip for your driver: {tip} · paid, thank you");

        await Expect(driver.GetByText($"A rider tipped you {tip} after the ride.")).ToBeVisibleAsync();
        var driverReceipt = await OpenReceiptAsync(driver, "completed");
        await Expect(driverReceipt.GetByTestId("earnings-breakdown")).ToContainTextAsync($"Tip (all yours)+{tip}");
        await ShotAsync(driver, "driver-tipped-after-the-ride");

        // A copy of the receipt by mail: refused until the rider confirmed their email, then on its way, tip included.
        await receipt.GetByRole(AriaRole.Button, new() { Name = "Email me this receipt" }).ClickAsync();
        await Expect(receipt.GetByTestId("mail-receipt-result")).ToContainTextAsync("Confirm your email first");
        await ConfirmEmailAsync(rider, riderEmail);
        receipt = await OpenReceiptAsync(rider, "completed");
        await receipt.GetByRole(AriaRole.Button, new() { Name = "Email me this receipt" }).ClickAsync();
        await Expect(receipt.GetByTestId("mail-receipt-result")).ToHaveTextAsync($"A copy of the receipt is on its way to {riderEmail}.");
        var copy = await stack.Mailbox.WaitForAsync(riderEmail, m => m.Subject.StartsWith("Your UberClone receipt (copy):", StringComparison.Ordinal));
        Assert.Contains("Tip, paid on its own", copy.Text);
        await ShotAsync(rider, "rider-receipt-mailed");
    }

    /// <summary>Confirms the email with the code mailed at sign-up, on the account page, and comes back home.</summary>
    internal static async Task ConfirmEmailAsync(IPage page, string email)
    {
        var web = await TestContext.Current.GetFixture<WebStackFixture>() ?? throw new InvalidOperationException("The web stack is not this test's fixture.");
        var code = await web.Mailbox.ConfirmationCodeForAsync(email);
        await page.GotoAsync("/account");
        var section = page.GetByTestId("account-email-section");
        await section.GetByLabel("Code from the email").FillAsync(code);
        await section.GetByRole(AriaRole.Button, new() { Name = "Confirm email" }).ClickAsync();
        await Expect(section.GetByRole(AriaRole.Status)).ToHaveTextAsync("Confirmed");
        await page.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/rider$"));
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_changes_the_destination_during_the_ride_and_the_driver_is_told_the_new_fare()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 41.1579, Lng: -8.6291); // a city of its own
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Duarte Detour", (pickup.Lat + 0.00054, pickup.Lng));
        await SignUpAsync(rider, "rider", "Dora Detour");
        await PricesAsync(rider, pickup, "41.1700, -8.6100");
        var booked = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await AcceptArriveAndStartAsync(rider, driver);

        // Riding, the rider asks to go farther: sees the new fare first, then confirms it.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Change destination" }).ClickAsync();
        await rider.GetByLabel("New drop-off (lat, lng)").FillAsync("41.1850, -8.5900");
        await rider.GetByRole(AriaRole.Button, new() { Name = "See new fare" }).ClickAsync();
        await Expect(rider.GetByTestId("destination-quote")).ToContainTextAsync($"(was {booked})");
        var newFare = (await rider.GetByTestId("new-fare").TextContentAsync())!.Trim();
        Assert.NotEqual(booked, newFare);
        await ShotAsync(rider, "rider-new-destination-fare");
        var (changed, accepted) = await ConfirmNewDestinationAsync(rider);
        await Expect(changed).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($@"^Destination changed: fare {System.Text.RegularExpressions.Regex.Escape(booked)} → \$[0-9]+\.[0-9]{{2}}$"));
        // Priced again at the confirmation: the car (simulated driving) moved on meanwhile, so the way already
        // driven may differ by a cent or so; never more than the rider accepted.
        var confirmed = (await changed.TextContentAsync())!.Split(" → ")[1].Trim();
        Assert.True(decimal.Parse(confirmed.TrimStart('$'), System.Globalization.CultureInfo.InvariantCulture)
            <= decimal.Parse(accepted.TrimStart('$'), System.Globalization.CultureInfo.InvariantCulture), $"{confirmed} is more than the {accepted} accepted");
        await Expect(rider.GetByRole(AriaRole.Group, new() { Name = "Change destination" })).ToHaveCountAsync(0);
        await Expect(driver.GetByTestId("destination-changed-notice")).ToHaveTextAsync($"The rider changed the destination. New fare: {confirmed}.");
        await ShotAsync(driver, "driver-destination-changed");

        // The completed ride costs the fare the rider confirmed.
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Region, new() { Name = "Your trip" }).GetByTestId("fare-total")).ToHaveTextAsync(confirmed);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task An_offer_says_how_long_the_trip_is_and_is_still_on_screen_after_the_drivers_app_reloads()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 40.4168, Lng: -3.7038); // a city of its own
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Olga Offered", (pickup.Lat + 0.00054, pickup.Lng));
        // An online driver's app asks for its state when something changed, not after every location ping's ack.
        var stateReads = 0;
        driver.Request += (_, request) =>
        {
            if (request.Method == "GET" && request.Url.EndsWith("/api/drivers/me", StringComparison.Ordinal)) Interlocked.Increment(ref stateReads);
        };
        await Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken); // three pings or more
        Assert.True(Volatile.Read(ref stateReads) <= 1, $"{stateReads} reads of the driver's state in 10 s of driving around");

        await SignUpAsync(rider, "rider", "Rhea Reload");
        await PricesAsync(rider, pickup, "40.4400, -3.6900");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        await Expect(driver.GetByTestId("offer-trip")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Trip [0-9.]+ km · about [0-9]+ min$"));
        var before = await driver.GetByTestId("offer-trip").TextContentAsync();
        await Expect(driver.GetByTestId("offer-rider")).ToHaveTextAsync("New rider");

        // The phone reloads the app (or its socket reconnects) while the offer is open: the card comes back from the
        // driver's state, the same trip, the countdown still running, and it can be accepted.
        await driver.ReloadAsync();
        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync(new() { Timeout = 8_000 });
        await Expect(driver.GetByTestId("offer-trip")).ToHaveTextAsync(before!);
        await Expect(driver.GetByTestId("offer-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+ s to answer$"));
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Olga Offered");
        await Expect(driver.GetByTestId("rider-card").Locator("strong")).ToHaveTextAsync("Rhea");

        await driver.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Yes, give it up" }).ClickAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel", Exact = true }).ClickAsync();
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("cancelled", new() { IgnoreCase = true });
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_declined_offer_goes_to_the_next_driver_and_a_rider_who_cancels_withdraws_it_from_their_screen()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        // Another city than the other test's, whose driver may still be online there.
        var pickup = (Lat: 48.8566, Lng: 2.3522);
        var rider = await PhoneAsync();
        var near = await PhoneAsync();
        var further = await PhoneAsync();

        // Two drivers north of the pickup, 60 m and 300 m away: dispatch offers the trip to the nearer one first.
        await DriverOnlineAsync(near, "Nico Near", (pickup.Lat + 0.00054, pickup.Lng));
        await DriverOnlineAsync(further, "Fay Further", (pickup.Lat + 0.0027, pickup.Lng));

        // The rider types the route, a key at a time as a person does (a half-typed point is kept, not wiped).
        await SignUpAsync(rider, "rider", "Rosa Rider");
        await rider.GetByLabel("Pickup (lat, lng)").PressSequentiallyAsync($"{pickup.Lat}, {pickup.Lng}");
        // Half a point is no point: said once the rider leaves the field, and no prices for it.
        await rider.GetByLabel("Drop-off (lat, lng)").PressSequentiallyAsync("48.87");
        await rider.GetByLabel("Pickup (lat, lng)").FocusAsync();
        await Expect(rider.GetByText("Type latitude, longitude, e.g. 52.52, 13.40")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "See prices" })).ToBeDisabledAsync();
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("48.87, 2.38");
        await Expect(rider.GetByText("Type latitude, longitude, e.g. 52.52, 13.40")).ToBeHiddenAsync();
        await Expect(rider.GetByLabel("Pickup (lat, lng)")).ToHaveValueAsync($"{pickup.Lat}, {pickup.Lng}");
        await rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync();
        await Expect(rider.GetByTestId("eta-economy")).ToHaveTextAsync("1 min away");

        // Prices are for the route they were asked for: another drop-off takes them away until asked again.
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("48.86, 2.37");
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeHiddenAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync();
        // Prices left on screen past their validity (10 minutes; here the phone's clock jumps there) cannot be booked.
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeEnabledAsync();
        await rider.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddMinutes(11));
        await Expect(rider.GetByText("These prices have expired: see the new ones before you book.")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeDisabledAsync();
        // "See new prices" asks for them while the phone's clock is still ahead (set back at once after: the expiry is read
        // again every second, so a clock set back first would hide the button before it could be pressed).
        var renewed = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See new prices" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal));
        Assert.True(renewed.Ok, $"New prices: {renewed.Status}");
        await rider.Clock.SetFixedTimeAsync(DateTime.UtcNow);
        await Expect(rider.GetByText("These prices have expired: see the new ones before you book.")).ToBeHiddenAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });

        await Expect(near.GetByText("New trip request")).ToBeVisibleAsync();
        await Expect(further.GetByText("New trip request")).ToBeHiddenAsync();
        await near.GetByRole(AriaRole.Button, new() { Name = "Decline" }).ClickAsync();
        await Expect(near.GetByTestId("driver-state")).ToHaveTextAsync("available");
        // The decline counts in the driver's acceptance rate, which their screen shows.
        await Expect(near.GetByTestId("driver-acceptance")).ToHaveTextAsync("Acceptance rate: 0% of your last 1 offer (0 accepted, 1 declined, 0 missed)");

        // Declined: the next driver is offered the trip at once; the rider is still searching, never told "no drivers".
        await Expect(further.GetByText("New trip request")).ToBeVisibleAsync();
        await Expect(further.GetByTestId("driver-state")).ToHaveTextAsync("offered");
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(near.GetByText("New trip request")).ToBeHiddenAsync();
        await ShotAsync(further, "next-driver-offered");

        // The rider cancels before anyone accepted: free, and the pending offer leaves the driver's screen with why.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
        await Expect(rider.GetByTestId("cancel-confirmation")).ToHaveTextAsync("Cancel this trip? No driver is on the way yet: it is free.");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel" }).ClickAsync();
        await Expect(rider.GetByText("Trip cancelled at no charge.")).ToBeVisibleAsync();
        await Expect(further.GetByText("The rider cancelled the trip.")).ToBeVisibleAsync();
        await Expect(further.GetByText("New trip request")).ToBeHiddenAsync();
        await Expect(further.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await ShotAsync(rider, "rider-cancelled-while-searching");
        await ShotAsync(further, "offer-withdrawn");

        // Both drivers can go offline (neither is held by the cancelled trip).
        await near.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(near.GetByTestId("driver-state")).ToHaveTextAsync("offline");
        await further.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(further.GetByTestId("driver-state")).ToHaveTextAsync("offline");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_who_gives_up_sends_the_trip_to_the_next_one_and_a_late_cancellation_asks_the_rider_to_accept_the_fee()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 41.3874, Lng: 2.1686); // Barcelona: no other test's drivers here
        var rider = await PhoneAsync();
        var near = await PhoneAsync();
        var further = await PhoneAsync();

        await DriverOnlineAsync(near, "Gus Gaveup", (pickup.Lat + 0.00054, pickup.Lng));
        await DriverOnlineAsync(further, "Flo Follows", (pickup.Lat + 0.0027, pickup.Lng));
        await SignUpAsync(rider, "rider", "Rhea Rider");
        await PricesAsync(rider, pickup, "41.40, 2.19");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("cancellation-terms")).ToHaveTextAsync("Free to cancel until a driver is on the way, and for 1 min after.");

        await near.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Gus Gaveup");
        await Expect(rider.GetByTestId("cancellation-terms")).ToContainTextAsync("Free cancellation until");

        // The driver gives the trip up, after saying yes to what that means.
        await near.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(near.GetByRole(AriaRole.Group, new() { Name = "Give up this trip?" })).ToBeVisibleAsync();
        await near.GetByRole(AriaRole.Button, new() { Name = "Yes, give it up" }).ClickAsync();
        await Expect(near.GetByText("You gave the trip up. The rider is being matched with another driver.")).ToBeVisibleAsync();
        await Expect(near.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(near.GetByRole(AriaRole.List, new() { Name = "Trip history" })).ToContainTextAsync("you gave it up");
        await Expect(rider.GetByText("Your driver cancelled. Looking for another driver near you, at no cost to you…")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-driver-gave-up");
        await rider.ReloadAsync(); // the trip itself says why it is searching again
        await Expect(rider.GetByText("Your driver cancelled. Looking for another driver near you, at no cost to you…")).ToBeVisibleAsync();

        // The next driver is offered it; from here on the rider's phone clock stands still before this assignment (a
        // phone whose clock is behind), so the screen goes on saying "free" after the free window has ended.
        var beforeAssignment = DateTime.UtcNow;
        await further.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("driver-card")).ToContainTextAsync("Flo Follows");
        await rider.Clock.SetFixedTimeAsync(beforeAssignment);
        await Expect(rider.GetByTestId("cancellation-terms")).ToContainTextAsync("Free cancellation until");
        await Task.Delay(WebStackFixture.FreeCancellationWindow + TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        // Confirmed as free, refused as late: nothing is cancelled, and the rider is asked again, with the fee.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Cancel trip" }).ClickAsync();
        await Expect(rider.GetByTestId("cancel-confirmation")).ToHaveTextAsync("Cancel this trip? It is free.");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel" }).ClickAsync();
        await Expect(rider.GetByText("Your free cancellation ended before your request arrived, so nothing was cancelled.")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("cancel-confirmation")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Cancel this trip\? A cancellation fee of \D*5\.00 applies\.$"));
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("driver assigned", new() { IgnoreCase = true });
        await ShotAsync(rider, "rider-late-cancellation-fee");

        await rider.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Yes, cancel and pay ") }).ClickAsync();
        await Expect(rider.GetByText(new System.Text.RegularExpressions.Regex(@"Trip cancelled: a cancellation fee of \D*5\.00 applies\."))).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("pay-link")).ToBeVisibleAsync();
        await Expect(further.GetByText("The rider cancelled the trip.")).ToBeVisibleAsync();
        await Expect(further.GetByTestId("driver-state")).ToHaveTextAsync("available");
        var receipt = await OpenReceiptAsync(rider, "cancelled");
        await Expect(receipt).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Cancelled by you: cancellation fee \D*5\.00\."));
        await Expect(receipt).ToContainTextAsync("payment pending");

        // The fee is paid before the next ride: after "Done" the rider is shown what is due and how to pay it, and a
        // booking meanwhile is refused, saying why.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(rider.GetByTestId("unpaid-trip")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Your cancelled trip at .+ is not paid yet: \D*5\.00\. Pay it to book your next ride\."));
        // The card's pay link comes with a read of its own and makes the card taller: the form below it moves once it
        // is there, and a click aimed at "See prices" before that could land elsewhere.
        await Expect(rider.GetByTestId("unpaid-pay-link")).ToBeVisibleAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sample route" }).ClickAsync();
        await SeePricesAsync(rider);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.Locator("main p[role=alert]").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("is not paid yet .*; pay it before booking another\\.") })).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-unpaid-fee");
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("unpaid-pay-link").ClickAsync());
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("unpaid-trip")).ToBeHiddenAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_status_read_answered_after_the_driver_went_online_does_not_show_them_offline_again()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        await SignUpAsync(driver, "driver", "Sam Slowread");

        // The page's status reads before going online are answered by the gateway at once ("never online") but reach the
        // page only after the driver went online, as on a slow network.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var online = false;
        var held = new List<Task>();
        var delivered = 0;
        await driver.RouteAsync("**/api/drivers/me", async route =>
        {
            if (Volatile.Read(ref online))
            {
                await route.ContinueAsync();
                return;
            }
            var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (held) held.Add(settled.Task);
            try
            {
                var answer = await route.FetchAsync();
                await release.Task;
                await route.FulfillAsync(new() { Response = answer });
                Interlocked.Increment(ref delivered);
            }
            catch (PlaywrightException)
            {
                // The page that asked is gone (sign-up's /driver, left for /driver?start=): its request was aborted.
                // Before this catch the test waited for ever for it (the hang CI met twice).
            }
            finally
            {
                settled.TrySetResult();
            }
        });
        await driver.GotoAsync($"/driver?start={City.Lat - 0.3},{City.Lng}");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        Volatile.Write(ref online, true);

        release.SetResult();
        Task[] late;
        lock (held) late = [.. held];
        Assert.NotEmpty(late);
        await Task.WhenAll(late).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(Volatile.Read(ref delivered) >= 1, "a late answer reached the page");
        await Task.Delay(1_000, TestContext.Current.CancellationToken); // the page handles the late answers
        Assert.Equal("available", (await driver.GetByTestId("driver-state").TextContentAsync())?.Trim());
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" })).ToBeVisibleAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_status_read_that_fails_after_an_older_one_was_dropped_is_made_again()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Rae Retry", (City.Lat - 0.4, City.Lng));

        // After a reload the page reads the driver's status twice (on load, and on the socket's snapshot): the first
        // answer arrives late, after the second read, which fails (a dropped connection). The first is stale by then
        // and dropped, so only reading again puts the driver's state on screen.
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        await driver.RouteAsync("**/api/drivers/me", async route =>
        {
            switch (Interlocked.Increment(ref reads))
            {
                case 1:
                    var answer = await route.FetchAsync();
                    await firstHeld.Task;
                    await route.FulfillAsync(new() { Response = answer });
                    break;
                case 2:
                    await route.AbortAsync("connectionreset");
                    firstHeld.TrySetResult();
                    break;
                default:
                    await route.ContinueAsync();
                    break;
            }
        });
        await driver.ReloadAsync();

        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        Assert.True(Volatile.Read(ref reads) >= 3, $"{reads} status reads");
        await Expect(driver.GetByText("Could not load your status.")).ToBeHiddenAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_whose_phone_stops_sending_its_location_is_taken_offline_and_told_why()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Lou Lost", (City.Lat + 0.4, City.Lng));

        // Real location instead of the simulated car, and the browser has no permission for it: no more pings.
        await driver.GetByLabel("Simulate driving").UncheckAsync();
        await Expect(driver.GetByText("Location is not available: allow it or use simulated driving.")).ToBeVisibleAsync();

        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
        await Expect(driver.GetByText(new System.Text.RegularExpressions.Regex("^We had no location from your phone for .+, so you were taken offline\\. Go online again when you are ready to drive\\.$"))).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-offline-after-silence");

        // With location back the driver goes online again, and the notice goes away.
        await driver.GetByLabel("Simulate driving").CheckAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(driver.GetByText(new System.Text.RegularExpressions.Regex("^We had no location"))).ToBeHiddenAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task An_access_token_that_expires_or_is_refused_is_renewed_and_a_session_that_cannot_be_is_ended_clearly()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        await SignUpAsync(rider, "rider", "Tia Token");
        var renewals = 0;
        await rider.RouteAsync("**/api/auth/refresh", async route =>
        {
            Interlocked.Increment(ref renewals);
            await route.ContinueAsync();
        });
        // Which token each request for prices carried; the gateway refuses the next one while `refuse` is set.
        var tokens = new List<string>();
        var refuse = 0;
        await rider.RouteAsync("**/api/trips/quotes", async route =>
        {
            lock (tokens) tokens.Add(route.Request.Headers.GetValueOrDefault("authorization", ""));
            if (Interlocked.Exchange(ref refuse, 0) == 1)
            {
                await route.FulfillAsync(new() { Status = 401, ContentType = "application/problem+json", Body = """{"status":401,"title":"Unauthorized"}""" });
            }
            else await route.ContinueAsync();
        });
        var signUpToken = await rider.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).accessToken");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sample route" }).ClickAsync();

        // Access tokens live 15 minutes. The phone's clock says this one expires in under a minute: renewed first.
        await rider.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddMinutes(14.5));
        await SeePricesAsync(rider);
        Assert.True(Volatile.Read(ref renewals) >= 1, "renewed before the call");
        lock (tokens) Assert.NotEqual($"Bearer {signUpToken}", tokens[^1]);
        await rider.Clock.SetFixedTimeAsync(DateTime.UtcNow);

        // The gateway refuses a token the phone thought good (its clock, or a stack restarted with a new signing key):
        // renewed, and the request sent once more with the new one.
        lock (tokens) tokens.Clear();
        Volatile.Write(ref refuse, 1);
        await SeePricesAsync(rider);
        lock (tokens)
        {
            Assert.Equal(2, tokens.Count);
            Assert.NotEqual(tokens[0], tokens[1]);
        }
        await Expect(rider.Locator("main p[role=alert]")).ToHaveCountAsync(0); // no error on screen

        // The renewed session (its rotated refresh token) survives a reload, socket included.
        await rider.ReloadAsync();
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sample route" }).ClickAsync();
        await SeePricesAsync(rider);

        // A session that cannot be renewed (signed out on another device, the refresh token expired): sign in again.
        await rider.RouteAsync("**/api/auth/refresh", route => route.FulfillAsync(new()
        {
            Status = 401, ContentType = "application/problem+json", Body = """{"status":401,"title":"Unauthorized","detail":"The refresh token is no longer valid."}""",
        }));
        await rider.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddMinutes(16));
        await rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync();
        await Expect(rider.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
        await Expect(rider.GetByRole(AriaRole.Tab, new() { Name = "Sign in" })).ToHaveAttributeAsync("aria-selected", "true");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_in_a_city_with_its_own_prices_sees_them_in_its_currency_and_only_its_classes()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        await SignUpAsync(rider, "rider", "Yoko Yen");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("70.0100, 20.0100");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("69.9900, 20.0500");
        await SeePricesAsync(rider);
        // Yen have no minor unit: the quote's whole yen are shown as such (not divided by 100).
        await Expect(rider.GetByTestId("price-economy")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^¥[0-9,]{3,}$"));
        await Expect(rider.GetByTestId("price-comfort")).ToHaveCountAsync(0);
        await ShotAsync(rider, "rider-prices-in-yen");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_books_a_ride_for_later_at_the_price_shown_sees_it_waiting_moves_it_and_cancels_it_free()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        await SignUpAsync(rider, "rider", "Lea Later");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("48.8566, 2.3522");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("48.8700, 2.3800");
        await People.ChooseLaterAsync(rider);
        // An hour from now, as the phone counts (the field's own suggestion).
        var pickupTime = await rider.GetByLabel("Pickup time").InputValueAsync();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$", pickupTime);
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        var price = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();

        // Booked: said once, listed under "Booked for later" at that price; the screen is ready for a ride now.
        await Expect(rider.GetByText(new System.Text.RegularExpressions.Regex($"^Booked for .+: economy, {System.Text.RegularExpressions.Regex.Escape(price)}\\. We start looking for your driver 15 minutes before\\.$"))).ToBeVisibleAsync();
        var booked = rider.GetByTestId("scheduled-ride");
        await Expect(booked).ToHaveCountAsync(1);
        await Expect(booked).ToContainTextAsync(price);
        await Expect(booked).ToContainTextAsync("Cancelling is free until a driver is assigned.");
        await Expect(rider.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "See prices" })).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-booked-for-later");
        await Expect(booked.GetByTestId("scheduled-ride-time")).ToHaveTextAsync(await ShownPickupTimeAsync(rider, pickupTime));

        // Moved an hour later: the form starts at the time booked; saved, the row shows the new time, at the same price.
        var movedTo = DateTime.ParseExact(pickupTime, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            .AddHours(1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await booked.GetByTestId("scheduled-change").ClickAsync();
        await Expect(booked.GetByTestId("scheduled-change-time")).ToHaveValueAsync(pickupTime);
        await booked.GetByTestId("scheduled-change-time").FillAsync(movedTo);
        await booked.GetByTestId("scheduled-change-save").ClickAsync();
        await Expect(booked.GetByTestId("scheduled-change-time")).ToHaveCountAsync(0);
        await Expect(booked.GetByTestId("scheduled-ride-time")).ToHaveTextAsync(await ShownPickupTimeAsync(rider, movedTo));
        await Expect(booked).ToContainTextAsync(price);

        // Too soon (in 10 minutes, as the phone counts): refused, said in the form; the ride keeps its time.
        await booked.GetByTestId("scheduled-change").ClickAsync();
        var tooSoon = await rider.EvaluateAsync<string>("() => new Date(Date.now() + 10 * 60_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16)");
        await booked.GetByTestId("scheduled-change-time").FillAsync(tooSoon);
        await booked.GetByTestId("scheduled-change-save").ClickAsync();
        await Expect(booked.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least");
        await ShotAsync(rider, "rider-moves-a-ride-too-soon");
        await booked.GetByTestId("scheduled-change-keep").ClickAsync();
        await Expect(booked.GetByTestId("scheduled-change-time")).ToHaveCountAsync(0);
        await Expect(booked.GetByTestId("scheduled-ride-time")).ToHaveTextAsync(await ShownPickupTimeAsync(rider, movedTo));

        // Still there after a reload; cancelled (asked twice), it is gone, free.
        await rider.ReloadAsync();
        await Expect(booked).ToHaveCountAsync(1);
        await booked.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cancel the ride booked for ") }).ClickAsync();
        await booked.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel it" }).ClickAsync();
        await Expect(rider.GetByTestId("scheduled-rides")).ToHaveCountAsync(0);
        await OpenReceiptAsync(rider, "cancelled");
        await Expect(rider.GetByRole(AriaRole.List, new() { Name = "Trip history" })).ToContainTextAsync("Cancelled by you, at no charge.");
    }

    /// <summary>A pickup time (a datetime-local value) as a ride booked for later shows it, in the phone's language and time zone.</summary>
    internal static Task<string> ShownPickupTimeAsync(IPage page, string localTime) => page.EvaluateAsync<string>(
        "local => new Date(local).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })", localTime);

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_heading_home_takes_only_trips_their_way_until_they_take_any_trip_again()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        await Expect(driver.GetByTestId("heading-to")).ToHaveCountAsync(0);
        await DriverOnlineAsync(driver, "Hana Home", (City.Lat - 0.6, City.Lng));
        var card = driver.GetByTestId("heading-to");
        await card.GetByLabel("Destination (lat, lng)").FillAsync("52.5, 13.2");
        await card.GetByRole(AriaRole.Button, new() { Name = "Only trips towards it" }).ClickAsync();
        await Expect(card.GetByTestId("heading-to-status")).ToHaveTextAsync("Only trips towards 52.50000, 13.20000 are offered to you.");
        await ShotAsync(driver, "driver-heading-home");

        // Kept by the service: still there after a reload.
        await driver.ReloadAsync();
        await Expect(driver.GetByTestId("heading-to-status")).ToContainTextAsync("52.50000, 13.20000");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Take any trip" }).ClickAsync();
        await Expect(driver.GetByLabel("Destination (lat, lng)")).ToBeVisibleAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("heading-to")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_who_waits_in_vain_at_the_pickup_cancels_and_the_rider_is_told_they_pay_the_fee()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 59.3293, Lng: 18.0686); // Stockholm: a city of its own
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        await DriverOnlineAsync(driver, "Nils Noshow", (pickup.Lat + 0.00054, pickup.Lng));
        await SignUpAsync(rider, "rider", "Astrid Absent");
        await PricesAsync(rider, pickup, "59.3400, 18.0900");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await Expect(rider.GetByText("Your driver has arrived.")).ToBeVisibleAsync();

        // The driver waits (here a few seconds; 5 minutes by default): until then the app says when they may cancel.
        await Expect(driver.GetByTestId("no-show-wait")).ToContainTextAsync("they pay the cancellation fee, which you earn");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Rider didn't show up" }).ClickAsync(new() { Timeout = 60_000 });
        await driver.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel for a no-show" }).ClickAsync();
        await Expect(driver.GetByText(new System.Text.RegularExpressions.Regex(@"^The trip was cancelled because the rider did not come: you earned \$\d+\.\d\d of the rider's cancellation fee\.$"))).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-no-show");

        await Expect(rider.GetByText(new System.Text.RegularExpressions.Regex(@"^Your driver waited at the pickup and cancelled: you did not come\. A cancellation fee of \$5\.00 applies\.$"))).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-no-show");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_session_ended_elsewhere_while_the_phone_was_between_networks_sends_the_app_to_sign_in()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        // The phone's socket goes through the test, which can make it drop the way a phone changing networks does.
        var dropNext = 0;
        await rider.RouteWebSocketAsync(url => new Uri(url).AbsolutePath == "/ws", page =>
        {
            var server = page.ConnectToServer();
            server.OnClose((code, why) =>
            {
                // Dropped: the page never hears the gateway's close (nor its code), only that the connection went away.
                if (Interlocked.Exchange(ref dropNext, 0) == 1) _ = page.CloseAsync(new() { Code = 1001, Reason = "connection lost" });
                else _ = page.CloseAsync(new() { Code = code, Reason = why });
            });
        });
        // A rider whose trip is searching (nobody drives here): the app calls nothing by itself until the search ends.
        await SignUpAsync(rider, "rider", "Ada Away");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("-33.4489, -70.6693");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("-33.4300, -70.6500");
        await SeePricesAsync(rider);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");
        await rider.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The rider signs out everywhere from another device. The gateway closes this phone's socket to say so, but
        // the phone is between networks: its socket just goes away, without the gateway's reason.
        var token = await rider.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).accessToken");
        Volatile.Write(ref dropNext, 1);
        var signedOut = await rider.APIRequest.PostAsync("/api/auth/signout-everywhere", new() { Headers = new Dictionary<string, string> { ["authorization"] = $"Bearer {token}" } });
        Assert.Equal(204, signedOut.Status);

        // Back on a network the gateway refuses its socket's token. The browser does not say why a socket was refused,
        // so the app renews its session to find out, cannot, and sends the rider to sign in (well before the search
        // ends) instead of trying the dead token for ever.
        await Assertions.Expect(rider).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?ended=1$"), new() { Timeout = 30_000 });
        await Expect(rider.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
        Assert.Equal(0, Volatile.Read(ref dropNext)); // the socket was dropped, not told
        // How the app found out is not pinned: usually its new socket is refused, but a REST call it makes when the
        // socket drops (reading the trip again) may be refused first (CI runs saw both); either way it ends at sign-in.
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_drivers_socket_is_handed_the_renewed_token_before_its_own_expires_and_stays_open()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await PhoneAsync();
        // The phone's timers under the test's control (time still runs by itself), so 14 minutes can pass at once.
        await driver.Clock.InstallAsync();
        var sockets = new List<IWebSocket>();
        var sent = new List<string>();
        var authAck = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.WebSocket += (_, socket) =>
        {
            if (!new Uri(socket.Url).AbsolutePath.Equals("/ws", StringComparison.Ordinal)) return; // the dev server's own socket
            lock (sockets) sockets.Add(socket);
            socket.FrameSent += (_, frame) => { lock (sent) sent.Add(frame.Text ?? ""); };
            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Text is { } text && text.Contains("\"socket.auth\"", StringComparison.Ordinal)) authAck.TrySetResult(text);
            };
        };
        var renewals = 0;
        await driver.RouteAsync("**/api/auth/refresh", async route =>
        {
            Interlocked.Increment(ref renewals);
            await route.ContinueAsync();
        });
        await DriverOnlineAsync(driver, "Rene Renewed", (City.Lat - 0.4, City.Lng));
        var socketToken = await driver.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).accessToken");
        int opened;
        lock (sockets) opened = sockets.Count; // one per page loaded (sign-up's redirect, then /driver?start=)

        // Access tokens live 15 minutes, and the gateway closes a socket whose token expired. 14 minutes 20 later the
        // phone has renewed its session and handed the socket the new token.
        await driver.Clock.FastForwardAsync("14:20");
        var ack = System.Text.Json.Nodes.JsonNode.Parse(await authAck.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken))!;
        var renewed = await driver.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).accessToken");
        Assert.NotEqual(socketToken, renewed);
        lock (sent) Assert.Contains(sent, frame => frame.Contains("\"type\":\"auth\"", StringComparison.Ordinal) && frame.Contains(renewed, StringComparison.Ordinal));
        Assert.Equal("ack", ack["type"]!.GetValue<string>());
        Assert.True(ack["data"]!["result"]!["validUntil"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(14), "the socket's validity moved to the new token's");

        // The same socket, still live; nothing shown to the driver.
        await Expect(driver.GetByTestId("connection")).ToHaveTextAsync("● live");
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(driver.Locator("main p[role=alert]")).ToHaveCountAsync(0);
        lock (sockets)
        {
            Assert.Equal(opened, sockets.Count);
            Assert.False(sockets[^1].IsClosed);
        }

        // The phone's clock is now 14 minutes ahead of the gateway's. The renewed token's expiry was counted on the
        // phone's clock (from its lifetime, not the gateway's expiresAt), so the next calls do not renew it again.
        var renewalsSoFar = Volatile.Read(ref renewals);
        Assert.True(renewalsSoFar >= 1);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        Assert.Equal(renewalsSoFar, Volatile.Read(ref renewals));
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");

        // Signing out revokes the session at the gateway (with the refresh token alone), and closes the socket.
        var refreshToken = await driver.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).refreshToken");
        await driver.RunAndWaitForResponseAsync(
            () => driver.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            response => response.Url.EndsWith("/api/auth/signout", StringComparison.Ordinal) && response.Status == 204);
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        var refresh = await driver.APIRequest.PostAsync("/api/auth/refresh", new() { DataObject = new { refreshToken } });
        Assert.Equal(401, refresh.Status);
        // The page closes its socket as it leaves; the close reaches the test a moment later.
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(100, TestContext.Current.CancellationToken))
        {
            bool closed;
            lock (sockets) closed = sockets[^1].IsClosed;
            if (closed) break;
            Assert.True(DateTime.UtcNow < deadline, "The socket was still open 10 s after signing out.");
        }
    }

    /// <summary>Types the route (the pickup as a point, the drop-off as "lat, lng") and waits for its prices.</summary>
    internal static async Task PricesAsync(IPage rider, (double Lat, double Lng) pickup, string dropoff)
    {
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{pickup.Lat}, {pickup.Lng}");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync(dropoff);
        await SeePricesAsync(rider);
    }

    /// <summary>
    /// Asks for prices and waits until the gateway has answered with them. Asked again (harmless: a quote changes
    /// nothing) when no answer came in 20 s: a CI run once waited its whole minute for a quote whose request no log
    /// shows was ever sent (a click the dev server's page lost while it was still loading).
    /// </summary>
    internal static async Task SeePricesAsync(IPage rider)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await rider.RunAndWaitForResponseAsync(
                    () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
                    response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200,
                    new() { Timeout = 20_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                Console.WriteLine($"No prices 20 s after asking (attempt {attempt}); asking again.");
            }
        }
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// The driver accepts the rider's booked trip, arrives (their car waits beside the pickup), takes the PIN the
    /// rider's app shows and starts the ride; returns once the rider's app says it is under way.
    /// </summary>
    internal static async Task AcceptArriveAndStartAsync(IPage rider, IPage driver)
    {
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await ArriveAndStartAsync(rider, driver);
    }

    /// <summary>
    /// The rider confirms the new destination's fare they were shown; returns the "Destination changed" line and the fare
    /// the rider accepted last. The fare is priced again on arrival from where the (simulated, driving) car is then: when
    /// it went up meanwhile the app says so and shows the new fare (409, nothing changed), and the rider confirms that
    /// one, as a rider would.
    /// </summary>
    internal static async Task<(ILocator Changed, string Accepted)> ConfirmNewDestinationAsync(IPage rider)
    {
        var changed = rider.GetByTestId("destination-changed");
        var refused = rider.GetByText("The fare changed while you confirmed (your car moved on).", new() { Exact = false });
        for (var attempt = 1; ; attempt++)
        {
            var accepted = (await rider.GetByTestId("new-fare").TextContentAsync())!.Trim();
            await rider.GetByRole(AriaRole.Button, new() { Name = "Confirm new destination" }).ClickAsync();
            await Expect(changed.Or(refused)).ToBeVisibleAsync();
            if (await changed.IsVisibleAsync() || attempt == 3) return (changed, accepted);
            Console.WriteLine($"The new destination's fare went up from {accepted} before the confirmation arrived (attempt {attempt}); confirming the new fare.");
            // The app asks for the new fare itself; should that answer not come, the rider asks again.
            var seeNewFare = rider.GetByRole(AriaRole.Button, new() { Name = "See new fare" });
            await Expect(rider.GetByTestId("new-fare").Or(seeNewFare)).ToBeVisibleAsync();
            if (await seeNewFare.IsVisibleAsync()) await seeNewFare.ClickAsync();
            await Expect(rider.GetByTestId("new-fare")).ToBeVisibleAsync();
        }
    }

    /// <summary>
    /// The driver of the rider's accepted trip arrives, takes the PIN the rider's app shows and starts the ride; returns
    /// once the rider's app says it is under way.
    /// </summary>
    internal static async Task ArriveAndStartAsync(IPage rider, IPage driver)
    {
        await Expect(rider.GetByTestId("pin")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]{4}$"));
        var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();
        await driver.GetByRole(AriaRole.Button, new() { Name = "I have arrived" }).ClickAsync();
        await Expect(rider.GetByText("Your driver has arrived.")).ToBeVisibleAsync();
        await driver.GetByLabel("Rider's PIN").FillAsync(pin);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Start trip" }).ClickAsync();
        await Expect(rider.GetByText("On the way to your destination.")).ToBeVisibleAsync();
    }

    /// <summary>A person's phone: a browser context of its own (own storage, own session), phone-sized.</summary>
    private Task<IPage> PhoneAsync() => _people.PhoneAsync();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    /// <summary>A new driver whose simulated car starts at <paramref name="start"/>, online and available: their email.</summary>
    internal static async Task<string> DriverOnlineAsync(IPage driver, string name, (double Lat, double Lng) start)
    {
        var email = await SignUpAsync(driver, "driver", name);
        await driver.GotoAsync($"/driver?start={start.Lat},{start.Lng}");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        return email;
    }

    /// <summary>An amount as the web app shows it ("$12.24", "−$2.00", "+$1.22"), in cents.</summary>
    internal static long Cents(string shown) => long.Parse(shown.Trim().TrimStart('−', '+', '$').Replace(".", "").Replace(",", ""));

    /// <summary>Opens the newest trip of <paramref name="status"/> in the page's history; its receipt.</summary>
    internal static async Task<ILocator> OpenReceiptAsync(IPage page, string status)
    {
        var history = page.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await history.GetByText(new System.Text.RegularExpressions.Regex($"· {status}$")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-]");
        await Expect(receipt).ToBeVisibleAsync();
        return receipt;
    }

    /// <summary>
    /// Signs a new rider or driver up (with a new email, which it returns) and waits for their app. A driver then sends
    /// their documents in the app, support approves every class (through the API), and the app says they may go online.
    /// </summary>
    internal static async Task<string> SignUpAsync(IPage page, string role, string name)
    {
        var email = await CreateAccountAsync(page, role, name);
        if (role != "driver") return email;
        await SendDocumentsAsync(page);
        var stack = await TestContext.Current.GetFixture<WebStackFixture>() ?? throw new InvalidOperationException("The web stack is not this test's fixture.");
        await stack.ApproveDriverAsync(email, "economy", "comfort", "xl", "premium");
        await Expect(page.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy, comfort, xl, premium until");
        return email;
    }

    /// <summary>Signs a new rider or driver up (with a new email, which it returns) and waits for their app; a driver is not approved yet.</summary>
    internal static async Task<string> CreateAccountAsync(IPage page, string role, string name)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = role == "driver" ? "Drive" : "Ride" }).CheckAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(People.SignUpPassword);
        if (role == "driver")
        {
            await page.GetByLabel("Make").FillAsync("Toyota");
            await page.GetByLabel("Model").FillAsync("Prius");
            await page.GetByLabel("Plate").FillAsync("B-UC 1234");
            await page.GetByLabel("Colour").FillAsync("white");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(role == "driver" ? "/driver$" : "/rider$"));
        return email;
    }

    /// <summary>
    /// A driver who may not drive yet fills the documents form in their app (a licence and an insurance valid about two
    /// more years, a 2019 car) and sends it; returns once the app says support reviews them.
    /// </summary>
    internal static async Task SendDocumentsAsync(IPage driver, string insurancePolicy = "AX-2291-77")
    {
        var card = driver.GetByTestId("driver-approval");
        var validUntil = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await card.GetByLabel("Driving licence number").FillAsync("B072 RRE2 I55");
        await card.GetByLabel("Licence valid until").FillAsync(validUntil);
        await card.GetByLabel("Insurance policy number").FillAsync(insurancePolicy);
        await card.GetByLabel("Insurance valid until").FillAsync(validUntil);
        await card.GetByLabel("Vehicle year").FillAsync("2019");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();
        await Expect(card.GetByTestId("driver-approval-status")).ToContainTextAsync("Under review since");
    }

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
