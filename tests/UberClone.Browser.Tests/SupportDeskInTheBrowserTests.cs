using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// The support desk (/ops) in the browser: an operator, in a browser context of their own, finds a rider who called,
/// refunds part of a paid trip's fare and cancels a trip booked by mistake; the rider's (and the driver's) app says so.
/// </summary>
public sealed class SupportDeskInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task An_operator_finds_a_riders_trip_refunds_part_of_its_fare_and_cancels_a_trip_booked_by_mistake()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 45.4642, Lng: 9.19); // Milan: no other test's drivers here
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        var desk = await DeskAsync();

        // A paid trip: the driver drives the rider, who pays the fare in the sandbox checkout.
        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Sid Supported", (pickup.Lat + 0.00054, pickup.Lng));
        var riderEmail = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Carla Caller");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "45.4800, 9.2100");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        var fareTotal = (await rider.GetByTestId("fare-total").TextContentAsync())!.Trim();
        var checkout = await rider.Context.RunAndWaitForPageAsync(() => rider.GetByTestId("pay-link").ClickAsync());
        await checkout.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        await Expect(rider.GetByTestId("payment-status")).ToContainTextAsync("paid");
        await ShotAsync(rider, "desk-rider-paid");

        // The rider calls support. The operator signs in where everyone does, and lands on the support desk.
        await SignInAtTheDeskAsync(desk);
        await ShotAsync(desk, "desk-signed-in");

        // The caller by their email: their account, and their one trip.
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var user = desk.GetByTestId("ops-user");
        await Expect(user.GetByTestId("ops-user-name")).ToHaveTextAsync("Carla Caller");
        await Expect(user.GetByTestId("ops-user-email")).ToHaveTextAsync(riderEmail);
        await Expect(user.GetByTestId("ops-user-role")).ToHaveTextAsync("rider");
        await Expect(desk).ToHaveURLAsync(new Regex(@"/ops\?user=r[0-9a-f]+$"));
        var rows = desk.GetByTestId("ops-trip-row");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("completed");
        await ShotAsync(desk, "desk-user");

        // The trip: completed, its fare as the rider saw it, paid; rider and driver named.
        await rows.ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-status")).ToHaveTextAsync("completed", new() { IgnoreCase = true });
        var tripId = (await desk.GetByTestId("ops-trip-id").TextContentAsync())!.Trim();
        await Expect(desk).ToHaveURLAsync(new Regex($@"/ops\?trip={Regex.Escape(tripId)}$"));
        await Expect(desk.GetByTestId("ops-trip").GetByTestId("fare-total")).ToHaveTextAsync(fareTotal);
        await Expect(desk.GetByTestId("ops-trip-rider")).ToContainTextAsync(riderEmail);
        await Expect(desk.GetByTestId("ops-trip-driver")).ToContainTextAsync("Sid Supported");
        await Expect(desk.GetByTestId("ops-payment-session")).ToHaveCountAsync(1);
        await Expect(desk.GetByTestId("ops-payment-status")).ToHaveTextAsync("succeeded");
        // The view is in the URL: a reload (or the link, sent to a colleague) opens the same trip.
        await desk.ReloadAsync();
        await Expect(desk.GetByTestId("ops-trip-id")).ToHaveTextAsync(tripId);
        await ShotAsync(desk, "desk-trip");
        // "Mail me the receipt again": not to an address its owner has not confirmed, and the desk is told why.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Email the receipt to the rider" }).ClickAsync();
        await Expect(desk.GetByTestId("mail-receipt-result")).ToContainTextAsync("The rider has not confirmed their email");

        // The route was longer than it should have been: $1.00 back, taken from what the driver earns.
        await desk.GetByTestId("ops-refund-amount").FillAsync("1.00");
        await desk.GetByTestId("ops-refund-kind").SelectOptionAsync("fare_adjustment");
        await desk.GetByTestId("ops-refund-reason").FillAsync("rider called: the driver took a longer route");
        await desk.GetByTestId("ops-refund-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-refund-result")).ToHaveTextAsync("Refunded $1.00");
        await Expect(desk.GetByTestId("ops-payment-status")).ToHaveTextAsync("partially refunded");
        await Expect(desk.GetByTestId("ops-payment-refund")).ToContainTextAsync("fare adjustment");
        await Expect(desk.GetByTestId("ops-payment-refund-by")).ToHaveTextAsync("by you");
        // The trip's audit trail keeps it: what, by whom, why.
        var trail = desk.GetByTestId("ops-actions").GetByTestId("ops-action-row");
        await Expect(trail).ToHaveCountAsync(1);
        await Expect(trail).ToContainTextAsync("Refunded $1.00 (fare adjustment) by you");
        await Expect(trail).ToContainTextAsync("“rider called: the driver took a longer route”");

        // Trips records the refund when payments' event reaches it: the page reads the trip again for a few
        // seconds; on a slow machine the operator refreshes.
        var tripRefunds = desk.GetByTestId("ops-trip-refunds");
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !await tripRefunds.IsVisibleAsync();)
        {
            Assert.True(DateTime.UtcNow < deadline, "The trip did not show the refund 60 s after it was made.");
            await Task.Delay(2_000, TestContext.Current.CancellationToken);
            if (!await tripRefunds.IsVisibleAsync()) await desk.GetByTestId("ops-refresh").ClickAsync();
        }
        await Expect(tripRefunds).ToContainTextAsync("Fare adjustment");
        await Expect(desk.GetByTestId("ops-trip-refunded-total")).ToHaveTextAsync("$1.00");
        await ShotAsync(desk, "desk-refunded");

        // The rider is told, and so is the driver (a fare adjustment lowers their earnings).
        await Expect(rider.GetByText(new Regex(@"^\D*1\.00 was refunded to your card\.$"))).ToBeVisibleAsync();
        await Expect(driver.GetByText(new Regex(@"^A fare adjustment of \$1\.00 was refunded to a rider; you now earn .+ from that trip\.$"))).ToBeVisibleAsync();
        await ShotAsync(rider, "desk-rider-refunded");

        // No driver is online now; the rider books again, by mistake.
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go offline" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "45.4700, 9.2000");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal) && response.Ok);
        var secondTripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await ShotAsync(rider, "desk-rider-searching");

        // Support's start page lists what is under way now: the trip is among those searching.
        await desk.GotoAsync("/ops");
        await desk.GetByTestId("ops-now-searching").ClickAsync();
        await Expect(desk.Locator($"[data-testid=ops-now-row][data-trip-id={secondTripId}]")).ToBeVisibleAsync();
        await ShotAsync(desk, "desk-under-way-now");

        // The rider calls: support opens the trip by its id (before dispatch gives up searching) and cancels it.
        await desk.GetByTestId("ops-search").FillAsync(secondTripId);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-id")).ToHaveTextAsync(secondTripId);
        await Expect(desk.GetByTestId("ops-trip-status")).ToHaveTextAsync("searching", new() { IgnoreCase = true });
        await Expect(desk.GetByTestId("ops-payments")).ToContainTextAsync("No payment yet");
        await Expect(desk.GetByTestId("ops-refund")).ToHaveCountAsync(0);
        await desk.GetByTestId("ops-cancel-reason").FillAsync("rider called: booked by mistake");
        await desk.GetByTestId("ops-cancel-submit").ClickAsync();
        await ShotAsync(desk, "desk-cancel-confirmation");
        await desk.GetByTestId("ops-cancel-confirm").ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-status")).ToHaveTextAsync("cancelled", new() { IgnoreCase = true });
        await Expect(desk.GetByTestId("ops-trip-cancellation")).ToContainTextAsync("By support");
        await Expect(desk.GetByTestId("ops-cancel")).ToHaveCountAsync(0);
        await Expect(trail).ToHaveCountAsync(1);
        await Expect(trail).ToContainTextAsync("Cancelled the trip by you");
        await ShotAsync(desk, "desk-cancelled");

        // The rider's screen says support cancelled it, why, and that it cost nothing.
        await Expect(rider.GetByTestId("trip-status")).ToHaveTextAsync("cancelled", new() { IgnoreCase = true });
        await Expect(rider.GetByText("Cancelled by support: rider called: booked by mistake. No charge.")).ToBeVisibleAsync();
        await ShotAsync(rider, "desk-rider-cancelled-by-support");

        // The caller's account now lists both trips, newest first.
        await desk.GetByTestId("ops-trip-rider").ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-row")).ToHaveCountAsync(2);
        await Expect(desk.GetByTestId("ops-trip-row").First).ToContainTextAsync("cancelled");
        await ShotAsync(desk, "desk-user-two-trips");

        // The driver, from the first trip: offline now (they went offline themselves), and where they last were.
        await desk.GetByTestId("ops-trip-row").Last.ClickAsync();
        await desk.GetByTestId("ops-trip-driver").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-role")).ToHaveTextAsync("driver");
        await Expect(desk.GetByTestId("ops-driver-state")).ToHaveTextAsync("offline");
        await Expect(desk.GetByTestId("ops-driver-location")).ToContainTextAsync("45.46");
        await ShotAsync(desk, "desk-driver");

        // The rider calls again: their phone was stolen. Support ends every session of theirs; the rider's app
        // (its socket closed, its refresh token spent) goes back to sign-in, saying so.
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-name")).ToHaveTextAsync("Carla Caller");
        await desk.GetByTestId("ops-signout-everywhere").ClickAsync();
        await desk.GetByTestId("ops-signout-everywhere-confirm").ClickAsync();
        await Expect(desk.GetByTestId("ops-signout-everywhere-result")).ToContainTextAsync("signed out on every device");
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"/\?ended=1$"));
        await Expect(rider.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
        await ShotAsync(rider, "desk-rider-signed-out-everywhere");

        // Then the account is suspended: signing in with the right password says so, and why.
        await desk.GetByTestId("ops-suspend-reason").FillAsync("chargeback under review");
        await desk.GetByTestId("ops-suspend").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-suspended")).ToContainTextAsync("chargeback under review");
        // The caller's account keeps what support did to it and to their trips, newest first.
        await Expect(trail).ToHaveTextAsync([
            new Regex("Suspended the account by you.*chargeback under review"),
            new Regex("Signed the account out on every device by you"),
            new Regex($"Cancelled the trip by you \\(trip {Regex.Escape(secondTripId)}\\)"),
            new Regex($"Refunded \\$1\\.00 \\(fare adjustment\\) by you \\(trip {Regex.Escape(tripId)}\\)"),
        ]);
        await ShotAsync(desk, "desk-rider-suspended");
        await rider.GetByRole(AriaRole.Tab, new() { Name = "Sign in" }).ClickAsync();
        await rider.GetByLabel("Email").FillAsync(riderEmail);
        await rider.GetByLabel("Password").FillAsync("correct horse battery staple");
        await rider.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(rider.GetByText("This account is suspended (chargeback under review). Contact support.")).ToBeVisibleAsync();
        await ShotAsync(rider, "desk-rider-suspended-sign-in");
    }

    /// <summary>A person's phone: a browser context of its own (own storage, own session), phone-sized.</summary>
    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_ends_a_ride_whose_driver_cannot_then_answers_the_riders_help_request_from_its_queue()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 50.8503, Lng: 4.3517); // Brussels: no other test's drivers here
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        var desk = await DeskAsync();

        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Hugo Helpful", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Lena Lost");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "50.8400, 4.3700");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal) && response.Ok);
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);

        // At the drop-off the driver's phone dies; the rider calls, and support ends the ride for the driver.
        await SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(tripId);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-status")).ToHaveTextAsync("in progress", new() { IgnoreCase = true });
        await Expect(desk.GetByTestId("ops-cancel")).ToHaveCountAsync(0);
        await desk.GetByTestId("ops-end-reason").FillAsync("driver's phone died at the drop-off");
        await desk.GetByTestId("ops-end-submit").ClickAsync();
        await Expect(desk.GetByRole(AriaRole.Group, new() { Name = "End this ride?" })).ToContainTextAsync("The rider pays the upfront fare");
        await desk.GetByTestId("ops-end-confirm").ClickAsync();
        await Expect(desk.GetByTestId("ops-trip-status")).ToHaveTextAsync("completed", new() { IgnoreCase = true });
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await Expect(rider.GetByTestId("ended-by-support")).ToHaveTextAsync("Support ended your ride: driver's phone died at the drop-off.");
        await Expect(driver.GetByTestId("ended-by-support")).ToHaveTextAsync("Support ended this ride: driver's phone died at the drop-off.");
        await ShotAsync(rider, "rider-ride-ended-by-support");
        await desk.GotoAsync("/ops");
        await Expect(desk.GetByTestId("ops-help-queue")).ToBeVisibleAsync();
        await Expect(desk.GetByTestId("connection")).ToHaveTextAsync("● live"); // the desk's socket is open

        // Out of the car, the rider misses their umbrella and asks support from the trip.
        var help = rider.GetByTestId("trip-help");
        await help.GetByRole(AriaRole.Button, new() { Name = "Get help with this trip" }).ClickAsync();
        await help.GetByLabel("What is it about?").SelectOptionAsync(new SelectOptionValue { Label = "I lost an item" });
        await help.GetByLabel("Tell us what happened").FillAsync("I left my blue umbrella on the back seat.");
        await help.GetByRole(AriaRole.Button, new() { Name = "Send to support" }).ClickAsync();
        await Expect(help.GetByTestId("help-status")).ToHaveTextAsync("Waiting for support");
        await Expect(help.GetByRole(AriaRole.Button, new() { Name = "Get help with this trip" })).ToHaveCountAsync(0);

        // The desk's queue shows it at once (no reload); the operator opens the trip and answers.
        var waiting = desk.GetByTestId("ops-help-queue").GetByTestId("ops-help-queue-row").Filter(new() { HasText = "blue umbrella" });
        await Expect(waiting).ToContainTextAsync("I lost an item");
        await ShotAsync(desk, "desk-help-queue");
        await waiting.ClickAsync();
        var request = desk.GetByTestId("ops-help-requests").GetByTestId("ops-help-request");
        await Expect(request.GetByTestId("ops-help-messages")).ToContainTextAsync("I left my blue umbrella on the back seat.");
        await request.GetByLabel("Answer").FillAsync("Hugo has your umbrella and will call you to bring it back.");
        await request.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(request.GetByTestId("ops-help-status")).ToContainTextAsync("Answered");
        await ShotAsync(desk, "desk-help-answered");

        // The rider's app shows the answer without a reload; they thank support and close the request.
        await Expect(help.GetByTestId("help-messages")).ToContainTextAsync("Support: Hugo has your umbrella and will call you to bring it back.");
        await Expect(help.GetByTestId("help-status")).ToHaveTextAsync("Support answered");
        await ShotAsync(rider, "rider-help-answered");
        await help.GetByLabel("Reply to support").FillAsync("Thank you!");
        await help.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(help.GetByTestId("help-status")).ToHaveTextAsync("Waiting for support");
        await help.GetByRole(AriaRole.Button, new() { Name = "Close request" }).ClickAsync();
        await Expect(help.GetByTestId("help-status")).ToHaveTextAsync("Closed");
        await Expect(help.GetByRole(AriaRole.Button, new() { Name = "Get help with this trip" })).ToBeVisibleAsync();
        // The desk's page follows without a reload.
        await Expect(desk.GetByTestId("ops-help-requests").GetByTestId("ops-help-status")).ToContainTextAsync("Closed");
        await Expect(desk.GetByTestId("ops-help-requests").GetByTestId("ops-help-messages")).ToContainTextAsync("Thank you!");
        // The rider's card lists what they asked, whatever its status.
        await desk.GetByTestId("ops-trip-rider").ClickAsync();
        await Expect(desk.GetByTestId("ops-user-help-row")).ToContainTextAsync("I lost an item");
        await Expect(desk.GetByTestId("ops-user-help-row")).ToContainTextAsync("Closed");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_rider_who_presses_Emergency_during_the_ride_is_first_in_the_desks_help_queue_marked_EMERGENCY()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 53.3498, Lng: -6.2603); // Dublin: no other test's drivers here (RideInTheBrowserTests rides in Lisbon)
        var rider = await PhoneAsync();
        var driver = await PhoneAsync();
        var desk = await DeskAsync();

        await RideInTheBrowserTests.DriverOnlineAsync(driver, "Rui Rescue", (pickup.Lat + 0.00054, pickup.Lng));
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Ines Imperilled");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, "53.3600, -6.2400");
        var booked = await rider.RunAndWaitForResponseAsync(
            () => rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync(),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/api/trips", StringComparison.Ordinal) && response.Ok);
        var tripId = (await booked.JsonAsync())!.Value.GetProperty("tripId").GetString()!;
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await Expect(driver.GetByTestId("emergency")).ToBeVisibleAsync();

        // The driver asked support something first: that request has waited longer.
        var driverHelp = driver.GetByTestId("trip-help");
        await driverHelp.GetByRole(AriaRole.Button, new() { Name = "Get help with this trip" }).ClickAsync();
        await driverHelp.GetByLabel("What is it about?").SelectOptionAsync(new SelectOptionValue { Label = "Something else" });
        await driverHelp.GetByLabel("Tell us what happened").FillAsync("The rider asks for a detour through Belem.");
        await driverHelp.GetByRole(AriaRole.Button, new() { Name = "Send to support" }).ClickAsync();
        await Expect(driverHelp.GetByTestId("help-status")).ToHaveTextAsync("Waiting for support");

        await SignInAtTheDeskAsync(desk);
        await Expect(desk.GetByTestId("ops-help-queue").GetByTestId("ops-help-queue-row").Filter(new() { HasText = "detour through Belem" })).ToBeVisibleAsync();
        await Expect(desk.GetByTestId("connection")).ToHaveTextAsync("● live"); // the desk's socket is open

        // During the ride the rider feels in danger: the button offers the emergency number and to alert support.
        await rider.GetByTestId("emergency").ClickAsync();
        var panel = rider.GetByTestId("emergency-panel");
        await Expect(panel.GetByTestId("emergency-call")).ToHaveAttributeAsync("href", "tel:112");
        await Expect(panel.GetByTestId("emergency-call")).ToHaveTextAsync("Call emergency services (112)");
        await ShotAsync(rider, "rider-emergency-panel");
        await panel.GetByTestId("emergency-alert").ClickAsync();
        await Expect(panel.GetByTestId("emergency-sent")).ToHaveTextAsync("Support has been alerted and sees your trip and location.");
        await Expect(panel.GetByTestId("emergency-error")).ToHaveCountAsync(0);

        // The desk's queue shows it at once (no reload), marked and ahead of the driver's; the trip's page says what happened.
        var first = desk.GetByTestId("ops-help-queue").GetByTestId("ops-help-queue-row").First;
        await Expect(first).ToContainTextAsync("I felt unsafe · Rider");
        await Expect(first).ToHaveAttributeAsync("data-trip-id", tripId);
        await Expect(first.GetByTestId("help-urgent")).ToHaveTextAsync("EMERGENCY");
        await ShotAsync(desk, "desk-emergency-queue");
        await first.ClickAsync();
        var request = desk.GetByTestId("ops-help-requests").GetByTestId("ops-help-request").Filter(new() { Has = desk.GetByTestId("help-urgent") });
        await Expect(request).ToContainTextAsync("I felt unsafe");
        await Expect(request.GetByTestId("ops-help-messages").Locator("li").First)
            .ToContainTextAsync(new Regex(@"Rider:\s*EMERGENCY: the rider pressed the emergency button"));

        // Dropped off, the rider can still raise an alert for the next hour (whatever happened may follow them out).
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(rider.GetByText("You have arrived. Thanks for riding!")).ToBeVisibleAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(rider.GetByTestId("emergency")).ToBeVisibleAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_deletes_the_account_of_a_rider_who_called_and_keeps_it_when_they_call_back()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var desk = await DeskAsync();
        var riderEmail = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Dora Departing");
        await Expect(rider.GetByTestId("connection")).ToHaveTextAsync("● live");

        // The rider calls: they cannot use the app, and want their account deleted.
        await SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var user = desk.GetByTestId("ops-user");
        await Expect(user.GetByTestId("ops-user-name")).ToHaveTextAsync("Dora Departing");
        await Expect(user.GetByTestId("ops-user-deleting")).ToHaveCountAsync(0);
        await Expect(user.GetByTestId("ops-user-keep")).ToHaveCountAsync(0);
        var trail = user.GetByTestId("ops-actions");
        await Expect(trail).ToContainTextAsync("Support has not changed anything here.");

        // Deleting asks for a reason (it cannot be confirmed without one) and says what it does.
        await user.GetByTestId("ops-user-delete").ClickAsync();
        var confirm = user.GetByTestId("ops-user-delete-confirm");
        await Expect(confirm).ToBeDisabledAsync();
        await user.GetByTestId("ops-user-delete-reason").FillAsync("   ");
        await Expect(confirm).ToBeDisabledAsync();
        var asking = user.GetByRole(AriaRole.Form, new() { Name = "Delete this account" });
        await Expect(asking).ToContainTextAsync("signed out on every device now, rides they booked ahead are cancelled");
        await Expect(asking).ToContainTextAsync("erased after 30 days unless they sign in before (or call back to keep it)");
        await user.GetByTestId("ops-user-delete-reason").FillAsync("The rider called and asked");
        await ShotAsync(desk, "desk-delete-confirmation");
        await confirm.ClickAsync();

        // The card shows the deletion waiting, and when it happens; the trail keeps it, with the reason.
        await Expect(user.GetByTestId("ops-user-deleting")).ToContainTextAsync(new Regex(@"^Asked to delete their account on .*\d{4}.*: erased on .*\d{4}.* unless they sign in before"));
        await Expect(user.GetByTestId("ops-user-delete")).ToHaveCountAsync(0);
        await Expect(trail.GetByTestId("ops-action-row")).ToHaveTextAsync([new Regex("Deleted the account for its owner by you.*“The rider called and asked”")]);
        await ShotAsync(desk, "desk-deletion-waiting");

        // Every session of the rider ended: their app goes to sign-in by itself, and stays there. They are mailed.
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"/\?ended=1$"));
        await Expect(rider.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
        await rider.GotoAsync("/rider");
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex(@"^https?://[^/]+/(\?.*)?$"));
        await Expect(rider.GetByRole(AriaRole.Tab, new() { Name = "Sign in" })).ToBeVisibleAsync();
        var closing = await stack.Mailbox.WaitForAsync(riderEmail, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("As you asked our support team", closing.Text);

        // They call back within the 30 days: support keeps the account, with a reason too.
        await user.GetByTestId("ops-user-keep").ClickAsync();
        await Expect(user.GetByTestId("ops-user-keep-confirm")).ToBeDisabledAsync();
        await user.GetByTestId("ops-user-keep-reason").FillAsync("The rider called back to keep it");
        await user.GetByTestId("ops-user-keep-confirm").ClickAsync();
        await Expect(user.GetByTestId("ops-user-deleting")).ToHaveCountAsync(0);
        await Expect(user.GetByTestId("ops-user-keep")).ToHaveCountAsync(0);
        await Expect(user.GetByTestId("ops-user-delete")).ToBeVisibleAsync();
        await Expect(trail.GetByTestId("ops-action-row")).ToHaveTextAsync([
            new Regex("Kept the account \\(its deletion called off\\) by you.*“The rider called back to keep it”"),
            new Regex("Deleted the account for its owner by you.*“The rider called and asked”"),
        ]);
        await ShotAsync(desk, "desk-account-kept");
        await stack.Mailbox.WaitForAsync(riderEmail, m => m.Subject == "Welcome back: your UberClone account is kept");

        // The rider signs in with their password, as before.
        await People.SignInAsync(rider, riderEmail, People.SignUpPassword);
        await Assertions.Expect(rider).ToHaveURLAsync(new Regex("/rider$"));
        await Expect(rider.Locator("header").GetByText("Dora Departing", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_gives_a_rider_who_called_a_promotion_as_goodwill_and_the_riders_app_shows_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var rider = await PhoneAsync();
        var desk = await DeskAsync();
        var riderEmail = await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Greta Goodwill");
        var code = $"SORRY{Random.Shared.Next(100_000, 1_000_000)}";

        // A promotion for this one rider: $10.00 off one ride.
        await SignInAtTheDeskAsync(desk);
        var form = desk.GetByTestId("ops-promotion-form");
        await form.GetByTestId("ops-promotion-code").FillAsync(code);
        await form.GetByTestId("ops-promotion-kind").SelectOptionAsync("amount");
        await form.GetByTestId("ops-promotion-amount").FillAsync("10.00");
        await form.GetByTestId("ops-promotion-rides").FillAsync("1");
        await form.GetByTestId("ops-promotion-max-riders").FillAsync("1");
        await form.GetByTestId("ops-promotion-create").ClickAsync();
        await Expect(desk.GetByTestId($"ops-promotion-status-{code}")).ToHaveTextAsync("open");

        // The caller's card: none yet; support gives it, and the card and the audit trail say so.
        await desk.GetByTestId("ops-search").FillAsync(riderEmail);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var promotions = desk.GetByTestId("ops-user-promotions");
        await Expect(promotions).ToContainTextAsync("None.");
        await promotions.GetByTestId("ops-user-promotion-code").FillAsync("NOSUCH" + Random.Shared.Next(1000, 10_000));
        await promotions.GetByTestId("ops-user-promotion-give").ClickAsync();
        await Expect(promotions.GetByTestId("ops-user-promotion-error")).ToContainTextAsync("No promotion has the code");
        await promotions.GetByTestId("ops-user-promotion-code").FillAsync(code.ToLowerInvariant());
        await promotions.GetByTestId("ops-user-promotion-give").ClickAsync();
        await Expect(promotions.GetByTestId($"promotion-{code}")).ToContainTextAsync($"{code} · $10.00 off · 1 of 1 ride left");
        await Expect(desk.GetByTestId("ops-action-row").First).ToContainTextAsync("Gave the rider a promotion by you");
        await Expect(desk.GetByTestId("ops-action-row").First).ToContainTextAsync($"code {code}");
        await ShotAsync(desk, "desk-promotion-given");

        // The rider's account page lists it.
        await rider.GotoAsync("/account");
        await Expect(rider.GetByTestId($"promotion-{code}")).ToContainTextAsync("$10.00 off · 1 of 1 ride left");
    }

    /// <summary>The operator signs in where everyone does, and lands on the support desk.</summary>
    private Task SignInAtTheDeskAsync(IPage desk) => _people.SignInAtTheDeskAsync(desk);

    private Task<IPage> PhoneAsync() => _people.PhoneAsync();

    /// <summary>The support desk's screen: a browser context of its own, desktop-sized.</summary>
    private Task<IPage> DeskAsync() => _people.DeskAsync();

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
