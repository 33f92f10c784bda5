using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Drivers reserve rides booked for later on the whole stack (ADR 0047): two drivers race and one wins, the rider is told
/// at once (socket and mail) and sees who comes; release rules; when the search starts the reserved driver is offered the
/// ride first, and a reserved driver who is not online leaves it to the search as any ride.
/// </summary>
public sealed class RideReservationTests(LifecycleStackFixture stack)
{
    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> BookForLaterAsync(UserSession rider, Point pickup, DateTimeOffset pickupAt)
    {
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = pickup.Offset(-2_500, 1_500).Lat, lng = pickup.Offset(-2_500, 1_500).Lng } });
        return (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = pickupAt.ToString("O") })).Str("tripId");
    }

    private static DateTimeOffset SoonestPickup() => DateTimeOffset.UtcNow + LifecycleStackFixture.MinScheduleAhead + TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Two_drivers_race_to_reserve_one_wins_the_rider_is_told_who_comes_and_the_driver_releases_it_in_time()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = await BookForLaterAsync(rider, pickup, DateTimeOffset.UtcNow.AddDays(1));
        var first = await client.SignInAsync("driver", "Ana Reserve");
        var second = await client.SignInAsync("driver", "Bo Reserve");

        // Both see it near them (the area, not the door), with what they would earn.
        var listed = (await first.GetOkAsync($"/api/trips/reservable?lat={Num(pickup.Lat)}&lng={Num(pickup.Lng)}"))["rides"]!.AsArray().Single(r => r.Str("tripId") == tripId)!;
        Assert.True(listed["earnings"]!["amountMinor"]!.GetValue<long>() > 0);
        Assert.True(listed["earnings"]!["amountMinor"]!.GetValue<long>() < listed["fare"]!["amountMinor"]!.GetValue<long>());
        await rider.GetAsync($"/api/trips/reservable?lat={Num(pickup.Lat)}&lng={Num(pickup.Lng)}").ProblemAsync(HttpStatusCode.Forbidden);

        var answers = await Task.WhenAll(first.PostAsync($"/api/trips/{tripId}/reservation", new { }), second.PostAsync($"/api/trips/{tripId}/reservation", new { }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var (winner, winnerName, loser) = answers[0].StatusCode == HttpStatusCode.OK ? (first, "Ana Reserve", second) : (second, "Bo Reserve", first);
        Assert.Contains("Another driver reserved", (await Task.FromResult(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict)).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));

        // The rider is told at once, sees the driver under the ride, and is mailed who comes.
        await riderSocket.WaitForAsync("trip.reserved", m => m["data"].Str("tripId") == tripId && m["data"].Str("driverId") == winner.UserId);
        Assert.Equal(winner.UserId, (await rider.GetOkAsync($"/api/trips/{tripId}"))["reservation"].Str("driverId"));
        Assert.Equal(winnerName, (await rider.GetOkAsync($"/api/trips/{tripId}/driver")).Str("name"));
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith(winnerName.Split(' ')[0] + " will pick you up at"));
        Assert.Contains("Toyota Prius, plate TEST-", mail.Text);
        // No longer listed; in the winner's own reservations.
        Assert.DoesNotContain((await loser.GetOkAsync($"/api/trips/reservable?lat={Num(pickup.Lat)}&lng={Num(pickup.Lng)}"))["rides"]?.AsArray() ?? [], r => r.Str("tripId") == tripId);
        Assert.Equal(tripId, Assert.Single((await winner.GetOkAsync("/api/trips/reservations"))["rides"]!.AsArray())!.Str("tripId"));

        // A day ahead, the driver may release it: the rider is told, and another driver may take it.
        await loser.PostAsync($"/api/trips/{tripId}/reservation/release", new { }).ProblemAsync(HttpStatusCode.NotFound);
        await winner.PostOkAsync($"/api/trips/{tripId}/reservation/release", new { });
        await riderSocket.WaitForAsync("trip.reservation_released", m => m["data"].Str("tripId") == tripId && m["data"].Str("by") == "driver");
        Assert.Null((await rider.GetOkAsync($"/api/trips/{tripId}"))["reservation"]);
        await loser.PostOkAsync($"/api/trips/{tripId}/reservation", new { });
    }

    [Fact]
    public async Task Within_an_hour_of_the_pickup_only_support_releases_and_a_driver_holds_no_two_within_an_hour()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var driver = await client.SignInAsync("driver");
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        var soon = await BookForLaterAsync(rider, pickup, DateTimeOffset.UtcNow.AddMinutes(50) + LifecycleStackFixture.MinScheduleAhead);
        var a = await BookForLaterAsync(rider, pickup, tomorrow);
        var b = await BookForLaterAsync(rider, pickup, tomorrow.AddMinutes(30));

        await driver.PostOkAsync($"/api/trips/{soon}/reservation", new { });
        Assert.Contains("support can release it", (await driver.PostAsync($"/api/trips/{soon}/reservation/release", new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        Assert.Contains("reason", (await support.PostAsync($"/api/trips/{soon}/reservation/release", new { }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var released = await support.PostOkAsync($"/api/trips/{soon}/reservation/release", new { reason = "The driver's car broke down" });
        Assert.Equal(("operator", "The driver's car broke down"), (released["driverReservations"]![0].Str("releasedBy"), released["driverReservations"]![0].Str("releaseReason")));

        await driver.PostOkAsync($"/api/trips/{a}/reservation", new { });
        Assert.Contains("at least 60 minutes apart", (await driver.PostAsync($"/api/trips/{b}/reservation", new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
    }

    [Fact]
    public async Task A_driver_reserving_five_rides_at_once_holds_three_and_a_cancelled_ride_shows_its_reservation_released()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var driver = await client.SignInAsync("driver");
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1);
        var rides = new List<string>();
        for (var i = 0; i < 5; i++) rides.Add(await BookForLaterAsync(rider, pickup, tomorrow.AddHours(2 * i)));

        var answers = await Task.WhenAll(rides.Select(id => driver.PostAsync($"/api/trips/{id}/reservation", new { })));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(2, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var held = (await driver.GetOkAsync("/api/trips/reservations"))["rides"]!.AsArray().Select(r => r.Str("tripId")).ToList();
        Assert.Equal(3, held.Count);

        // The rider cancels one: support's trip page says the reservation was released, by the rider, because the ride was.
        await rider.PostOkAsync($"/api/trips/{held[0]}/cancel", new { reason = "plans changed" });
        var history = Assert.Single((await support.GetOkAsync($"/api/trips/{held[0]}"))["driverReservations"]!.AsArray())!;
        Assert.Equal(("rider", "ride cancelled"), (history.Str("releasedBy"), history.Str("releaseReason")));
        Assert.Equal(2, (await driver.GetOkAsync("/api/trips/reservations"))["rides"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_reserving_driver_is_reminded_before_the_pickup_in_the_app_and_by_mail_naming_the_rider_by_first_name()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider", "Ana Kovač");
        var driver = await client.SignInAsync("driver");
        await Rides.ConfirmEmailAsync(driver, stack.Mailbox);
        await using var driverSocket = await driver.ConnectAsync();
        var pickupAt = DateTimeOffset.UtcNow + LifecycleStackFixture.MinScheduleAhead + TimeSpan.FromSeconds(15);
        var tripId = await BookForLaterAsync(rider, pickup, pickupAt);

        await driver.PostOkAsync($"/api/trips/{tripId}/reservation", new { });

        var reminder = await driverSocket.WaitForAsync("trip.reservation_reminder", m => m["data"].Str("tripId") == tripId, TimeSpan.FromSeconds(40));
        Assert.True(DateTimeOffset.UtcNow >= pickupAt - LifecycleStackFixture.ReservedRideReminder - TimeSpan.FromSeconds(1), "not before its time");
        Assert.Equal(pickupAt.ToUnixTimeMilliseconds(), DateTimeOffset.Parse(reminder["data"].Str("scheduledFor")).ToUnixTimeMilliseconds());
        Assert.Equal(pickupAt - LifecycleStackFixture.ScheduledDispatchLead, DateTimeOffset.Parse(reminder["data"].Str("dispatchAt")), TimeSpan.FromMilliseconds(1));
        Assert.Equal("Ana", reminder["data"].Str("pickupName"));
        var mail = await stack.Mailbox.WaitForAsync(driver.Email, m => m.Subject.StartsWith("Pick up Ana at"));
        Assert.Contains("Be online by", mail.Text);
        Assert.DoesNotContain("Kovač", mail.Text);
    }

    [Fact]
    public async Task Two_late_releases_pause_the_drivers_reserving_for_a_week_the_listing_says_so_and_support_sees_the_strikes()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var driver = await client.SignInAsync("driver");
        var soon = DateTimeOffset.UtcNow.AddHours(6); // within 12 hours: releasing is late
        var rides = new[] { await BookForLaterAsync(rider, pickup, soon), await BookForLaterAsync(rider, pickup, soon.AddHours(2)), await BookForLaterAsync(rider, pickup, soon.AddHours(4)) };

        foreach (var ride in rides.Take(2))
        {
            await driver.PostOkAsync($"/api/trips/{ride}/reservation", new { });
            await driver.PostOkAsync($"/api/trips/{ride}/reservation/release", new { });
        }

        var refused = (await driver.PostAsync($"/api/trips/{rides[2]}/reservation", new { }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail");
        Assert.StartsWith("You can reserve again on ", refused);
        Assert.EndsWith("you released 2 reserved rides late in 30 days", refused);
        var listing = await driver.GetOkAsync($"/api/trips/reservable?lat={Num(pickup.Lat)}&lng={Num(pickup.Lng)}");
        Assert.Contains(listing["rides"]!.AsArray(), r => r.Str("tripId") == rides[2]); // still listed
        var pausedUntil = DateTimeOffset.Parse(listing.Str("reservingPausedUntil"));
        Assert.InRange(pausedUntil, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        Assert.Equal(refused, listing.Str("reservingPausedReason"));

        var card = await support.GetOkAsync($"/api/trips/ops/drivers/{driver.UserId}/reservations");
        Assert.Equal(rides.Take(2), card["strikes"]!.AsArray().Select(s => s.Str("tripId")));
        Assert.All(card["strikes"]!.AsArray(), s => Assert.Equal("late_release", s.Str("why")));
        await driver.GetAsync($"/api/trips/ops/drivers/{driver.UserId}/reservations").ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Support_removes_a_strike_the_pause_lifts_at_once_the_driver_is_told_and_the_audit_trail_keeps_why()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var driver = await client.SignInAsync("driver");
        await Rides.ConfirmEmailAsync(driver, stack.Mailbox);
        await using var driverSocket = await driver.ConnectAsync();
        var soon = DateTimeOffset.UtcNow.AddHours(6);
        var rides = new[] { await BookForLaterAsync(rider, pickup, soon), await BookForLaterAsync(rider, pickup, soon.AddHours(2)), await BookForLaterAsync(rider, pickup, soon.AddHours(4)) };
        foreach (var ride in rides.Take(2))
        {
            await driver.PostOkAsync($"/api/trips/{ride}/reservation", new { });
            await driver.PostOkAsync($"/api/trips/{ride}/reservation/release", new { });
        }
        await driver.PostAsync($"/api/trips/{rides[2]}/reservation", new { }).ProblemAsync(HttpStatusCode.Conflict);
        var remove = $"/api/trips/ops/drivers/{driver.UserId}/reservations/strikes/remove";

        Assert.Contains("reason", (await support.PostAsync(remove, new { tripId = rides[0], reason = " " }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("reason", (await support.PostAsync(remove, new { tripId = rides[0], reason = new string('x', 501) }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await support.PostAsync(remove, new { tripId = rides[2], reason = "no such strike" }).ProblemAsync(HttpStatusCode.NotFound);
        await driver.PostAsync(remove, new { tripId = rides[0], reason = "my own" }).ProblemAsync(HttpStatusCode.Forbidden);

        var card = await support.PostOkAsync(remove, new { tripId = rides[0], reason = "The rider asked them to drop it" });

        Assert.Equal("", card["reservingPausedUntil"]?.GetValue<string>() ?? "");
        var removed = card["strikes"]!.AsArray().Single(s => s.Str("tripId") == rides[0])!;
        Assert.Equal(("The rider asked them to drop it", support.UserId), (removed.Str("removedReason"), removed.Str("removedBy")));
        Assert.Equal("", card["strikes"]!.AsArray().Single(s => s.Str("tripId") == rides[1])!["removedAt"]?.GetValue<string>() ?? ""); // still counts
        Assert.Equal(removed.Str("removedAt"), (await support.PostOkAsync(remove, new { tripId = rides[0], reason = "again" }))["strikes"]!.AsArray()
            .Single(s => s.Str("tripId") == rides[0]).Str("removedAt")); // again: 200, nothing changes
        await driver.PostOkAsync($"/api/trips/{rides[2]}/reservation", new { });
        await driverSocket.WaitForAsync("trip.reservation_strike_removed", m => m["data"].Str("tripId") == rides[0]);
        var mail = await stack.Mailbox.WaitForAsync(driver.Email, m => m.Subject == "A strike was removed from your reservations record");
        Assert.Contains("You may reserve rides again now.", mail.Text);
        var trail = (await support.GetOkAsync($"/api/ops/audit?userId={driver.UserId}"))["actions"]!.AsArray();
        var entry = trail.Where(a => a.Str("action") == "reservation.strike_removed").ToList();
        Assert.Equal(2, entry.Count); // both calls went through (200); the second changed nothing
        Assert.Contains(entry, a => a.Str("tripId") == rides[0] && a.Str("reason") == "The rider asked them to drop it");
        // The desk names who removed it from the support accounts' list, as the trail names who acted (ADR 0054): trips' answer
        // passes with the operator's id only.
        var operatorName = entry[0].Str("operatorName");
        Assert.False(string.IsNullOrEmpty(operatorName));
        var listed = (await support.GetOkAsync($"/api/trips/ops/drivers/{driver.UserId}/reservations"))["strikes"]!.AsArray().Single(s => s.Str("tripId") == rides[0])!;
        Assert.Equal(support.UserId, listed.Str("removedBy"));
        Assert.Null(listed["removedByName"]);
        Assert.Equal(operatorName, (await support.GetOkAsync("/api/ops/operators"))["operators"]!.AsArray().Single(o => o.Str("id") == support.UserId).Str("name"));
    }

    [Fact]
    public async Task A_reserving_driver_on_another_ride_when_its_search_starts_is_told_not_struck_and_the_ride_goes_to_another_driver()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        await using var busy = await AssignedTrip.StartAsync(client);
        await Rides.ConfirmEmailAsync(busy.Driver.User, stack.Mailbox);
        var rider = await client.SignInAsync("rider");
        var reserved = await BookForLaterAsync(rider, busy.Pickup, SoonestPickup());
        await busy.Driver.User.PostOkAsync($"/api/trips/{reserved}/reservation", new { });
        await using var other = await OnlineDriver.StartAsync(client, busy.Pickup.Offset(300, 0));

        var released = await busy.Driver.Socket.WaitForAsync("trip.reservation_released", m => m["data"].Str("tripId") == reserved, TimeSpan.FromSeconds(30));
        Assert.Equal(("system", "excused: on another ride"), (released["data"].Str("by"), released["data"].Str("reason")));
        var mail = await stack.Mailbox.WaitForAsync(busy.Driver.User.Email, m => m.Subject.EndsWith("went to another driver: no strike", StringComparison.Ordinal));
        Assert.Contains("You were on another ride when the ride you reserved", mail.Text);
        var offer = await other.OfferAsync(reserved, TimeSpan.FromSeconds(30));
        Assert.False(offer["data"]?["reserved"]?.GetValue<bool>() ?? false);
        await other.AcceptAsync(reserved);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{reserved}"), t => t.Str("status") == "driver_assigned");

        var card = await support.GetOkAsync($"/api/trips/ops/drivers/{busy.Driver.Id}/reservations");
        Assert.Empty(card["strikes"]?.AsArray() ?? []);
        var history = Assert.Single((await support.GetOkAsync($"/api/trips/{reserved}"))["driverReservations"]!.AsArray())!;
        Assert.Equal(("system", "excused: on another ride"), (history.Str("releasedBy"), history.Str("releaseReason")));
    }

    [Fact]
    public async Task When_its_search_starts_the_reserved_driver_is_offered_it_first_and_one_not_online_leaves_it_to_the_nearest()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await using var nearest = await OnlineDriver.StartAsync(client, pickup.Offset(150, 0));
        await using var reserver = await OnlineDriver.StartAsync(client, pickup.Offset(1_500, 0));
        var offline = await client.SignInAsync("driver");

        var reserved = await BookForLaterAsync(rider, pickup, SoonestPickup());
        await reserver.User.PostOkAsync($"/api/trips/{reserved}/reservation", new { });
        var offer = await reserver.OfferAsync(reserved, TimeSpan.FromSeconds(30));
        Assert.True(offer["data"]!["reserved"]!.GetValue<bool>());
        await reserver.AcceptAsync(reserved);
        Assert.Equal(reserver.Id, (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{reserved}"), t => t.Str("status") == "driver_assigned"))["driver"].Str("driverId"));

        var second = await client.SignInAsync("rider");
        var passedOver = await BookForLaterAsync(second, pickup, SoonestPickup());
        await offline.PostOkAsync($"/api/trips/{passedOver}/reservation", new { });
        var nearestOffer = await nearest.OfferAsync(passedOver, TimeSpan.FromSeconds(30));
        Assert.False(nearestOffer["data"]?["reserved"]?.GetValue<bool>() ?? false);
    }
}
