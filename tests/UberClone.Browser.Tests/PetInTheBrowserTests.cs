using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Rides with a pet (ADR 0041) through the web app, in Lyon: the prices offer "Bringing a pet (+$3.00)" (the local pet
/// fee of the default prices), the nearest driver, who takes no pets, is passed over for one who ticked "Pets welcome",
/// whose offer card and trip panel say "With a pet", as the rider's trip panel does, and the fare's breakdown has the pet
/// fee on a line of its own. The rider's map shows only that driver's car once the pet is ticked; the driver's receipt
/// and support's desk (the trip, and the driver's card) say it was a ride with a pet.
/// </summary>
public sealed class PetInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_bringing_a_pet_pays_its_fee_and_is_driven_by_the_driver_who_welcomes_pets_not_the_nearest()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 45.7640, Lng: 4.8357); // Lyon, place Bellecour: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var noPets = await _people.PhoneAsync();
        var petsWelcome = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(noPets, "Nadia Lumière", (pickup.Lat + 0.00045, pickup.Lng));
        await RideInTheBrowserTests.DriverOnlineAsync(petsWelcome, "Paul Bocuse", (pickup.Lat + 0.0018, pickup.Lng));
        await Expect(noPets.GetByTestId("pet-welcome-toggle")).Not.ToBeCheckedAsync();
        // Ticked once the drivers service stored it (the box shows the driver's record).
        await petsWelcome.GetByTestId("pet-welcome-toggle").ClickAsync();
        await Expect(petsWelcome.GetByTestId("pet-welcome-toggle")).ToBeCheckedAsync();
        await ShotAsync(petsWelcome, "driver-pets-welcome");
        // Kept on the driver's record: a reload shows it ticked.
        await petsWelcome.ReloadAsync();
        await Expect(petsWelcome.GetByTestId("pet-welcome-toggle")).ToBeCheckedAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Lucie Lyonnaise");

        await RideInTheBrowserTests.PricesAsync(rider, pickup, "45.7500, 4.8500");
        await Expect(rider.GetByTestId("pet-choice")).ToHaveTextAsync("Bringing a pet (+$3.00)");
        var price = RideInTheBrowserTests.Cents((await rider.GetByTestId("price-economy").TextContentAsync())!);
        // Both cars are on the rider's map until the pet is ticked: then only the one who would be offered the ride.
        await Expect(rider.Locator("path.map-car")).ToHaveCountAsync(2);
        await rider.GetByTestId("pet-checkbox").CheckAsync();
        await Expect(rider.Locator("path.map-car")).ToHaveCountAsync(1);
        await ShotAsync(rider, "rider-bringing-a-pet");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("pet-trip")).ToHaveTextAsync("With a pet");

        // The driver 200 m away who welcomes pets is offered it; the one 50 m away, who does not, is not.
        await Expect(petsWelcome.GetByTestId("pet-offer")).ToHaveTextAsync("With a pet");
        await ShotAsync(petsWelcome, "driver-offer-with-a-pet");
        await Expect(noPets.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(noPets.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);
        await petsWelcome.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(petsWelcome.GetByTestId("pet-driver-trip")).ToHaveTextAsync("With a pet");

        // The simulated car drives to the pickup; the driver arrives once within 100 m of it.
        await Expect(petsWelcome.GetByText(new System.Text.RegularExpressions.Regex(@": [0-9]{1,2} m away\.$"))).ToBeVisibleAsync();
        await RideInTheBrowserTests.ArriveAndStartAsync(rider, petsWelcome);
        await Expect(rider.GetByTestId("pet-trip")).ToHaveTextAsync("With a pet");
        await petsWelcome.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("pet-fee-line")).ToHaveTextAsync("Pet fee$3.00");
        Assert.Equal(price + 300, RideInTheBrowserTests.Cents((await rider.GetByTestId("fare-total").TextContentAsync())!));
        await ShotAsync(rider, "rider-fare-with-pet-fee");

        // The driver's receipt says it was a ride with a pet, the fee a line of its fare.
        var driverReceipt = await RideInTheBrowserTests.OpenReceiptAsync(petsWelcome, "completed");
        await Expect(driverReceipt.GetByTestId("pet-receipt")).ToContainTextAsync("With a pet");
        await Expect(driverReceipt.GetByTestId("pet-fee-line")).ToHaveTextAsync("Pet fee$3.00");
        await ShotAsync(petsWelcome, "driver-receipt-with-a-pet");

        // Support's desk: the trip says so with its fee, and its driver's card that they welcome pets.
        var tripId = (await driverReceipt.GetAttributeAsync("data-testid"))!["receipt-".Length..];
        var desk = await _people.DeskOnTheTripAsync(tripId);
        await Expect(desk.GetByTestId("ops-trip-pet")).ToContainTextAsync("With a pet · pet fee $3.00 in the fare");
        await Expect(desk.GetByTestId("ops-trip").GetByTestId("pet-fee-line")).ToHaveTextAsync("Pet fee$3.00");
        await ShotAsync(desk, "desk-trip-with-a-pet");
        await desk.GetByTestId("ops-trip-driver").ClickAsync();
        await Expect(desk.GetByTestId("ops-driver-pets")).ToHaveTextAsync("Pets welcome: offered rides with a pet");
        await ShotAsync(desk, "desk-driver-pets-welcome");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"pet-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
