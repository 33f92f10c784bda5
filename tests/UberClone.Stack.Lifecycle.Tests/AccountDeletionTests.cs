using System.Net;
using System.Net.Http.Json;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Riders and drivers delete their own accounts on the whole stack: refused while a ride is under way or unpaid (saying
/// which); then signed out everywhere, the driver offline, the rides booked ahead cancelled, and after the grace period
/// (<see cref="LifecycleStackFixture.DeletionGrace"/> here) the account is erased: sign-in, the driver's position; what
/// trips and payments must keep stays, naming only the id. Signing in during the grace keeps the account.
/// </summary>
public sealed class AccountDeletionTests(LifecycleStackFixture stack)
{
    private static Task<HttpResponseMessage> DeleteAsync(UserSession user, string? password = null) =>
        user.PostAsync("/api/auth/me/delete", new { password = password ?? user.Password });

    private static async Task<HttpStatusCode> SignInStatusAsync(UserSession user)
    {
        using var response = await user.PostAsync("/api/auth/signin", new { email = user.Email, password = user.Password });
        return response.StatusCode;
    }

    [Fact]
    public async Task Neither_side_of_a_ride_under_way_can_delete_their_account_and_once_it_ended_both_can_and_are_gone()
    {
        var client = stack.Client();
        // What the apps say before one deletes (no session needed): how long the account is kept.
        using (var policies = await client.Http.GetAsync("/api/auth/policies", TestContext.Current.CancellationToken))
        {
            Assert.Equal((long)LifecycleStackFixture.DeletionGrace.TotalSeconds, (await PlatformClient.ReadAsync(policies))["deletionGraceSeconds"]!.GetValue<long>());
        }
        await using var trip = await AssignedTrip.StartAsync(client);
        var (rider, driver, tripId) = (trip.Rider, trip.Driver, trip.TripId);

        var riderBusy = await DeleteAsync(rider).ProblemAsync(HttpStatusCode.Conflict);
        var driverBusy = await DeleteAsync(driver.User).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("https://uberclone.dev/problems/account-busy", riderBusy.Str("type"));
        Assert.Contains($"({tripId}, driver_assigned); finish or cancel it before deleting your account", riderBusy.Str("detail"));
        Assert.Contains($"You are on a trip ({tripId}, driver_assigned); finish it before deleting your account", driverBusy.Str("detail"));
        await DeleteAsync(rider, "not the password").ProblemAsync(HttpStatusCode.Unauthorized);
        // Nothing was deleted: both still work.
        Assert.Equal(tripId, (await rider.GetOkAsync("/api/trips/active")).Str("tripId"));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(driver.User));

        // Support cancels the trip for the rider (never a fee, whatever the time): nothing is owed, and both may leave.
        var support = await stack.SupportAsync();
        await support.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "the rider is leaving UberClone" });
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        var asked = await DeleteAsync(rider).OkAsync();
        Assert.Equal($"Your account will be deleted on {DateTimeOffset.Parse(asked.Str("eraseAt")):d MMMM yyyy}. Every device was signed out. Sign in before then to keep it.",
            asked.Str("message"));
        await trip.RiderSocket.WaitForCloseAsync();
        await DeleteAsync(driver.User).OkAsync();
        var riderClosing = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("Sign in before then", riderClosing.Text);
        Assert.DoesNotContain("still owed", riderClosing.Text); // a rider is owed nothing

        // Once the grace is over, the address each had is told it is done, the last mail UberClone sends it.
        foreach (var user in new[] { rider, driver.User })
        {
            var done = await stack.Mailbox.WaitForAsync(user.Email, m => m.Subject == "Your UberClone account was deleted", LifecycleStackFixture.DeletionGrace * 4);
            Assert.Contains("as you asked", done.Raw);
        }
        foreach (var user in new[] { rider, driver.User })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInStatusAsync(user));
            using var me = await user.GetAsync("/api/auth/me");
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode); // the token ended with the account
        }
        // Support sees what is left: the ids on the trip, and accounts with nothing personal on them; the driver offline
        // for good, with no position kept.
        var kept = await support.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal((rider.UserId, "cancelled"), (kept.Str("riderId"), kept.Str("status")));
        foreach (var user in new[] { rider, driver.User })
        {
            var card = await support.GetOkAsync($"/api/ops/users/{user.UserId}");
            Assert.Equal(("", "Deleted user"), (card.Str("email"), card.Str("name")));
            Assert.False(string.IsNullOrEmpty((string?)card["deletedAt"]));
            Assert.Null(card["vehicle"]);
        }
        var gone = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{driver.Id}"),
            d => d.Str("state") == "offline" && d["location"] is null);
        Assert.Equal("The driver deleted their account.", gone.Str("offlineReason"));
        await support.PostAsync($"/api/ops/users/{rider.UserId}/suspend", new { reason = "fraud" }).ProblemAsync(HttpStatusCode.BadRequest);
        // The email is free: its owner may come back as a new account.
        using var again = await client.Http.PostAsJsonAsync("/api/auth/signup", new { email = rider.Email, password = "a new password", role = "rider", name = "Back" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(rider.UserId, (await PlatformClient.ReadAsync(again)).Str("userId"));
    }

    [Fact]
    public async Task A_rider_who_owes_a_fare_pays_it_first_and_a_deleted_riders_rides_booked_for_later_are_cancelled()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        var pickup = Point.FreshCity();
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = pickup.Lat + 0.02, lng = pickup.Lng } });
        // Booked for someone else (ADR 0031): the guest's phone is a third person's, forgotten with the rider's account.
        var later = await rider.PostOkAsync("/api/trips", new
        {
            quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = DateTimeOffset.UtcNow.AddHours(3).ToString("O"),
            passenger = new { name = "Anna", phone = "+39 06 1234 5678" },
        });

        var owes = await DeleteAsync(rider).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"Your trip {tripId} is not paid yet", owes.Str("detail"));
        Assert.Contains("pay it before deleting your account", owes.Str("detail"));

        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal(rider.UserId, (await driver.User.GetOkAsync($"/api/trips/{tripId}/rider")).Str("riderId"));
        await DeleteAsync(rider).OkAsync();

        // Cancelled at once, not when the account is erased: nobody is sent to pick up a rider who is leaving.
        var support = await stack.SupportAsync();
        var cancelled = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{later.Str("tripId")}"), t => t.Str("status") == "cancelled");
        Assert.Equal(("system", "The rider deleted their account."), (cancelled["cancellation"].Str("cancelledBy"), cancelled["cancellation"].Str("reason")));
        Assert.Equal("+390612345678", cancelled["passenger"].Str("phone")); // kept during the grace: the rider may come back
        // The paid trip stays, for its receipt and the driver's earnings.
        var paid = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("completed", "paid"), (paid.Str("status"), paid["receipt"].Str("paymentStatus")));
        // Once erased, the driver's card of their rider says so.
        await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Your UberClone account was deleted", LifecycleStackFixture.DeletionGrace * 4);
        await driver.User.GetAsync($"/api/trips/{tripId}/rider").ProblemAsync(HttpStatusCode.NotFound);
        // The guest's phone is forgotten; their first name stays with the trip, as its messages do.
        var erased = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{later.Str("tripId")}"), t => string.IsNullOrEmpty((string?)t["passenger"]!["phone"]));
        Assert.Equal("Anna", erased["passenger"].Str("name"));
    }

    [Fact]
    public async Task Support_deletes_a_riders_account_for_them_once_nothing_is_owed_and_keeps_it_when_they_call_back_each_in_the_audit_trail()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var support = await stack.SupportAsync();
        var path = $"/api/ops/users/{rider.UserId}/delete";

        // A reason is needed (the audit trail keeps it), only support may, and not while a fare is owed.
        Assert.Contains("reason is required", (await support.PostAsync(path, new { }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await driver.User.PostAsync(path, new { reason = "asked" }).ProblemAsync(HttpStatusCode.Forbidden);
        var owes = await support.PostAsync(path, new { reason = "the rider called" }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"Your trip {tripId} is not paid yet", owes.Str("detail"));
        Assert.Equal(HttpStatusCode.OK, (await rider.GetAsync("/api/auth/me")).StatusCode); // nothing changed
        Assert.Contains("not deleted", (await support.PostAsync($"/api/ops/users/{support.UserId}/delete", new { reason = "x" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));

        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        await Rides.PayAsync(rider, session, "pay");
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        var deleting = await PlatformClient.ReadAsync(await support.PostAsync(path, new { reason = "the rider called: lost their phone, wants the account gone" }));
        Assert.False(string.IsNullOrEmpty((string?)deleting["eraseAt"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await rider.GetAsync("/api/auth/me")).StatusCode); // every session ended
        var told = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Your UberClone account will be deleted");
        Assert.Contains("As you asked our support team, your UberClone account will be deleted on", told.Text);
        Assert.Equal(deleting.Str("eraseAt"), (await PlatformClient.ReadAsync(await support.PostAsync(path, new { reason = "again" }))).Str("eraseAt")); // the same

        // The rider calls back before the erasure: support keeps it; they are told, and sign in as before.
        var kept = await PlatformClient.ReadAsync(await support.PostAsync($"/api/ops/users/{rider.UserId}/keep", new { reason = "the rider called back: found the phone" }));
        Assert.Null(kept["eraseAt"]);
        var welcome = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Welcome back: your UberClone account is kept");
        Assert.Contains("As you asked our support team, your UberClone account will not be deleted after all", welcome.Text);
        Assert.Equal("no-deletion-waiting", (await support.PostAsync($"/api/ops/users/{rider.UserId}/keep", new { reason = "again" }).ProblemAsync(HttpStatusCode.Conflict)).Str("type").Split('/')[^1]);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(rider));

        var audit = (await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray();
        Assert.Contains(audit, a => a.Str("action") == "user.deletion_requested" && a.Str("reason") == "the rider called: lost their phone, wants the account gone");
        Assert.Contains(audit, a => a.Str("action") == "user.kept" && a.Str("reason") == "the rider called back: found the phone");
    }

    [Fact]
    public async Task A_driver_who_asked_to_delete_their_account_and_signs_in_during_the_grace_keeps_it_and_drives_again()
    {
        var client = stack.Client();
        var at = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, at);

        await DeleteAsync(driver.User).OkAsync();
        var support = await stack.SupportAsync();
        var off = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{driver.Id}"), d => d.Str("state") == "offline");
        Assert.Equal("You asked to delete your account.", off.Str("offlineReason"));
        var card = await support.GetOkAsync($"/api/ops/users/{driver.Id}");
        Assert.False(string.IsNullOrEmpty((string?)card["eraseAt"]));
        using (var me = await driver.User.GetAsync("/api/auth/me")) Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

        // Changed their mind: signing in keeps the account, says so, and they drive again.
        using var back = await client.Http.PostAsJsonAsync("/api/auth/signin", new { email = driver.User.Email, password = driver.User.Password }, TestContext.Current.CancellationToken);
        var session = await PlatformClient.ReadAsync(back);
        Assert.True(session["restored"]!.GetValue<bool>());
        var again = new UserSession(client, session.Str("userId"), session.Str("role"), session.Str("accessToken")) { Email = driver.User.Email, Password = driver.User.Password };
        await again.GoOnlineAsync(at);
        Assert.Equal("available", (await again.GetOkAsync("/api/drivers/me")).Str("state"));
        await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject == "Welcome back: your UberClone account is kept");
        Assert.Null((await support.GetOkAsync($"/api/ops/users/{driver.Id}"))["eraseAt"]);

        // Past the grace it is still there.
        await Task.Delay(LifecycleStackFixture.DeletionGrace + TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(driver.User));
        Assert.DoesNotContain(stack.Mailbox.Received, m => m.To.Contains(driver.User.Email) && m.Subject == "Your UberClone account was deleted");
    }
}
