using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Wheelchair-accessible rides (ADR 0045) on the whole stack: support approves one driver's vehicle as wheelchair
/// accessible and another's not, the drivers service keeps it, the quote offers it where the prices do (the trips
/// service's appsettings: the default prices; the fixture's yen city does not) at no surcharge, only the accessible
/// driver is offered such a ride (the nearer plain one is passed over), and waiting at the pickup is free longer.
/// </summary>
public sealed class WheelchairAccessibleTests(LifecycleStackFixture stack)
{
    /// <summary>Trips:WheelchairExtraFreeWait, its default (not set by the fixture).</summary>
    private static readonly TimeSpan ExtraFreeWait = TimeSpan.FromMinutes(5);

    private static long Minor(JsonNode? money) => money?["amountMinor"]?.GetValue<long>() ?? 0;

    private static JsonObject Economy(JsonObject quote) =>
        quote["options"]!.AsArray().Select(o => o!.AsObject()).Single(o => o.Str("vehicleClass") == "economy");

    /// <summary>A driver whose vehicle support approved as wheelchair accessible (for economy), online at <paramref name="at"/>.</summary>
    private static async Task<OnlineDriver> AccessibleDriverAsync(PlatformClient client, Point at)
    {
        var user = await client.SignInAsync("driver", approved: false);
        await user.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", System.Net.Http.Json.JsonContent.Create(PlatformClient.Documents())).OkAsync();
        var approval = await (await client.DeskAsync()).PostOkAsync($"/api/ops/users/{user.UserId}/driver-approval/approve",
            new { classes = new[] { "economy" }, wheelchairAccessible = true });
        Assert.True(approval["permit"]!["wheelchairAccessible"]!.GetValue<bool>());
        var socket = await user.ConnectAsync();
        await user.GoOnlineAsync(at);
        // The drivers service hears of the approval from account.event.driver_approval.
        await Http.EventuallyAsync(() => user.GetOkAsync("/api/drivers/me"), d => d["wheelchairAccessible"]?.GetValue<bool>() == true);
        return new OnlineDriver(user, socket);
    }

    [Fact]
    public async Task Only_the_driver_approved_wheelchair_accessible_is_offered_such_a_ride_at_the_same_price_and_the_wait_is_free_longer()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var plain = await OnlineDriver.StartAsync(client, pickup.Offset(100, 0));
        await using var accessible = await AccessibleDriverAsync(client, pickup.Offset(1_500, 0));
        Assert.False((await plain.User.GetOkAsync("/api/drivers/me"))["wheelchairAccessible"]?.GetValue<bool>() ?? false);

        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        // The accessible car's approval reaches the drivers service as an event: nearby counts it once it has.
        static int EconomyNearby(System.Text.Json.Nodes.JsonNode near) =>
            near["classes"]!.AsArray().Single(c => c.Str("vehicleClass") == "economy")!["driversNearby"]!.GetValue<int>();
        var near = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/drivers/nearby?lat={pickup.Lat}&lng={pickup.Lng}&wheelchair=true"),
            n => EconomyNearby(n) >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal(1, EconomyNearby(near));

        var dropoff = pickup.Offset(-2_500, 1_500);
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.True(quote["wheelchairAccessible"]!.GetValue<bool>());

        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", wheelchairAccessible = true });
        var tripId = booked.Str("tripId");
        Assert.True(booked["wheelchairAccessible"]!.GetValue<bool>());
        Assert.Equal(Minor(Economy(quote)["price"]), Minor(booked["fare"])); // no surcharge

        // Offered to the accessible vehicle 1.5 km away, never to the plain one 100 m away.
        var offer = await accessible.OfferAsync(tripId);
        Assert.True(offer["data"]!["wheelchairAccessible"]?.GetValue<bool>());
        Assert.True((await accessible.User.GetOkAsync("/api/drivers/me"))["offer"]!["wheelchairAccessible"]?.GetValue<bool>());
        Assert.Equal("available", (await plain.User.GetOkAsync("/api/drivers/me")).Str("state"));
        await accessible.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        Assert.DoesNotContain(plain.Socket.Received, m => m.Str("type") == "offer" && m["data"].Str("tripId") == tripId);

        // Waiting at the pickup is free longer: loading takes time.
        var arrived = await accessible.User.PostOkAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } });
        Assert.Equal(DateTimeOffset.Parse(arrived.Str("arrivedAt")) + LifecycleStackFixture.FreeWait + ExtraFreeWait, DateTimeOffset.Parse(arrived.Str("freeWaitUntil")));

        // Support's desk sees the trip as wheelchair accessible and each driver's vehicle as approved so or not.
        var support = await stack.SupportAsync();
        Assert.True((await support.GetOkAsync($"/api/trips/{tripId}"))["wheelchairAccessible"]!.GetValue<bool>());
        Assert.True((await support.GetOkAsync($"/api/drivers/{accessible.User.UserId}"))["wheelchairAccessible"]!.GetValue<bool>());
        Assert.False((await support.GetOkAsync($"/api/drivers/{plain.User.UserId}"))["wheelchairAccessible"]?.GetValue<bool>() ?? false);
        Assert.True((await support.GetOkAsync($"/api/ops/users/{accessible.User.UserId}"))["driverApproval"]!["permit"]!["wheelchairAccessible"]!.GetValue<bool>());
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "x" });
    }

    [Fact]
    public async Task A_wheelchair_accessible_ride_nobody_suitable_takes_ends_as_no_drivers_found()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var plain = await OnlineDriver.StartAsync(client, pickup.Offset(200, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        var dropoff = pickup.Offset(3_000, 0);
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });

        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", wheelchairAccessible = true })).Str("tripId");

        await riderSocket.WaitForAsync("trip.no_drivers_found", m => m["data"].Str("tripId") == tripId, LifecycleStackFixture.SearchTimeout + TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(plain.Socket.Received, m => m.Str("type") == "offer" && m["data"].Str("tripId") == tripId);
    }

    [Fact]
    public async Task Where_the_prices_do_not_offer_it_the_quote_says_so_and_booking_it_is_refused_naming_the_field()
    {
        var client = stack.Client();
        var pickup = LifecycleStackFixture.YenCity.Offset(Random.Shared.Next(-20_000, 20_000), Random.Shared.Next(-8_000, 8_000));
        var dropoff = pickup.Offset(-2_000, 1_000);
        var rider = await client.SignInAsync("rider");

        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.False(quote["wheelchairAccessible"]?.GetValue<bool>() ?? false);

        var refused = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", wheelchairAccessible = true })
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("wheelchairAccessible:", refused.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound); // nothing was booked

        // A repeating ride there is refused the same way (ADR 0043).
        var schedule = await rider.PostAsync("/api/trips/schedules", new
        {
            days = new[] { "monday" }, pickupTime = "08:15", timeZone = "Europe/Berlin", pickup = new { lat = pickup.Lat, lng = pickup.Lng },
            dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng }, vehicleClass = "economy", wheelchairAccessible = true,
        }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("wheelchairAccessible:", schedule.Str("detail"));

        // Restricting never adds it: support approves documents for that.
        var driver = await client.SignInAsync("driver");
        var desk = await client.DeskAsync();
        var added = await desk.PostAsync($"/api/ops/users/{driver.UserId}/driver-approval/restrict",
            new { classes = new[] { "economy", "comfort", "xl", "premium" }, reason = "x", wheelchairAccessible = true }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("wheelchairAccessible:", added.Str("detail"));
    }
}
