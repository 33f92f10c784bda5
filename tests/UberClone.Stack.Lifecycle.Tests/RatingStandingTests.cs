using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A driver's standing over their last rated trips (ADR 0055; this stack judges the last 3 from the 2nd on, against the
/// product's lines 4.60 and 4.50): riders' ratings through the API warn the driver (socket, mail, their rating card),
/// then take their approval to drive away as the system: taken offline, going online refused saying why, support's desk
/// and audit trail say so. Support's approval reinstates them afresh: judged again from new ratings, and taken off again.
/// A rider's the same way (ADR 0056; the last 3 from the 2nd on, against 4.30 and 4.00): drivers' ratings warn them
/// (socket, mail), then restrict them (new bookings refused saying why) until support reinstates them.
/// </summary>
public sealed class RatingStandingTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_driver_whose_last_rated_trips_fall_below_the_lines_is_warned_then_taken_off_the_road()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        await Rides.ConfirmEmailAsync(driver.User, stack.Mailbox);

        await RideAndRateAsync(5);
        var card = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/trips/ratings/me"), r => r["rated"]?.GetValue<int>() == 1);
        Assert.Equal("good", card.Str("standing")); // one rated trip: too few to judge

        await RideAndRateAsync(4); // 4.50 over 2: below 4.60, not below 4.50
        var warned = await driver.Socket.WaitForAsync("driver.rating_standing", m => m["data"].Str("standing") == "warned");
        Assert.Equal((4.5, 2), (warned["data"]!["average"]!.GetValue<double>(), warned["data"]!["rated"]!.GetValue<int>()));
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject == "Your rating as a driver is low");
        Assert.Contains("Your rating is 4.50 over your last 2 rated trips. Below 4.50 your account is paused for review", mail.Text);
        card = await driver.User.GetOkAsync("/api/trips/ratings/me");
        Assert.Equal(("warned", 4.5, 4.6, 4.5), (card.Str("standing"), card["windowAverage"]!.GetValue<double>(),
            card["warnBelow"]!.GetValue<double>(), card["deactivateBelow"]!.GetValue<double>()));

        await RideAndRateAsync(1); // 3.33 over 3
        await driver.Socket.WaitForAsync("driver.rating_standing", m => m["data"].Str("standing") == "deactivate");
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "offline");
        var refused = await driver.User.PostAsync("/api/drivers/me/online", new { vehicleClass = "economy", location = new { lat = pickup.Lat, lng = pickup.Lng } })
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Rating 3.33 over the last 3 rated trips is below 4.50.", refused.Str("detail"));

        var support = await stack.SupportAsync();
        var desk = await support.GetOkAsync($"/api/trips/ops/drivers/{driver.Id}/rating");
        Assert.Equal(("deactivate", 3, 3.33), (desk.Str("standing"), desk["rated"]!.GetValue<int>(), desk["windowAverage"]!.GetValue<double>()));
        var audit = (await support.GetOkAsync($"/api/ops/audit?userId={driver.Id}"))["actions"]!.AsArray();
        var entry = Assert.Single(audit, a => a.Str("action") == "driver.deactivated_for_rating");
        Assert.Equal("system", entry.Str("operatorId"));

        // Support reinstates them (documents sent again, approved): a fresh start, judged again from new ratings only.
        await client.ApproveAsync(driver.User, "economy");
        await driver.Socket.WaitForAsync("driver.rating_standing", m => m["data"].Str("standing") == "good");
        desk = await support.GetOkAsync($"/api/trips/ops/drivers/{driver.Id}/rating");
        Assert.Equal(("good", 0, 3), (desk.Str("standing"), desk["rated"]!.GetValue<int>(), desk["count"]!.GetValue<int>()));
        await driver.User.GoOnlineAsync(pickup.Offset(40, 0), "economy");
        await RideAndRateAsync(1); // one new rating: not judged yet
        Assert.Equal(("good", 1), await StandingAsync());
        await RideAndRateAsync(1); // two: 1.00, off the road again
        await driver.Socket.WaitForAsync("driver.rating_standing", m => m["data"].Str("standing") == "deactivate" && m["data"]!["rated"]!.GetValue<int>() == 2);
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "offline");

        async Task<(string, int)> StandingAsync()
        {
            var rating = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/ops/drivers/{driver.Id}/rating"), r => r["count"]!.GetValue<int>() == 4);
            return (rating.Str("standing"), rating["rated"]!.GetValue<int>());
        }

        // A new rider's trip, driven by this driver near the pickup, then rated: the driver is available again before the rating.
        async Task RideAndRateAsync(int stars)
        {
            var rider = await client.SignInAsync("rider");
            Assert.True(await driver.SendLocationAsync(pickup.Offset(40, 0)));
            var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
            Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));
            await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
            await rider.PostOkAsync($"/api/trips/{tripId}/rating", new { stars });
        }
    }

    [Fact]
    public async Task A_rider_whose_last_rated_trips_fall_below_the_lines_is_warned_then_refused_bookings_until_support_reinstates_them()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var dropoff = pickup.Offset(-2_500, 1_500);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var socket = await rider.ConnectAsync();

        await RideAndRateAsync(4);
        var card = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/ratings/me"), r => r["rated"]?.GetValue<int>() == 1);
        Assert.Equal("good", card.Str("standing")); // one rated trip: too few to judge

        await RideAndRateAsync(4); // 4.00 over 2: below 4.30, not below 4.00
        var warned = await socket.WaitForAsync("rider.rating_standing", m => m["data"].Str("standing") == "warned");
        Assert.Equal((4.0, 2), (warned["data"]!["average"]!.GetValue<double>(), warned["data"]!["rated"]!.GetValue<int>()));
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == "Your rating as a rider is low");
        Assert.Contains("Your rating is 4.00 over your last 2 rated trips. Below 4.00 you could not book rides until support reviews your account.", mail.Text);
        card = await rider.GetOkAsync("/api/trips/ratings/me");
        Assert.Equal(("warned", 4.0, 4.3, 4.0), (card.Str("standing"), card["windowAverage"]!.GetValue<double>(),
            card["warnBelow"]!.GetValue<double>(), card["restrictBelow"]!.GetValue<double>()));

        await RideAndRateAsync(1); // 3.00 over 3
        await socket.WaitForAsync("rider.rating_standing", m => m["data"].Str("standing") == "restricted");
        var refused = await rider.BookAsync(pickup, dropoff).ProblemAsync(HttpStatusCode.Forbidden); // the quote is fine, the booking is not
        Assert.Equal("https://uberclone.dev/problems/rider-rating-too-low", refused.Str("type"));
        Assert.StartsWith("Your rating 3.00 over your last 3 rated trips is below 4.00", refused.Str("detail"));
        Assert.Equal(("3.00", "3", "4.00"), (refused.Str("average"), refused.Str("rated"), refused.Str("restrictBelow")));

        var support = await stack.SupportAsync();
        var desk = await support.GetOkAsync($"/api/trips/ops/riders/{rider.UserId}/rating");
        Assert.Equal(("restricted", 3, 3.0), (desk.Str("standing"), desk["rated"]!.GetValue<int>(), desk["windowAverage"]!.GetValue<double>()));
        await support.PostAsync($"/api/trips/ops/riders/{rider.UserId}/rating/reinstate", new { reason = " " }).ProblemAsync(HttpStatusCode.BadRequest);
        var reinstated = await support.PostOkAsync($"/api/trips/ops/riders/{rider.UserId}/rating/reinstate", new { reason = "Talked it through with the rider" });
        Assert.Equal(("good", 0, 3), (reinstated.Str("standing"), reinstated["rated"]?.GetValue<int>() ?? 0, reinstated["count"]!.GetValue<int>()));
        await socket.WaitForAsync("rider.rating_standing", m => m["data"].Str("standing") == "good");
        await support.PostAsync($"/api/trips/ops/riders/{rider.UserId}/rating/reinstate", new { reason = "again" }).ProblemAsync(HttpStatusCode.Conflict);
        var audit = (await support.GetOkAsync($"/api/ops/audit?userId={rider.UserId}"))["actions"]!.AsArray();
        Assert.Equal("Talked it through with the rider", Assert.Single(audit, a => a.Str("action") == "rider.rating_reinstated")!.Str("reason"));

        Assert.Equal(HttpStatusCode.OK, (await rider.BookAsync(pickup, dropoff)).StatusCode);

        // A ride of this rider with the one driver near the pickup, paid (an unpaid one refuses the next booking), then the driver rates the rider.
        async Task RideAndRateAsync(int stars)
        {
            Assert.True(await driver.SendLocationAsync(pickup.Offset(40, 0)));
            var tripId = (await rider.RequestTripAsync(pickup, dropoff)).Str("tripId");
            Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));
            await Rides.PayAsync(rider, await socket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId), "pay");
            await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
            await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
            await driver.User.PostOkAsync($"/api/trips/{tripId}/rating", new { stars });
        }
    }
}
