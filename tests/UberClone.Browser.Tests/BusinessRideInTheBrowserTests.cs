using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Rides for work (ADR 0034) through the web app: a rider adds a work email under Account settings → "Business
/// profile" and types the code mailed to it; booking then offers "Personal / Business", and the ride booked for
/// business with an expense memo shows "Business" and the memo on the rider's trip screen.
/// </summary>
public sealed class BusinessRideInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_confirms_a_work_email_and_books_a_business_ride_with_a_memo()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 37.3891, Lng: -5.9845); // Seville: no other test's drivers here
        var (rider, driver) = await _people.RiderAndDriverNearAsync(pickup, "Bea Business", "Bruno Budget");

        // Without a confirmed work email, booking offers no choice.
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "37.3700, -5.9600");
        await Expect(rider.GetByTestId("ride-profile")).ToHaveCountAsync(0);

        await rider.GetByLabel("More account options").ClickAsync();
        await rider.GetByTestId("account-settings").ClickAsync();
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/account$"));
        var work = $"bruno-{Guid.NewGuid():N}@acme.example";
        var section = rider.GetByTestId("business-profile");
        await section.GetByTestId("business-profile-email").FillAsync(work);
        await section.GetByTestId("business-profile-add").ClickAsync();
        await Expect(section.GetByTestId("business-profile-status")).ToContainTextAsync("not confirmed yet");
        await section.GetByTestId("business-profile-code").FillAsync(await stack.Mailbox.WorkEmailCodeForAsync(work));
        await section.GetByTestId("business-profile-confirm").ClickAsync();
        await Expect(section.GetByTestId("business-profile-status")).ToHaveTextAsync($"Work email {work} confirmed");
        await ShotAsync(rider, "rider-business-profile");

        await rider.GotoAsync("/rider");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "37.3700, -5.9600");
        await rider.GetByTestId("ride-profile-business").CheckAsync();
        await rider.GetByTestId("expense-memo").FillAsync("Client visit ACME");
        await ShotAsync(rider, "rider-books-for-business");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        await Expect(rider.GetByTestId("trip-business")).ToContainTextAsync("Expense memo: Client visit ACME");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(rider.GetByTestId("pin")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("trip-business")).ToContainTextAsync("Business");
        await ShotAsync(rider, "rider-business-ride");
        // Whose expense the ride is is not the driver's business.
        await Expect(driver.GetByText("Client visit ACME")).ToHaveCountAsync(0);

        // The ride ends: its receipt says Business with the memo, and the rider makes it personal after all (and back).
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        // The history line ends with its "Business" tag.
        var history = rider.GetByRole(AriaRole.List, new() { Name = "Trip history" });
        await Expect(history.GetByText(new System.Text.RegularExpressions.Regex("· completed\\s*Business$")).First).ToBeVisibleAsync();
        await history.GetByText(new System.Text.RegularExpressions.Regex("· completed")).First.ClickAsync();
        var receipt = history.Locator("[data-testid^=receipt-t]");
        var profile = receipt.GetByTestId("history-profile");
        await Expect(profile.GetByTestId("history-expense-memo")).ToHaveTextAsync("Expense memo: Client visit ACME");
        await profile.GetByTestId("switch-to-personal").ClickAsync();
        await Expect(profile.GetByTestId("switch-to-business")).ToBeVisibleAsync();
        await Expect(profile.GetByTestId("history-expense-memo")).ToHaveCountAsync(0);
        await profile.GetByTestId("switch-to-business").ClickAsync();
        await profile.GetByTestId("switch-expense-memo").FillAsync("Team offsite");
        await profile.GetByTestId("switch-to-business-confirm").ClickAsync();
        await Expect(profile.GetByTestId("history-expense-memo")).ToHaveTextAsync("Expense memo: Team offsite");
        await ShotAsync(rider, "rider-switches-a-ride-to-business");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"business-ride-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
