using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Moving the pickup of a ride booked for later (ADR 0046) through the web app, in Verona: the card under "Booked for
/// later" offers "Move pickup" with the circle it may move in on the map; the card shows the new pickup at once and the
/// driver who reserved the ride (ADR 0047) is told; a second move farther than 400 m from where it was booked is refused,
/// the card saying why.
/// </summary>
public sealed class ScheduledPickupMoveInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_moves_the_pickup_of_a_ride_booked_for_later_on_its_card_and_a_move_too_far_is_refused()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 45.4384, Lng: 10.9916); // Verona, Piazza Bra: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Giulia Later");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{pickup.Lat}, {pickup.Lng}");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("45.4290, 10.9800");
        await People.ChooseLaterAsync(rider);
        var suggested = await rider.GetByLabel("Pickup time").InputValueAsync();
        var pickupTime = DateTime.ParseExact(suggested, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture).AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await rider.GetByLabel("Pickup time").FillAsync(pickupTime);
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        var card = rider.GetByTestId("scheduled-ride");
        await Expect(card.GetByTestId("scheduled-ride-pickup")).ToHaveTextAsync("Pickup: 45.43840, 10.99160");

        // A driver nearby reserves it: they are the one to tell when the pickup moves.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Marco Reserve", (pickup.Lat + 0.005, pickup.Lng));
        await driver.GetByTestId("reserve-ride").GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-mine-ride")).ToHaveCountAsync(1);
        await Expect(card.GetByTestId("reserve-rider-driver")).ToContainTextAsync("Marco");

        // The corner across the square, 200 m north: the map shows how far it may go; the card shows the new pickup at once.
        await card.GetByTestId("move-pickup").ClickAsync();
        await Expect(rider.Locator(".map-circle")).ToHaveCountAsync(1);
        await card.GetByLabel("New pickup (lat, lng)").FillAsync($"{pickup.Lat + 0.0018}, {pickup.Lng}");
        await ShotAsync(rider, "rider-moves-the-pickup-of-a-ride-for-later");
        await card.GetByTestId("move-pickup-confirm").ClickAsync();
        await Expect(card.GetByTestId("move-pickup-form")).ToHaveCountAsync(0);
        await Expect(card.GetByTestId("scheduled-ride-pickup")).ToHaveTextAsync("Pickup: 45.44020, 10.99160");
        await Expect(card.GetByTestId("move-pickup-moved")).ToHaveTextAsync("Moved once from where you booked it.");
        await Expect(rider.Locator(".map-circle")).ToHaveCountAsync(0);
        await Expect(driver.GetByText("A rider moved the pickup of a ride you reserved: see Your reserved rides.")).ToBeVisibleAsync();
        await ShotAsync(rider, "rider-pickup-of-a-ride-for-later-moved");
        await ShotAsync(driver, "driver-told-the-reserved-pickup-moved");

        // 600 m south of where it was booked (800 m from where it is now): refused, saying why; the pickup stays.
        await card.GetByTestId("move-pickup").ClickAsync();
        await card.GetByLabel("New pickup (lat, lng)").FillAsync($"{pickup.Lat - 0.0054}, {pickup.Lng}");
        await card.GetByTestId("move-pickup-confirm").ClickAsync();
        await Expect(card.GetByTestId("move-pickup-refused")).ToContainTextAsync("from the pickup you booked; it can move at most 400 m");
        await Expect(card.GetByTestId("scheduled-ride-pickup")).ToHaveTextAsync("Pickup: 45.44020, 10.99160");
        await ShotAsync(rider, "rider-pickup-of-a-ride-for-later-too-far");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"scheduled-pickup-move-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
