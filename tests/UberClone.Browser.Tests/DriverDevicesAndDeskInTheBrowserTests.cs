using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// In Lund: support removes a driver's reservation strike and the desk's driver card shows it at once — the strike struck
/// through saying who removed it ("you", not their account id; a colleague by name, ADR 0054), and "Support actions" listing the removal
/// without a reload (ADR 0050). Then the same driver, signed in on a second phone, is on a ride: "Stop new requests" on one
/// phone shows on the other at once, and so does taking it back (ADR 0026, <c>driver.state</c>).
/// </summary>
public sealed class DriverDevicesAndDeskInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    private static readonly (double Lat, double Lng) Pickup = (55.7047, 13.1910); // Lund: no other test's drivers here
    private const string Dropoff = "55.7200, 13.2100";
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";
    private const string GoesOfflineAfterTrip = "You'll go offline when this trip ends.";

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_sees_a_removed_strike_named_and_listed_at_once_and_stopping_new_requests_shows_on_the_drivers_other_phone()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var start = (Lat: Pickup.Lat + 0.00054, Pickup.Lng);
        var driver = await _people.PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(driver, "driver", "Lars Lund");
        await driver.GotoAsync($"/driver?start={Num(start.Lat)},{Num(start.Lng)}");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        var rider = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Linnea Lindgren");

        // A ride three hours ahead, reserved and released: late, a strike.
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{Num(Pickup.Lat)}, {Num(Pickup.Lng)}");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync(Dropoff);
        await People.ChooseLaterAsync(rider);
        var suggested = await rider.GetByLabel("Pickup time").InputValueAsync();
        await rider.GetByLabel("Pickup time").FillAsync(DateTime.ParseExact(suggested, LocalFormat, CultureInfo.InvariantCulture).AddHours(2)
            .ToString(LocalFormat, CultureInfo.InvariantCulture));
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(1);
        await driver.ReloadAsync();
        var listed = driver.GetByTestId("reserve-ride");
        await Expect(listed).ToHaveCountAsync(1);
        await listed.GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-mine-ride")).ToHaveCountAsync(1);
        await driver.GetByTestId("reserve-mine-ride").GetByTestId("reserve-release").ClickAsync();
        await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Released");

        // Support removes it: the card and its "Support actions" follow at once, naming the operator.
        var driverId = await driver.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).userId");
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?user={driverId}");
        var card = desk.GetByTestId("reserve-ops-driver");
        var strike = card.GetByTestId("reserve-ops-strike");
        await Expect(strike).ToContainTextAsync("released late");
        var removals = desk.GetByTestId("ops-actions").Locator("[data-action='reservation.strike_removed']");
        await Expect(removals).ToHaveCountAsync(0);
        await strike.GetByTestId("reserve-ops-strike-reason").FillAsync("The rider asked them to drop it");
        await strike.GetByTestId("reserve-ops-strike-remove").ClickAsync();
        var removed = strike.GetByTestId("reserve-ops-strike-removed");
        await Expect(removed).ToContainTextAsync("by you: The rider asked them to drop it");
        await Expect(removed).Not.ToContainTextAsync(driverId);
        await Expect(removals).ToHaveCountAsync(1);
        await Expect(removals).ToContainTextAsync("Removed a reservation strike");
        await ShotAsync(desk, "desk-strike-removed-by-name");

        // A ride now; the driver signs in on a second phone while it is under way.
        await rider.GetByRole(AriaRole.Radio, new() { Name = "Now" }).CheckAsync();
        await RideInTheBrowserTests.PricesAsync(rider, Pickup, Dropoff);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(driver.GetByText("New trip request")).ToBeVisibleAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        var otherPhone = await _people.PhoneAsync();
        await People.SignInAsync(otherPhone, email, People.SignUpPassword);
        await Assertions.Expect(otherPhone).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/driver"));
        await otherPhone.GotoAsync($"/driver?start={Num(start.Lat)},{Num(start.Lng)}");
        await Expect(otherPhone.GetByTestId("driver-state")).ToHaveTextAsync("on_trip");
        await Expect(otherPhone.GetByTestId("connection")).ToHaveTextAsync("● live");
        var shownElsewhere = otherPhone.GetByTestId("offline-after-trip");
        await Expect(shownElsewhere).ToHaveCountAsync(0);

        // "Stop new requests" on the first phone: the second shows it without a reload; then taken back, the same.
        await driver.GetByTestId("stop-new-requests").ClickAsync();
        await Expect(driver.GetByTestId("offline-after-trip")).ToHaveTextAsync(GoesOfflineAfterTrip);
        await Expect(shownElsewhere).ToHaveTextAsync(GoesOfflineAfterTrip);
        await Expect(otherPhone.GetByTestId("stop-new-requests")).ToHaveCountAsync(0);
        await ShotAsync(otherPhone, "driver-other-phone-stop-new-requests");
        await driver.GetByTestId("keep-receiving-requests").ClickAsync();
        await Expect(driver.GetByTestId("offline-after-trip")).ToHaveCountAsync(0);
        await Expect(shownElsewhere).ToHaveCountAsync(0);
        await Expect(otherPhone.GetByTestId("stop-new-requests")).ToBeVisibleAsync();
        await Expect(otherPhone.GetByTestId("driver-state")).ToHaveTextAsync("on_trip");
    }

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"driver-devices-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
