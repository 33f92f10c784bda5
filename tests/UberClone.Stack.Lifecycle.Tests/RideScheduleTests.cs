using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Repeating rides on the whole stack (ADR 0043; the fixture books a week ahead, so a schedule of one weekday has its
/// next ride booked at once): the ride appears under "booked for later" and is confirmed by mail like any; one that
/// cannot be booked is recorded and mailed; bad input is refused naming the field; pausing, resuming and deleting; the
/// rider's data download has them, and support reads them; the last ride before an end is mailed, and an end moved before
/// a booked ride names that ride, which stays booked.
/// </summary>
public sealed class RideScheduleTests(LifecycleStackFixture stack)
{
    private static object Schedule(Point pickup, DateTimeOffset at, object? days = null, string? time = null, string zone = "UTC", string? cardId = null,
        string? profile = null, string? expenseMemo = null, string? endsOn = null) => new
    {
        days = days ?? new[] { at.DayOfWeek.ToString().ToLowerInvariant() },
        pickupTime = time ?? at.ToString("HH:mm", CultureInfo.InvariantCulture),
        timeZone = zone,
        pickup = new { lat = pickup.Lat, lng = pickup.Lng },
        dropoff = new { lat = pickup.Offset(-2_500, 1_500).Lat, lng = pickup.Offset(-2_500, 1_500).Lng },
        pickupLabel = "Home",
        dropoffLabel = "Office",
        vehicleClass = "economy",
        pickupNote = "Blue door",
        cardId,
        profile,
        expenseMemo,
        endsOn,
    };

    /// <summary>Two hours from now in whole minutes (UTC): on that weekday, a schedule's next ride is that one.</summary>
    private static DateTimeOffset TwoHoursAhead()
    {
        var at = DateTimeOffset.UtcNow.AddHours(2);
        return new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
    }

    private static DateTimeOffset At(JsonNode? node, string field) => DateTimeOffset.Parse(node.Str(field), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_repeating_ride_books_its_next_ride_for_later_tells_the_rider_and_says_when_one_cannot_be_booked()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var at = TwoHoursAhead();

        // Bad input: 400 naming the field; nothing is made.
        Assert.Contains("days", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, days: new[] { "someday" })).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("days", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, days: Array.Empty<string>())).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("pickupTime", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, time: "8:15pm")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("timeZone", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, zone: "Mars/Base")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("cardId", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, cardId: "not a card!")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Empty((await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray());

        var made = await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, at));
        var scheduleId = made.Str("id");
        Assert.Equal(at, DateTimeOffset.Parse(made.Str("nextPickupAt"), CultureInfo.InvariantCulture));
        Assert.Equal(("Home", "Office", "UTC"), (made.Str("pickupLabel"), made.Str("dropoffLabel"), made.Str("timeZone")));

        // Booked at once (a week ahead here) as an ordinary ride for later, and confirmed by mail like one.
        var booked = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/scheduled"), l => l["trips"]!.AsArray().Count == 1);
        var trip = booked["trips"]!.AsArray()[0]!;
        Assert.Equal(at, DateTimeOffset.Parse(trip.Str("scheduledFor"), CultureInfo.InvariantCulture));
        Assert.Equal(("economy", "Blue door"), (trip.Str("vehicleClass"), trip.Str("pickupNote")));
        var schedule = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/schedules"), l => l["schedules"]!.AsArray()[0]!["lastBooking"] is not null);
        var first = schedule["schedules"]!.AsArray()[0]!;
        Assert.Equal((scheduleId, trip.Str("tripId")), (first.Str("id"), first["lastBooking"].Str("tripId")));
        Assert.Equal(at.AddDays(7), DateTimeOffset.Parse(first.Str("nextPickupAt"), CultureInfo.InvariantCulture));
        await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone ride is booked for") && m.Text.Contains(trip.Str("tripId")));

        // The rider has as many rides booked for later as allowed: another schedule's ride cannot be booked, and they are told.
        for (var i = 1; i < 5; i++)
        {
            var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = pickup.Offset(1_000, 0).Lat, lng = pickup.Lng } });
            await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = at.AddHours(i).ToString("O") });
        }
        var other = at.AddHours(1);
        var refusedId = (await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, other))).Str("id");
        var told = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == $"Your UberClone ride of {other.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture)} UTC could not be booked");
        Assert.Contains("We could not book your repeating ride from Home to Office", told.Text);
        Assert.Contains("You already have 5 rides booked for later", told.Text);
        Assert.Contains($"We will try to book the next one, {other.AddDays(7).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture)} UTC, as usual", told.Text);
        var refused = (await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray().Single(s => s.Str("id") == refusedId)!;
        Assert.Contains("5 rides booked for later", refused["lastBooking"].Str("refusal"));
        Assert.Equal(5, (await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray().Count);

        // Paused, resumed, deleted; its booked ride stays booked.
        var paused = await rider.PostOkAsync($"/api/trips/schedules/{scheduleId}/pause", new { });
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.Equal("", paused["nextPickupAt"]?.GetValue<string>() ?? ""); // none while paused
        var resumed = await rider.PostOkAsync($"/api/trips/schedules/{scheduleId}/resume", new { });
        Assert.Equal(at.AddDays(7), DateTimeOffset.Parse(resumed.Str("nextPickupAt"), CultureInfo.InvariantCulture)); // this week's is booked already
        await rider.SendAsync(HttpMethod.Delete, $"/api/trips/schedules/{scheduleId}", null).OkAsync();
        Assert.Equal([refusedId], (await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray().Select(s => s.Str("id")));
        Assert.Equal(5, (await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray().Count);
        await rider.PostAsync($"/api/trips/schedules/{scheduleId}/pause", new { }).ProblemAsync(HttpStatusCode.NotFound);

        // The rider's data download has what is kept of their repeating rides.
        var export = await PlatformClient.ReadAsync(await rider.GetAsync("/api/auth/me/export"));
        var kept = Assert.Single(export["repeatingRides"]!.AsArray())!;
        Assert.Equal((refusedId, "Home", "Office"), (kept.Str("id"), kept.Str("pickupLabel"), kept.Str("dropoffLabel")));

        // Support reads them on the rider's card ("why was this ride booked?"); a rider cannot read another's.
        var support = await stack.SupportAsync();
        var seen = Assert.Single((await support.GetOkAsync($"/api/trips/ops/riders/{rider.UserId}/schedules"))["schedules"]!.AsArray())!;
        Assert.Contains("5 rides booked for later", seen["lastBooking"].Str("refusal"));
        await rider.GetAsync($"/api/trips/ops/riders/{rider.UserId}/schedules").ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_work_commute_books_business_rides_and_a_holiday_is_skipped()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var at = TwoHoursAhead();

        // Bad input names the field; nothing is made.
        Assert.Contains("profile", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, profile: "work")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("expenseMemo", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, expenseMemo: "Client visits")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("expenseMemo", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, profile: "business", expenseMemo: new string('x', 101))).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Empty((await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray());

        var made = await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, at, profile: "business", expenseMemo: " Client visits "));
        var scheduleId = made.Str("id");
        Assert.Equal(("business", "Client visits"), (made.Str("profile"), made.Str("expenseMemo")));

        // This week's ride is booked at once (a week ahead here), as a business ride with its memo.
        var booked = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/scheduled"), l => l["trips"]!.AsArray().Count == 1);
        var trip = await rider.GetOkAsync($"/api/trips/{booked["trips"]!.AsArray()[0].Str("tripId")}");
        Assert.Equal(("business", "Client visits"), (trip.Str("profile"), trip.Str("expenseMemo")));
        var schedule = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/schedules"), l => l["schedules"]!.AsArray()[0]!["lastBooking"] is not null);
        var nextWeek = at.AddDays(7);
        Assert.Equal(nextWeek, At(schedule["schedules"]!.AsArray()[0], "nextPickupAt"));

        // Next week is a holiday: skipped; the week after is next, booked a week before it.
        var skip = $"/api/trips/schedules/{scheduleId}/skip";
        Assert.Contains("pickupAt", (await rider.PostAsync(skip, new { pickupAt = "next monday" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var skipped = await rider.PostOkAsync(skip, new { pickupAt = nextWeek.ToString("O") });
        Assert.Equal(at.AddDays(14), At(skipped, "nextPickupAt"));
        Assert.Equal(at.AddDays(7), At(skipped, "booksAt"));
        // The same tap again, or this week's ride (booked already: it is cancelled under "Booked for later"): 409 saying so.
        Assert.Contains("not this repeating ride's next ride", (await rider.PostAsync(skip, new { pickupAt = nextWeek.ToString("O") }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        Assert.Contains("booked already", (await rider.PostAsync(skip, new { pickupAt = at.ToString("O") }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        // Another rider's schedule is not found; a paused one has nothing to skip.
        var other = await client.SignInAsync("rider");
        await other.PostAsync(skip, new { pickupAt = at.AddDays(14).ToString("O") }).ProblemAsync(HttpStatusCode.NotFound);
        await rider.PostOkAsync($"/api/trips/schedules/{scheduleId}/pause", new { });
        Assert.Contains("paused", (await rider.PostAsync(skip, new { pickupAt = at.AddDays(14).ToString("O") }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        Assert.Single((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());
    }
    [Fact]
    public async Task A_repeating_ride_with_an_end_books_up_to_that_day_then_ends_and_a_later_end_books_on()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var at = TwoHoursAhead();
        static string Day(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static bool Ended(JsonNode? s) => s?["ended"]?.GetValue<bool>() ?? false;
        static string EndsOn(JsonNode? s) => s?["endsOn"]?.GetValue<string>() ?? "";

        // Bad ends: 400 naming the field; nothing is made.
        Assert.Contains("endsOn", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, endsOn: "19/12/2026")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("before the first ride", (await rider.PostAsync("/api/trips/schedules", Schedule(pickup, at, days: new[] { at.AddDays(1).DayOfWeek.ToString().ToLowerInvariant() }, endsOn: Day(at))).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Empty((await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray());

        // Only this week: its ride is booked at once (a week ahead here), then nothing more.
        var made = await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, at, endsOn: Day(at)));
        var scheduleId = made.Str("id");
        Assert.Equal(Day(at), EndsOn(made));
        var ended = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/schedules"), l => Ended(l["schedules"]!.AsArray()[0]));
        var schedule = ended["schedules"]!.AsArray()[0];
        Assert.Equal(("", ""), (schedule?["nextPickupAt"]?.GetValue<string>() ?? "", schedule?["booksAt"]?.GetValue<string>() ?? ""));
        Assert.Single((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());
        Assert.Contains("has ended", (await rider.PostAsync($"/api/trips/schedules/{scheduleId}/skip", new { pickupAt = at.AddDays(7).ToString("O") })
            .ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));

        // One more week: next week's ride is next again (booked a week before it, in two hours).
        var endsOn = $"/api/trips/schedules/{scheduleId}/ends-on";
        Assert.Contains("endsOn", (await rider.PutAsync(endsOn, new { endsOn = "soon" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("in the past", (await rider.PutAsync(endsOn, new { endsOn = Day(at.AddDays(-2)) }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var other = await client.SignInAsync("rider");
        await other.PutAsync(endsOn, new { endsOn = Day(at.AddDays(7)) }).ProblemAsync(HttpStatusCode.NotFound);
        var extended = await rider.PutOkAsync(endsOn, new { endsOn = Day(at.AddDays(7)) });
        Assert.Equal((false, Day(at.AddDays(7)), at.AddDays(7)), (Ended(extended), EndsOn(extended), At(extended, "nextPickupAt")));
        // No end any more.
        var open = await rider.PutOkAsync(endsOn, new { endsOn = "" });
        Assert.Equal((false, ""), (Ended(open), EndsOn(open)));
        Assert.Single((await rider.GetOkAsync("/api/trips/scheduled"))["trips"]!.AsArray());
    }

    [Fact]
    public async Task The_last_ride_before_the_end_is_mailed_and_an_end_moved_before_a_booked_ride_names_it_and_keeps_it()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        var at = TwoHoursAhead();
        static string Day(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // Only this week: its ride, booked at once (a week ahead here), is its last, and the rider is told so.
        await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, at, endsOn: Day(at)));
        var mail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your repeating ride ends:", StringComparison.Ordinal));
        Assert.Contains($"at {at:HH:mm} UTC is its last ride", mail.Subject);
        Assert.Contains("Your repeating ride from Home to Office ends: this is its last ride", mail.Text);

        // Another rider's, two days a week, no end: both rides are booked at once. Then the end moves to the first day:
        // the second stays booked, and the answer says which.
        rider = await client.SignInAsync("rider");
        var days = new[] { at.DayOfWeek, at.AddDays(1).DayOfWeek }.Select(d => d.ToString().ToLowerInvariant()).ToArray();
        var made = await rider.PostOkAsync("/api/trips/schedules", Schedule(pickup, at, days: days));
        var booked = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/scheduled"), l => l["trips"]!.AsArray().Count == 2);
        var second = booked["trips"]!.AsArray().Single(t => At(t, "scheduledFor") == at.AddDays(1))!;
        var ends = await rider.PutOkAsync($"/api/trips/schedules/{made.Str("id")}/ends-on", new { endsOn = Day(at) });
        Assert.True(ends["ended"]!.GetValue<bool>());
        var stays = Assert.Single(ends["bookedPastEnd"]!.AsArray());
        Assert.Equal((second.Str("tripId"), at.AddDays(1)), (stays.Str("tripId"), At(stays, "pickupAt")));
        Assert.Equal("scheduled", (await rider.GetOkAsync($"/api/trips/{second.Str("tripId")}")).Str("status"));
        // Cancelled under "Booked for later", it is not named any more.
        await rider.PostOkAsync($"/api/trips/{second.Str("tripId")}/cancel", new { });
        var listed = (await rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray().Single(s => s.Str("id") == made.Str("id"))!;
        Assert.Empty(listed["bookedPastEnd"]?.AsArray() ?? []);
    }
}
