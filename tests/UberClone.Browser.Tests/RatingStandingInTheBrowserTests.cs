using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Browser.Tests;

/// <summary>
/// Rating standings (ADR 0055, 0056) in the browser, in Poznań, on this stack's short windows (the last 3 rated trips,
/// judged from the 2nd; the product's lines). The rides are driven over the API (the browser adds nothing to them); the
/// browser shows what follows: the rider's warning, then their restriction, live; "Request economy" refused saying why;
/// support's rider card and its Reinstate with a reason (in the card's support actions at once), after which the notice
/// goes and the rider books; and the driver's warning when the rider's rating takes them below 4.60, then their approval
/// taken away below 4.50, which support's card names as the system's doing.
/// </summary>
public sealed class RatingStandingInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_rated_low_is_warned_then_refused_bookings_until_support_reinstates_them_and_their_low_rated_driver_is_warned()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = new Point(52.4064, 16.9252); // Poznań: no other test's drivers here
        var dropoff = pickup.Offset(-2_500, 1_500);
        var client = stack.Api();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Roza Nowak");
        await using var riderSocket = await rider.ConnectAsync();
        var phone = await _people.PhoneAsync();
        await People.SignInAsync(phone, rider.Email, rider.Password);
        await Expect(phone.GetByTestId("my-rating")).ToHaveTextAsync("No ratings yet");
        var notice = phone.GetByTestId("rating-standing");

        // Two rides rated 4 by the driver: 4.00 over 2, below 4.30 (not below 4.00). The rider's open app says so.
        await RideAsync(riderStars: 4, driverStars: 5); // one rated trip: too few to judge
        var unratedByRider = await RideAsync(riderStars: 4, driverStars: null);
        await Expect(notice).ToHaveTextAsync("Your rating is 4.00 over your last 2 rated trips, below 4.30. Below 4.00 you could not book rides until support reviews your account.");
        await Expect(phone.GetByTestId("my-rating")).ToHaveTextAsync("★ 4.00 · 2 ratings");
        await ShotAsync(phone, "rider-warned");

        // A third rated 2: 3.33 over 3, below 4.00. The notice becomes the restriction, and a booking is refused saying why.
        var lastRide = await RideAsync(riderStars: 2, driverStars: null);
        const string restricted = "Your rating 3.33 over your last 3 rated trips is below 4.00: you cannot book rides for now.";
        await Expect(notice).ToHaveTextAsync($"{restricted} Contact support (Help) to have your account reviewed.");
        await ShotAsync(phone, "rider-restricted");
        await phone.ReloadAsync(); // the last ride's panel gives way to the booking form (no ride is unfinished)
        await Expect(notice).ToContainTextAsync(restricted);
        await RideInTheBrowserTests.PricesAsync(phone, (pickup.Lat, pickup.Lng), $"{dropoff.Lat}, {dropoff.Lng}");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(phone.GetByTestId("booking-error")).ToHaveTextAsync($"{restricted} Contact support to have your account reviewed.");
        await Expect(phone.GetByTestId("trip-status")).ToHaveCountAsync(0);
        await ShotAsync(phone, "rider-booking-refused");

        // Support's rider card: the all-time rating and the standing; reinstated with a reason, the rider starts afresh.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(rider.Email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var card = desk.GetByTestId("ops-rider-rating");
        await Expect(card).ToContainTextAsync("★ 3.33 all time (3) · Rating 3.33 over 3 rated trips — restricted");
        var reinstate = desk.GetByTestId("ops-rider-rating-reinstate");
        await Expect(reinstate).ToBeDisabledAsync(); // no reason yet
        await desk.GetByTestId("ops-rider-rating-reason").FillAsync("Talked it through with the rider");
        await ShotAsync(desk, "desk-rider-restricted");
        await reinstate.ClickAsync();
        await Expect(card).ToHaveTextAsync("★ 3.33 all time (3)");
        await Expect(reinstate).ToHaveCountAsync(0);
        // The card's support actions say who reinstated the rider, and why.
        await Expect(desk.Locator("[data-testid=ops-action-row][data-action='rider.rating_reinstated']"))
            .ToHaveTextAsync(new Regex("Reinstated the rider restricted for their rating by you.*“Talked it through with the rider”"));
        await ShotAsync(desk, "desk-rider-reinstated");

        // The rider's notice goes (live), and the same request books.
        await Expect(notice).ToHaveCountAsync(0);
        await RideInTheBrowserTests.SeePricesAsync(phone);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await Expect(phone.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await ShotAsync(phone, "rider-books-again");

        // The driver, rated 5 by the rider so far (one rated trip: not judged), in their app; the rider's 4 for the second
        // ride makes it 4.50 over 2, below 4.60 (not below 4.50): the warning shows, live.
        var driverPhone = await _people.PhoneAsync();
        await People.SignInAsync(driverPhone, driver.User.Email, driver.User.Password);
        await Expect(driverPhone).ToHaveURLAsync(new Regex("/driver"));
        await Expect(driverPhone.GetByTestId("my-rating")).ToHaveTextAsync("★ 5.00 · 1 rating");
        await rider.PostOkAsync($"/api/trips/{unratedByRider}/rating", new { stars = 4 });
        await Expect(driverPhone.GetByTestId("rating-standing")).ToHaveTextAsync(
            "Your rating is 4.50 over your last 2 rated trips, below 4.60. Below 4.50 your account is paused until support reviews it.");
        await ShotAsync(driverPhone, "driver-warned");

        // The rider's 2 for the third ride: 3.67 over 3, below 4.50. No person acts: the rule takes the driver's approval
        // away (their app says why), and support's card of the driver names the rule, not a support account.
        await rider.PostOkAsync($"/api/trips/{lastRide}/rating", new { stars = 2 });
        const string why = "Rating 3.67 over the last 3 rated trips is below 4.50";
        await Expect(driverPhone.GetByTestId("approval-revoked")).ToContainTextAsync(why);
        await desk.GetByTestId("ops-search").FillAsync(driver.User.Email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.Locator("[data-testid=ops-action-row][data-action='driver.deactivated_for_rating']"))
            .ToHaveTextAsync(new Regex($"Took the driver's approval away for their rating by the system.*“{Regex.Escape(why)}\\.”"));
        await ShotAsync(desk, "desk-driver-deactivated-by-the-rule");

        // A ride of the rider with the one driver near the pickup, paid; the driver rates the rider, and the rider the driver
        // when given. The driver is available again before the next ride is booked.
        async Task<string> RideAsync(int riderStars, int? driverStars)
        {
            Assert.True(await driver.SendLocationAsync(pickup.Offset(40, 0)));
            var tripId = (await rider.RequestTripAsync(pickup, dropoff)).Str("tripId");
            await Rides.DriveAsync(rider, driver, tripId, pickup, Wait);
            await Rides.PayAsync(rider, await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId, Wait), "pay");
            await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid", Wait);
            await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available", Wait);
            await driver.User.PostOkAsync($"/api/trips/{tripId}/rating", new { stars = riderStars });
            if (driverStars is { } stars) await rider.PostOkAsync($"/api/trips/{tripId}/rating", new { stars });
            return tripId;
        }
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"rating-standing-{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
