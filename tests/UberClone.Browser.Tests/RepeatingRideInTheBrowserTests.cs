using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Repeating rides (ADR 0043) through the web app, in Ghent: a ride later with "Repeat every week" ticked (the pickup
/// time's weekday chosen first; none chosen cannot repeat) becomes a repeating ride, whose first ride is booked at once
/// (it is within a day) and appears under "Booked for later"; skipping the next one, ending it and taking the end away;
/// support sees it on the rider's card; pausing, resuming and deleting it keep that ride booked.
/// </summary>
public sealed class RepeatingRideInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_makes_a_ride_repeat_every_week_its_first_ride_is_booked_and_it_pauses_resumes_and_goes()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await _people.PhoneAsync();
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Griet Gentenaar");
        await rider.GetByLabel("Pickup (lat, lng)").FillAsync("51.0543, 3.7174"); // Ghent, Korenmarkt
        await rider.GetByLabel("Drop-off (lat, lng)").FillAsync("51.0360, 3.7100");
        await People.ChooseLaterAsync(rider);
        var pickupTime = await rider.GetByLabel("Pickup time").InputValueAsync(); // an hour from now, as the phone counts
        var local = DateTime.ParseExact(pickupTime, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var weekday = local.DayOfWeek.ToString().ToLowerInvariant();
        await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "See prices" }).ClickAsync(),
            response => response.Url.EndsWith("/api/trips/quotes", StringComparison.Ordinal) && response.Status == 200);

        // Ticked, it repeats on the pickup time's weekday; with no day it cannot be booked.
        await rider.GetByTestId("repeat-checkbox").CheckAsync();
        await Expect(rider.GetByTestId($"repeat-day-{weekday}")).ToBeCheckedAsync();
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Repeat economy" })).ToBeEnabledAsync();
        await rider.GetByTestId($"repeat-day-{weekday}").UncheckAsync();
        await Expect(rider.GetByTestId("repeat-choice")).ToContainTextAsync("Choose at least one day.");
        await Expect(rider.GetByRole(AriaRole.Button, new() { Name = "Repeat economy" })).ToBeDisabledAsync();
        await rider.GetByTestId($"repeat-day-{weekday}").CheckAsync();
        await ShotAsync(rider, "rider-repeat-every-week");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Repeat economy" }).ClickAsync();

        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        var day = CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(local.DayOfWeek);
        await Expect(rider.GetByText(new Regex($"^Repeating ride added: {day} at {time}, economy\\.")).First).ToBeVisibleAsync();
        var repeating = rider.GetByTestId("repeat-ride");
        await Expect(repeating).ToHaveCountAsync(1);
        await Expect(repeating.GetByTestId("repeat-when")).ToHaveTextAsync($"{day} at {time}");
        // Its first ride is within a day: booked at once, and listed under "Booked for later" at that time.
        await Expect(repeating.GetByTestId("repeat-last")).ToContainTextAsync("is booked (under \"Booked for later\").");
        var booked = rider.GetByTestId("scheduled-ride");
        await Expect(booked).ToHaveCountAsync(1);
        await Expect(booked.GetByTestId("scheduled-ride-time")).ToHaveTextAsync(await RideInTheBrowserTests.ShownPickupTimeAsync(rider, pickupTime));
        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync(
            "Next: " + await RideInTheBrowserTests.ShownPickupTimeAsync(rider, local.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)));
        await ShotAsync(rider, "rider-repeating-ride-booked");

        // Next week's is a holiday: skipped, the week after is next; this week's booked ride stays.
        await repeating.GetByTestId("repeat-skip").ClickAsync();
        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync(
            "Next: " + await RideInTheBrowserTests.ShownPickupTimeAsync(rider, local.AddDays(14).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)));
        await Expect(booked).ToHaveCountAsync(1);

        // An end on the first ride's day: it has ended (that ride stays booked); no end again: it goes on.
        await repeating.GetByTestId("repeat-ends-on").ClickAsync();
        await repeating.GetByTestId("repeat-ends-on-input").FillAsync(local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await repeating.GetByTestId("repeat-ends-on-save").ClickAsync();
        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync("Ended on ");
        await Expect(repeating.GetByTestId("repeat-skip")).ToHaveCountAsync(0);
        await Expect(repeating.GetByTestId("repeat-pause")).ToHaveCountAsync(0); // nothing to pause
        await Expect(booked).ToHaveCountAsync(1);
        await ShotAsync(rider, "rider-repeating-ride-ended");
        await repeating.GetByTestId("repeat-ends-on").ClickAsync();
        await repeating.GetByTestId("repeat-ends-on-clear").ClickAsync();
        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync(
            "Next: " + await RideInTheBrowserTests.ShownPickupTimeAsync(rider, local.AddDays(14).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)));

        // Support sees it on the rider's card ("why was this ride booked?").
        var riderId = await rider.EvaluateAsync<string>("() => JSON.parse(localStorage.getItem('uberclone.session')).userId");
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GotoAsync($"/ops?user={riderId}");
        await Expect(desk.GetByTestId("ops-user-schedule")).ToContainTextAsync($"{day} at {time}");
        await Expect(desk.GetByTestId("ops-user-schedule")).ToContainTextAsync("booked as trip t");
        await ShotAsync(desk, "desk-rider-repeating-rides");

        // Paused and resumed; deleted (asked twice), its booked ride stays.
        await repeating.GetByTestId("repeat-pause").ClickAsync();
        await Expect(repeating.GetByTestId("repeat-next")).ToHaveTextAsync("Paused: no rides are booked until you resume it.");
        await repeating.GetByTestId("repeat-resume").ClickAsync();
        await Expect(repeating.GetByTestId("repeat-next")).ToContainTextAsync("Next: ");
        await rider.ReloadAsync();
        await Expect(repeating).ToHaveCountAsync(1);
        await repeating.GetByTestId("repeat-delete").ClickAsync();
        await repeating.GetByTestId("repeat-delete-confirm").ClickAsync();
        await Expect(rider.GetByTestId("repeat-rides")).ToHaveCountAsync(0);
        await Expect(booked).ToHaveCountAsync(1);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"repeat-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
