using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// In Malmö: the desk names who acted from the support accounts' list (docs/decisions/0054). A driver has two reservation
/// strikes; a colleague added while the desk had the driver's card open removes one at their own desk, the desk's operator
/// the other. Each desk says "by you" on its own removal and the other's name, never an account id, on the other's: the
/// first desk after a Refresh only (the colleague is new to it, so the names are read again). Once the colleague's account
/// is suspended, the desk names them "(suspended)".
/// </summary>
public sealed class DeskNamesInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private const string SessionUserId = "() => JSON.parse(localStorage.getItem('uberclone.session')).userId";
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task The_desk_names_the_colleague_who_removed_a_strike_and_says_you_for_its_own()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        // Limhamn, Malmö: no other test's rides for later within 15 km.
        var driver = await ReservationStrikesInTheBrowserTests.DriverWithTwoStrikesAsync(_people, (55.5800, 12.9300), "55.5900, 12.9500", "Maja Malmö", "Malte Malmö");
        var driverId = await driver.EvaluateAsync<string>(SessionUserId);

        // The desk opens the driver's card (the names are read) before the colleague exists.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?user={driverId}");
        var strikes = desk.GetByTestId("reserve-ops-driver").GetByTestId("reserve-ops-strike");
        await Expect(strikes.GetByTestId("reserve-ops-strike-remove")).ToHaveCountAsync(2);

        // A colleague joins and removes the first strike at their own desk: "by you" there.
        var colleagueEmail = await stack.AddColleagueAsync("Malin Malmö");
        var colleagueDesk = await _people.DeskAsync();
        await People.SignInAsync(colleagueDesk, colleagueEmail, People.SignUpPassword);
        await Assertions.Expect(colleagueDesk).ToHaveURLAsync(new Regex("/ops$"));
        var colleagueId = await colleagueDesk.EvaluateAsync<string>(SessionUserId);
        await colleagueDesk.GotoAsync($"/ops?user={driverId}");
        var theirStrikes = colleagueDesk.GetByTestId("reserve-ops-driver").GetByTestId("reserve-ops-strike");
        await theirStrikes.First.GetByTestId("reserve-ops-strike-reason").FillAsync("The rider asked them to drop it");
        await theirStrikes.First.GetByTestId("reserve-ops-strike-remove").ClickAsync();
        await Expect(theirStrikes.First.GetByTestId("reserve-ops-strike-removed")).ToContainTextAsync("by you: The rider asked them to drop it");

        // The desk reads the card again: the colleague by name, not "a former support account", nor their id.
        await desk.GetByTestId("ops-refresh").ClickAsync();
        var byColleague = strikes.Filter(new() { HasText = "The rider asked them to drop it" }).GetByTestId("reserve-ops-strike-removed");
        await Expect(byColleague).ToContainTextAsync("by Malin Malmö: The rider asked them to drop it");
        await Expect(byColleague).Not.ToContainTextAsync(colleagueId);

        // The desk's operator removes the other: "by you" on the desk, their name at the colleague's.
        var left = strikes.Filter(new() { Has = desk.GetByTestId("reserve-ops-strike-remove") });
        await left.GetByTestId("reserve-ops-strike-reason").FillAsync("Their car broke down");
        await left.GetByTestId("reserve-ops-strike-remove").ClickAsync();
        await Expect(strikes.Filter(new() { HasText = "Their car broke down" }).GetByTestId("reserve-ops-strike-removed")).ToContainTextAsync("by you: Their car broke down");
        await Expect(byColleague).ToContainTextAsync("by Malin Malmö");
        await ShotAsync(desk, "desk-names-a-colleague");
        await colleagueDesk.GetByTestId("ops-refresh").ClickAsync();
        await Expect(theirStrikes.Filter(new() { HasText = "Their car broke down" }).GetByTestId("reserve-ops-strike-removed")).ToContainTextAsync("by Support desk: Their car broke down");
        await ShotAsync(colleagueDesk, "colleague-desk-names-the-desk");

        // The colleague's account is suspended: what they did stands, and the desk says they can no longer be asked.
        await stack.SuspendAsync(colleagueId, "left the team");
        await desk.ReloadAsync();
        await Expect(strikes.Filter(new() { HasText = "The rider asked them to drop it" }).GetByTestId("reserve-ops-strike-removed"))
            .ToContainTextAsync("by Malin Malmö (suspended): The rider asked them to drop it");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"desk-names-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
