using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Split fare (ADR 0040) through the web app, in Hamburg: during the ride the rider asks a friend by the email of their
/// account, the friend's app shows the invitation at once and they accept with their saved card, the rider's panel
/// follows the answer, and after the ride each receipt says what they paid — the rider's share of the fare, and the
/// friend's on their own card.
/// </summary>
public sealed class SplitFareInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_friend_asked_by_email_accepts_with_their_card_and_each_receipt_says_what_they_paid()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 53.5530, Lng: 10.0069); // Hamburg's main station: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Hinrich Hafen", "Hanna Hansen");
        var friend = await _people.PhoneAsync();
        var friendEmail = await RideInTheBrowserTests.SignUpAsync(friend, "rider", "Ana Albers");
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(rider, "4242 4242 4242 4242");
        await CardsInTheBrowserTests.SaveCardFromTheAppAsync(friend, "5555 5555 5555 4444");

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "53.5503, 9.9930");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // An email of nobody's account is refused, saying so; the friend's is asked.
        await rider.GetByTestId("split-open").ClickAsync();
        await rider.GetByTestId("split-email").FillAsync("nobody-at-all@example.test");
        await rider.GetByTestId("split-invite").ClickAsync();
        await Expect(rider.GetByText("No UberClone rider has this email")).ToBeVisibleAsync();
        await rider.GetByTestId("split-email").FillAsync(friendEmail);
        await rider.GetByTestId("split-invite").ClickAsync();
        await Expect(rider.GetByTestId("split-invitee")).ToHaveTextAsync("Ana Albers: invitedWithdraw");
        await ShotAsync(rider, "rider-asked-a-friend");

        // The friend's app shows it without a reload, and they accept with their card.
        await Expect(friend.GetByTestId("split-invitation-text")).ToContainTextAsync("Hanna asked you to split the fare of a ride to 53.55030, 9.99300");
        await Expect(friend.GetByTestId("split-card")).ToHaveValueAsync(new Regex(".+"));
        await ShotAsync(friend, "friend-invitation");
        await friend.GetByTestId("split-accept").ClickAsync();
        await Expect(friend.GetByTestId("split-invitation-accepted")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("split-invitee-status")).ToHaveTextAsync("accepted");

        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");
        var receipt = rider.GetByTestId("split-receipt");
        await Expect(receipt).ToContainTextAsync(new Regex(@"^Split with Ana Albers: you paid \$\d+\.\d\d of \$\d+\.\d\d$"));
        var amounts = Regex.Matches((await receipt.TextContentAsync())!, @"\$(\d+\.\d\d)").Select(m => RideInTheBrowserTests.Cents(m.Value)).ToArray();
        var (riderPaid, fare) = (amounts[0], amounts[1]);
        Assert.Equal(fare / 2 + fare % 2, riderPaid);
        await ShotAsync(rider, "rider-receipt-split");

        var friendShare = $"${(fare / 2) / 100}.{(fare / 2) % 100:00}";
        await Expect(friend.GetByTestId("split-invitee-receipt")).ToHaveTextAsync($"Hanna split this ride with you: you paid {friendShare} with Mastercard •••• 4444.");
        await ShotAsync(friend, "friend-receipt-split");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"split-fare-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
