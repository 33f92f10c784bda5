using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Wheelchair-accessible rides (ADR 0045) through the web app, in Antwerp: support approves a new driver's vehicle as
/// wheelchair accessible at the desk, and the driver's app says so; a rider ticks "Wheelchair-accessible vehicle" under
/// the prices (the local default prices offer it, at the same price); the nearest driver, whose car is not accessible,
/// is passed over for the accessible one, whose offer and trip card say so; support's trip page and driver card too.
/// </summary>
public sealed class WheelchairInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_approves_a_wheelchair_accessible_vehicle_and_only_it_is_offered_the_rider_who_needs_one()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 51.2211, Lng: 4.3997); // Antwerp, Grote Markt: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var plain = await _people.PhoneAsync();
        var accessible = await _people.PhoneAsync();
        var desk = await _people.DeskAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(plain, "Jan Janssens", (pickup.Lat + 0.00045, pickup.Lng));

        // A new driver sends documents; support approves their car for economy, ticking "Wheelchair-accessible vehicle".
        await RideInTheBrowserTests.CreateAccountAsync(accessible, "driver", "Lotte Peeters");
        await accessible.GotoAsync($"/driver?start={pickup.Lat + 0.0018},{pickup.Lng}");
        await RideInTheBrowserTests.SendDocumentsAsync(accessible);
        await _people.SignInAtTheDeskAsync(desk);
        var waiting = desk.GetByTestId("driver-approvals").GetByTestId("driver-approvals-row").Filter(new() { HasText = "Lotte Peeters" });
        await waiting.ClickAsync();
        var approval = desk.GetByTestId("ops-driver-approval");
        await Expect(approval.GetByTestId("wav-approve")).Not.ToBeCheckedAsync(); // said for each approval, never assumed
        await approval.GetByTestId("wav-approve").CheckAsync();
        await ShotAsync(desk, "desk-approves-wheelchair-accessible");
        await approval.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(approval.GetByTestId("wav-ops-driver-permit")).ToHaveTextAsync("Yes: the vehicle's ramp or lift is approved");
        await Expect(accessible.GetByTestId("wav-driver-permit")).ToHaveTextAsync("Wheelchair accessible vehicle: you are offered rides that need one");
        await accessible.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(accessible.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await ShotAsync(accessible, "driver-wheelchair-accessible");
        // The drivers service keeps it on the driver's record: support's driver card, opened again, reads it from there.
        await desk.ReloadAsync();
        await Expect(desk.GetByTestId("wav-ops-driver")).ToHaveTextAsync("Wheelchair-accessible vehicle approved: offered rides that need one");

        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Els Claes");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "51.2100, 4.4200");
        await Expect(rider.GetByTestId("wav-choice")).ToHaveTextAsync("Wheelchair-accessible vehicle (same price)");
        var shownPrice = (await rider.GetByTestId("price-economy").TextContentAsync())!.Trim();
        await rider.GetByTestId("wav-checkbox").CheckAsync();
        await Expect(rider.GetByTestId("price-economy")).ToHaveTextAsync(shownPrice); // no surcharge
        await ShotAsync(rider, "rider-needs-wheelchair-accessible");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(rider.GetByTestId("wav-trip")).ToHaveTextAsync("Wheelchair-accessible vehicle");

        // The accessible car 200 m away is offered it; the plain one 50 m away is not.
        await Expect(accessible.GetByTestId("wav-offer")).ToHaveTextAsync("Wheelchair accessible: the rider needs your ramp or lift");
        await ShotAsync(accessible, "driver-offer-wheelchair-accessible");
        await Expect(plain.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await Expect(plain.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);
        await accessible.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(accessible.GetByTestId("wav-driver-trip")).ToHaveTextAsync("Wheelchair accessible");

        // Support's desk: the driver's card lists the trip, whose page says it is wheelchair accessible.
        await desk.ReloadAsync();
        var trip = desk.GetByTestId("ops-trip-row").First;
        await Expect(trip).ToContainTextAsync(new Regex("driver assigned"));
        await trip.ClickAsync();
        await Expect(desk.GetByTestId("wav-ops-trip")).ToContainTextAsync("Wheelchair accessible · offered only to drivers whose vehicle is approved as such");
        await ShotAsync(desk, "desk-trip-wheelchair-accessible");
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"wav-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
