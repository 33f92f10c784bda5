using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A note for the driver and riding for someone else (ADR 0031) through the web app: the rider books for a guest with a
/// note, the driver's offer and trip card say who to pick up and the note, and the note the rider edits while the driver
/// is on the way reaches the driver's screen without a reload; the guest follows the trip's link and reads the PIN there.
/// </summary>
public sealed class PickupNoteInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_books_for_someone_else_with_a_note_and_the_driver_sees_the_note_change_live_on_the_offer_and_on_the_way()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 41.9028, Lng: 12.4964); // Rome: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Dario Notes", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rita Rossi");

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "41.9200, 12.5200");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Add a note for the driver" }).ClickAsync();
        await rider.GetByTestId("pickup-note").FillAsync("Gate 3, blue jacket");
        await rider.GetByTestId("riding-someone-else").CheckAsync();
        // "Someone else" needs their name before booking.
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" })).ToBeDisabledAsync();
        await rider.GetByTestId("passenger-name").FillAsync("Anna");
        await rider.GetByTestId("passenger-phone").FillAsync("+39 06 1234 5678");
        await ShotAsync(rider, "rider-books-for-someone-else");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();

        // The driver knows before accepting who to pick up and what the rider said.
        await Expect(driver.GetByTestId("offer-passenger")).ToContainTextAsync("Pick up Anna");
        await Expect(driver.GetByTestId("offer-pickup-note")).ToHaveTextAsync("Note: Gate 3, blue jacket");
        await ShotAsync(driver, "driver-offer-for-someone-else");
        // While the driver still looks at the offer, the rider adds to the note: the offer shows it at once.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Edit note" }).ClickAsync();
        await rider.GetByTestId("edit-pickup-note").FillAsync("Gate 3, blue jacket, with a dog");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Save note" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-pickup-note")).ToHaveTextAsync("Note for the driver: Gate 3, blue jacket, with a dog");
        await Expect(driver.GetByTestId("offer-pickup-note")).ToHaveTextAsync("Note: Gate 3, blue jacket, with a dog");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-passenger")).ToHaveTextAsync("Pick up Anna (booked by Rita) · +390612345678");
        await Expect(driver.GetByTestId("driver-pickup-note")).ToHaveTextAsync("Note: Gate 3, blue jacket, with a dog");
        await Expect(rider.GetByTestId("trip-passenger")).ToHaveTextAsync("Riding: Anna · +390612345678");

        // On the way, the rider moves the meeting point; the driver's screen follows on its socket.
        await rider.GetByRole(AriaRole.Button, new() { Name = "Edit note" }).ClickAsync();
        await rider.GetByTestId("edit-pickup-note").FillAsync("Gate 5, by the bus stop");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Save note" }).ClickAsync();
        await Expect(rider.GetByTestId("trip-pickup-note")).ToHaveTextAsync("Note for the driver: Gate 5, by the bus stop");
        await Expect(driver.GetByTestId("driver-pickup-note")).ToHaveTextAsync("Note: Gate 5, by the bus stop");
        await ShotAsync(driver, "driver-pickup-note");

        // The rider sends Anna the trip's link: without an account she sees the car coming for her, and the PIN.
        await Expect(rider.GetByTestId("share-with-passenger")).ToContainTextAsync("Send Anna the link");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Share trip status" }).ClickAsync();
        var anna = await _people.PhoneAsync();
        await anna.GotoAsync(await rider.GetByLabel("Share link").InputValueAsync());
        await Expect(anna.GetByTestId("shared-progress")).ToContainTextAsync("Dario is on the way to pick Anna up.");
        await Expect(anna.GetByTestId("shared-booked-by")).ToHaveTextAsync("Booked by Rita for Anna.");
        var pin = (await rider.GetByTestId("pin").TextContentAsync())!.Trim();
        await Expect(anna.GetByTestId("shared-pin")).ToHaveTextAsync($"Your PIN for the driver: {pin}");
        await ShotAsync(anna, "passenger-follows-with-the-pin");

        // Once the ride starts the pickup is past: the note can no longer be edited, and the PIN is not shown any more.
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, driver);
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Edit note" })).ToHaveCountAsync(0);
        await Expect(rider.GetByTestId("trip-passenger")).ToContainTextAsync("Riding: Anna");
        await Expect(anna.GetByTestId("shared-progress")).ToContainTextAsync("Anna is riding with Dario.");
        await Expect(anna.GetByTestId("shared-pin")).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"pickup-note-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
