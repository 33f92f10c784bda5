using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Promotions (docs/decisions/0021) in the browser: support creates a code at the desk, a rider adds it on their account
/// page, sees it on a quote, rides and pays the fare less it, and support ends it; a welcome code for riders who have not
/// ridden; a rider's invite code, which a friend rides with and which earns the rider a ride off.
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
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
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
        await Expect(pay).ToHaveTextAsync($"Pay {due}");
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

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_welcome_code_is_only_for_riders_who_have_not_ridden_and_a_friend_who_rides_with_a_riders_invite_earns_them_a_ride_off()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 47.4979, Lng: 19.0402); // Budapest: no other test's drivers here
        var welcome = $"WELCOME{Random.Shared.Next(100_000, 1_000_000)}";
        var desk = await _people.DeskAsync();
        var inviter = await _people.PhoneAsync();
        var friend = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();

        // Support: $3.00 off, only for riders who have not ridden yet.
        await _people.SignInAtTheDeskAsync(desk);
        var form = desk.GetByTestId("ops-promotion-form");
        await form.GetByTestId("ops-promotion-code").FillAsync(welcome);
        await form.GetByTestId("ops-promotion-kind").SelectOptionAsync("amount");
        await form.GetByTestId("ops-promotion-amount").FillAsync("3.00");
        await form.GetByTestId("ops-promotion-new-riders").CheckAsync();
        await form.GetByTestId("ops-promotion-create").ClickAsync();
        await Expect(desk.GetByTestId($"ops-promotion-{welcome}")).ToContainTextAsync($"{welcome} · $3.00 off · 1 ride per rider · new riders only");
        await Expect(form.GetByTestId("ops-promotion-new-riders")).Not.ToBeCheckedAsync();
        await ShotAsync(desk, "welcome-created");

        // A rider's invite code, on their account page: what it gives, copied to share; it is not for themselves.
        await inviter.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await RideInTheBrowserTests.SignUpAsync(inviter, "rider", "Ilona Inviter");
        await OpenAccountAsync(inviter);
        await Expect(inviter.GetByTestId("invite")).ToContainTextAsync(
            "Friends who have not ridden get 50% off their first ride (up to $10.00); you get $5.00 off a ride when they take it");
        await Expect(inviter.GetByTestId("invite-friends")).ToHaveTextAsync("No friend has added it yet.");
        var code = (await inviter.GetByTestId("invite-code").TextContentAsync())!.Trim();
        Assert.Matches("^INV[A-Z0-9]{12}$", code);
        await inviter.GetByTestId("invite-copy").ClickAsync();
        await Expect(inviter.GetByTestId("invite-copy")).ToHaveTextAsync("Copied");
        Assert.Equal(code, await inviter.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await inviter.GetByTestId("promotion-code-input").FillAsync(code);
        await inviter.GetByTestId("promotion-add").ClickAsync();
        await Expect(inviter.GetByTestId("promotion-error")).ToContainTextAsync("That is your own invite code");
        await ShotAsync(inviter, "invite");

        // The inviter goes back to their rider page, connected: that is where they are told.
        await inviter.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(inviter).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(inviter.GetByTestId("connection")).ToHaveTextAsync("● live");

        // A friend who has not ridden adds the code and takes their first ride with half off.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Gabor Giving", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(friend, "rider", "Flora Friend");
        await OpenAccountAsync(friend);
        await friend.GetByTestId("promotion-code-input").FillAsync(code);
        await friend.GetByTestId("promotion-add").ClickAsync();
        await Expect(friend.GetByTestId($"promotion-{code}")).ToContainTextAsync($"{code} · 50% off, up to $10.00 · 1 of 1 ride left");
        await friend.GetByTestId("account-back").ClickAsync();
        await Assertions.Expect(friend).ToHaveURLAsync(new Regex("/rider$"));
        await RideInTheBrowserTests.PricesAsync(friend, pickup, "47.5100, 19.0600");
        await Expect(friend.GetByTestId("quote-promotion-economy")).ToContainTextAsync(code);
        var before = Cents((await friend.GetByTestId("quote-promotion-economy").Locator("s").TextContentAsync())!);
        var after = Cents((await friend.GetByTestId("price-economy").TextContentAsync())!);
        Assert.InRange(before - after, 1, before / 2); // half the fare less the booking fee (never discounted)
        await friend.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(friend.GetByTestId("trip-promotion")).ToContainTextAsync(code);
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(friend, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(friend.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(friend.GetByRole(AriaRole.Region, new() { Name = "Your trip" }).GetByTestId("fare-promotion")).ToContainTextAsync($"Promotion {code}");

        // The inviter is told at once, and has a ride off of their own; their invite counts the friend.
        await Expect(inviter.GetByTestId("promotion-rewarded")).ToContainTextAsync("A friend you invited took their first ride: $5.00 off your next ride");
        await ShotAsync(inviter, "invite-rewarded");
        await OpenAccountAsync(inviter);
        var reward = inviter.Locator("[data-testid^=promotion-THX]");
        await Expect(reward).ToContainTextAsync("$5.00 off · 1 of 1 ride left");
        await Expect(reward).ToHaveAttributeAsync("data-usable", "true");
        await Expect(inviter.GetByTestId("invite-friends")).ToHaveTextAsync("1 friend added it.");

        // The welcome code: the inviter has not ridden yet and may add it; the friend has, and may not.
        await inviter.GetByTestId("promotion-code-input").FillAsync(welcome);
        await inviter.GetByTestId("promotion-add").ClickAsync();
        await Expect(inviter.GetByTestId($"promotion-{welcome}")).ToContainTextAsync($"{welcome} · $3.00 off · 1 of 1 ride left");
        await ShotAsync(inviter, "invite-reward-held");
        await OpenAccountAsync(friend);
        await friend.GetByTestId("promotion-code-input").FillAsync(welcome);
        await friend.GetByTestId("promotion-add").ClickAsync();
        await Expect(friend.GetByTestId("promotion-error")).ToHaveTextAsync($"The promotion {welcome} is for riders who have not taken a ride with UberClone yet.");
        await Expect(friend.GetByTestId($"promotion-{welcome}")).ToHaveCountAsync(0);
        await ShotAsync(friend, "welcome-refused");
    }

    /// <summary>The account page, from the "⋯" menu of the header.</summary>
    private static async Task OpenAccountAsync(IPage page)
    {
        await page.GetByLabel("More account options").ClickAsync();
        await page.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account$"));
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
