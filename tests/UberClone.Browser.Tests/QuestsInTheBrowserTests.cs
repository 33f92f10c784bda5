using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Driver quests (ADR 0038) through the web app: support creates one on the desk (the form says clearly what is wrong
/// first), a driver in the city sees it on the earnings card with a progress bar, completes a ride and sees "Quest
/// complete" and the quest earned, its bonus a line of the card; support's list counts the driver.
/// </summary>
public sealed class QuestsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_creates_a_quest_and_a_driver_who_completes_its_ride_sees_it_earned_on_the_earnings_card()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 52.3676, Lng: 4.9041); // Amsterdam: no other test's drivers here
        var name = $"Canal rush {Random.Shared.Next(1_000, 10_000)}";
        var desk = await _people.DeskAsync();
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();

        // Support: a bonus that is no amount is said on the form; a target the service refuses comes back naming the field.
        await _people.SignInAtTheDeskAsync(desk);
        var form = desk.GetByTestId("quest-form");
        await form.GetByTestId("quest-name").FillAsync(name);
        await form.GetByTestId("quest-target").FillAsync("0");
        await form.GetByTestId("quest-lat").FillAsync(pickup.Lat.ToString(CultureInfo.InvariantCulture));
        await form.GetByTestId("quest-lng").FillAsync(pickup.Lng.ToString(CultureInfo.InvariantCulture));
        await form.GetByTestId("quest-radius").FillAsync("10");
        await form.GetByTestId("quest-create").ClickAsync();
        await Expect(desk.GetByTestId("quest-error")).ToHaveTextAsync("Type the bonus in USD, e.g. 45.00.");
        await form.GetByTestId("quest-bonus").FillAsync("45.00");
        await form.GetByTestId("quest-create").ClickAsync();
        await Expect(desk.GetByTestId("quest-error")).ToContainTextAsync("target is 1-500 completed rides");
        await form.GetByTestId("quest-target").FillAsync("1");
        await form.GetByTestId("quest-create").ClickAsync();
        await Expect(desk.GetByTestId("quest-error")).ToHaveCountAsync(0);
        var listed = desk.GetByTestId("quest-ops").GetByRole(AriaRole.Listitem).Filter(new() { HasText = name });
        await Expect(listed).ToContainTextAsync($"{name} · 1 ride for $45.00 · within 10 km of 52.368, 4.904");
        await Expect(listed.GetByTestId("quest-ops-status")).ToHaveTextAsync("active");
        await Expect(listed.GetByTestId("quest-ops-earned")).ToHaveTextAsync("0 drivers reached it");
        await ShotAsync(desk, "support-creates-a-quest");

        // The driver in the city sees it on the earnings card, nothing done yet.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Quinn Quest", (pickup.Lat + 0.00054, pickup.Lng));
        var quest = driver.GetByTestId("quest-list").GetByRole(AriaRole.Listitem).Filter(new() { HasText = name });
        await Expect(quest).ToContainTextAsync($"{name}: 0 of 1 ride — $45.00 bonus, until ");
        var bar = quest.GetByRole(AriaRole.Progressbar);
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "0");
        await Expect(bar).ToHaveAttributeAsync("aria-valuemax", "1");

        // One ride in the city completes it.
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rosa Ride");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "52.3800, 4.9200");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(driver.GetByText("Quest complete: $45.00 bonus added to your earnings")).ToBeVisibleAsync();
        await Expect(quest).ToContainTextAsync($"{name}: 1 of 1 ride — $45.00 bonus");
        await Expect(quest.GetByTestId("quest-earned")).ToHaveTextAsync("Earned");
        await Expect(bar).ToHaveAttributeAsync("aria-valuenow", "1");
        await Expect(driver.GetByTestId("quest-bonus-line").Filter(new() { HasText = name })).ToContainTextAsync($"Quest bonus: {name} · $45.00");
        await Expect(driver.GetByTestId("earnings-today")).ToContainTextAsync("1 quest bonus");
        await ShotAsync(driver, "driver-quest-earned");

        // Support's list counts the driver.
        await desk.GetByTestId("ops-refresh").ClickAsync();
        await Expect(listed.GetByTestId("quest-ops-earned")).ToHaveTextAsync("1 driver reached it");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"quests-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
