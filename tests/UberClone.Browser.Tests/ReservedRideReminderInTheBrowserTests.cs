using System.Globalization;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Reserved rides and repeating rides through the web app, in Uppsala. A driver reserves a ride booked for an hour from
/// now; when its reminder comes (<see cref="WebStackFixture.ReservedRideReminder"/> before the pickup, ADR 0050) their
/// "Rides for later" card names whom to pick up, first name only. The same rider makes a ride repeat every week from
/// tomorrow, its first ride is booked at once, and they end it today: their repeating ride's card says the ride booked
/// past its end stays booked (<c>bookedPastEnd</c>, ADR 0043).
/// </summary>
public sealed class ReservedRideReminderInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    private static readonly (double Lat, double Lng) Pickup = (59.8586, 17.6389); // Uppsala: no other test's drivers here
    private const string Dropoff = "59.8400, 17.6500";
    private const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_is_reminded_of_a_reserved_ride_naming_the_rider_and_a_repeating_ride_ended_before_its_booked_ride_says_it_stays()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await _people.PhoneAsync();
        var rider = await _people.PhoneAsync();
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Ulla Uppsala", (Pickup.Lat + 0.005, Pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Astrid Lindqvist");

        // An hour from now, as the rider's app suggests: reminded one to two minutes after booking.
        await FillRouteAsync(rider);
        await People.ChooseLaterAsync(rider);
        var suggested = await rider.GetByLabel("Pickup time").InputValueAsync();
        await SeePricesAsync(rider);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(1);

        await driver.ReloadAsync();
        var listed = driver.GetByTestId("reserve-ride");
        await Expect(listed).ToHaveCountAsync(1);
        await listed.GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Reserved");
        await Expect(driver.GetByTestId("reserve-mine-ride")).ToHaveCountAsync(1);

        var reminder = driver.GetByTestId("reserve-reminder");
        await Expect(reminder).ToContainTextAsync("Pick up Astrid at " + await ClockAsync(driver, suggested), new() { Timeout = 180_000 });
        await Expect(reminder).ToContainTextAsync("be online by");
        await Expect(reminder).Not.ToContainTextAsync("Lindqvist");
        await ShotAsync(driver, "driver-reminded-pick-up-astrid");

        // Another ride, three hours ahead, reserved and released: late, a strike. The driver calls support ("the rider
        // asked me to drop it"), who removes it on the driver's card, saying why: it stays listed, struck through.
        await FillRouteAsync(rider);
        await People.ChooseLaterAsync(rider);
        await rider.GetByLabel("Pickup time").FillAsync(DateTime.ParseExact(await rider.GetByLabel("Pickup time").InputValueAsync(), LocalFormat, CultureInfo.InvariantCulture)
            .AddHours(2).ToString(LocalFormat, CultureInfo.InvariantCulture));
        await SeePricesAsync(rider);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Reserve economy" }).ClickAsync();
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(2);
        await driver.ReloadAsync();
        await Expect(listed).ToHaveCountAsync(1);
        await listed.GetByTestId("reserve-button").ClickAsync();
        await Expect(driver.GetByTestId("reserve-mine-ride")).ToHaveCountAsync(2);
        await driver.GetByTestId("reserve-mine-ride").Nth(1).GetByTestId("reserve-release").ClickAsync();
        await Expect(driver.GetByTestId("reserve-done")).ToContainTextAsync("Released");

        var driverId = await driver.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).userId");
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?user={driverId}");
        var card = desk.GetByTestId("reserve-ops-driver");
        await Expect(card.GetByTestId("reserve-ops-driver-summary")).ToContainTextAsync("1 strike in 30 days");
        var strike = card.GetByTestId("reserve-ops-strike");
        await Expect(strike).ToContainTextAsync("released late");
        await Expect(strike.GetByTestId("reserve-ops-strike-remove")).ToBeDisabledAsync(); // no reason yet
        await strike.GetByTestId("reserve-ops-strike-reason").FillAsync("The rider asked them to drop it");
        await strike.GetByTestId("reserve-ops-strike-remove").ClickAsync();
        await Expect(strike.GetByTestId("reserve-ops-strike-removed")).ToContainTextAsync("The rider asked them to drop it");
        await Expect(card.GetByTestId("reserve-ops-driver-summary")).ToContainTextAsync("0 strikes in 30 days");
        await ShotAsync(desk, "desk-strike-removed");

        // A ride repeating every week from tomorrow, its first ride within a day (booked at once), ended today.
        var now = await LocalNowAsync(rider);
        if (now.TimeOfDay < TimeSpan.FromMinutes(6))
        {
            // Tomorrow just after midnight is more than a day ahead yet: wait until it is not.
            await Task.Delay(TimeSpan.FromMinutes(6) - now.TimeOfDay, TestContext.Current.CancellationToken);
            now = await LocalNowAsync(rider);
        }
        // Tomorrow just after midnight is within a day and over half an hour ahead; late in the evening an hour from now is tomorrow already.
        var first = now.TimeOfDay < new TimeSpan(23, 25, 0) ? now.Date.AddDays(1).AddMinutes(5) : now.AddHours(1);
        await FillRouteAsync(rider);
        await People.ChooseLaterAsync(rider);
        await rider.GetByLabel("Pickup time").FillAsync(first.ToString(LocalFormat, CultureInfo.InvariantCulture));
        await SeePricesAsync(rider);
        await rider.GetByTestId("repeat-checkbox").CheckAsync();
        await rider.GetByRole(AriaRole.Button, new() { Name = "Repeat economy" }).ClickAsync();
        var repeating = rider.GetByTestId("repeat-ride");
        await Expect(repeating).ToHaveCountAsync(1);
        await Expect(repeating.GetByTestId("repeat-last")).ToContainTextAsync("is booked (under \"Booked for later\").");
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(3);
        await Expect(rider.GetByTestId("repeat-past-end")).ToHaveCountAsync(0);

        await repeating.GetByTestId("repeat-ends-on").ClickAsync();
        await repeating.GetByTestId("repeat-ends-on-input").FillAsync(now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await repeating.GetByTestId("repeat-ends-on-save").ClickAsync();

        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync("Ended on ");
        await Expect(repeating.GetByTestId("repeat-past-end")).ToContainTextAsync("stays booked; cancel it under \"Booked for later\".");
        await Expect(rider.GetByTestId("scheduled-ride")).ToHaveCountAsync(3);
        await ShotAsync(rider, "rider-repeating-ride-booked-past-its-end");
    }

    private static async Task FillRouteAsync(IPage rider)
    {
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync($"{Pickup.Lat.ToString(CultureInfo.InvariantCulture)}, {Pickup.Lng.ToString(CultureInfo.InvariantCulture)}");
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync(Dropoff);
    }

    private static Task SeePricesAsync(IPage rider) => rider.RunAndWaitForResponseAsync(
        () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
        response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);

    /// <summary>The phone's time now, to the minute.</summary>
    private static async Task<DateTime> LocalNowAsync(IPage page) => DateTime.ParseExact(await page.EvaluateAsync<string>(
        "() => { const d = new Date(); const p = n => String(n).padStart(2, '0'); return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }"),
        LocalFormat, CultureInfo.InvariantCulture);

    /// <summary>A local pickup time ("2026-12-07T05:15") as the app's clock shows it (<c>clockTime</c>).</summary>
    private static Task<string> ClockAsync(IPage page, string localTime) => page.EvaluateAsync<string>(
        "t => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })", localTime);

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"reserved-reminder-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
