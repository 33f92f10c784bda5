using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>A trip after assignment, through the gateway: arrive, PIN, ride, complete, pay, rate, history, cancel.</summary>
public sealed class TripLifecycleTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Full_trip_goes_from_assignment_to_completed_with_tracking_payment_ratings_and_history()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var (rider, driver, tripId) = (trip.Rider, trip.Driver, trip.TripId);

        var riderView = await rider.GetOkAsync($"/api/trips/{tripId}");
        var pin = riderView.Str("pin");
        Assert.Matches("^[0-9]{4}$", pin);
        var driverView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.True(string.IsNullOrEmpty((string?)driverView["pin"]), "the driver must not see the rider's PIN");

        Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(300, 0)));
        var tracked = await trip.RiderSocket.WaitForAsync("driver.location", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(driver.Id, tracked["data"].Str("driverId"));
        Assert.InRange(tracked["data"]!["pickupEtaSeconds"]!.GetValue<int>(), 20, 120);
        Assert.True(tracked["data"]!["dropoffEtaSeconds"]!.GetValue<int>() > tracked["data"]!["pickupEtaSeconds"]!.GetValue<int>());

        Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(30, 0)));
        var arrived = await Http.EventuallyAsync(
            async () => (await driver.PostAsync($"/api/trips/{tripId}/arrive", new { })) is { IsSuccessStatusCode: true } ok
                ? await PlatformClient.ReadAsync(ok) : new System.Text.Json.Nodes.JsonObject { ["status"] = "not yet" },
            t => t.Str("status") == "driver_arrived");
        Assert.Equal("driver_arrived", arrived.Str("status"));
        await trip.RiderSocket.WaitForAsync("trip.driver_arrived", m => m["data"].Str("tripId") == tripId);

        var started = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        Assert.Equal("in_progress", started.Str("status"));
        await trip.RiderSocket.WaitForAsync("trip.started", m => m["data"].Str("tripId") == tripId);

        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        Assert.Equal("completed", completed.Str("status"));
        var fare = completed["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.Equal(fare, completed["receipt"]!["fare"]!["totalMinor"]!.GetValue<long>());
        Assert.Equal(fare, completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal("pending", completed["receipt"].Str("paymentStatus"));
        // The driver earns the fare less the booking fee and the service fee (25 % of the rest).
        var bookingFee = completed["receipt"]!["fare"]!["bookingFeeMinor"]!.GetValue<long>();
        var serviceFee = (long)Math.Round((fare - bookingFee) * 0.25, MidpointRounding.AwayFromZero);
        var earnings = completed["driverEarnings"]!;
        Assert.Equal("fare", earnings.Str("kind"));
        Assert.Equal(bookingFee, earnings["bookingFee"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(serviceFee, earnings["serviceFee"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(fare - bookingFee - serviceFee, earnings["earnings"]!["amountMinor"]!.GetValue<long>());
        Assert.Null((await rider.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]);
        var period = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}";
        var summary = await driver.User.GetOkAsync($"/api/trips/earnings?{period}");
        Assert.Equal(1, summary["trips"]!.GetValue<int>());
        Assert.Equal(tripId, Assert.Single(summary["items"]!.AsArray())!.Str("tripId"));
        Assert.Equal(fare - bookingFee - serviceFee, Assert.Single(summary["totals"]!.AsArray())!["amountMinor"]!.GetValue<long>());
        await rider.GetAsync($"/api/trips/earnings?{period}").ProblemAsync(HttpStatusCode.Forbidden);
        await trip.RiderSocket.WaitForAsync("trip.completed", m => m["data"].Str("tripId") == tripId);
        var session = await trip.RiderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(fare, session["data"]!["amountMinor"]!.GetValue<long>());
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");

        await rider.PostOkAsync($"/api/trips/{tripId}/rating", new { stars = 5, comment = "smooth" });
        var rated = await driver.PostAsync($"/api/trips/{tripId}/rating", new { stars = 4 }).OkAsync();
        Assert.Equal(5, rated["driverRating"]!["stars"]!.GetValue<int>());
        Assert.Equal(4, rated["riderRating"]!["stars"]!.GetValue<int>());
        await rider.PostAsync($"/api/trips/{tripId}/rating", new { stars = 1 }).ProblemAsync(HttpStatusCode.BadRequest);
        // Each sees what the other side thinks of them (the tally follows trip.event.rated); support is not rated.
        var riderRating = await Http.EventuallyAsync(() => rider.GetOkAsync("/api/trips/ratings/me"), r => r["count"]?.GetValue<int>() == 1);
        Assert.Equal(4, riderRating["average"]!.GetValue<double>());
        var driverRating = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/trips/ratings/me"), r => r["count"]?.GetValue<int>() == 1);
        Assert.Equal(5, driverRating["average"]!.GetValue<double>());
        await (await stack.SupportAsync()).GetAsync("/api/trips/ratings/me").ProblemAsync(HttpStatusCode.Forbidden);

        var riderHistory = await rider.GetOkAsync("/api/trips");
        var receipt = Assert.Single(riderHistory["trips"]!.AsArray(), t => t.Str("tripId") == tripId)!;
        Assert.Equal("completed", receipt.Str("status"));
        Assert.Equal(fare, receipt["receipt"]!["fare"]!["totalMinor"]!.GetValue<long>());
        var driverHistory = await driver.User.GetOkAsync("/api/trips");
        Assert.Contains(driverHistory["trips"]!.AsArray(), t => t.Str("tripId") == tripId);
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("", "missing")]
    [InlineData("from=2026-12-01T00:00:00Z", "only from")]
    [InlineData("from=2026-12-01T00:00:00&to=2026-12-02T00:00:00", "no offset")]
    [InlineData("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "backwards")]
    [InlineData("from=2025-11-01T00:00:00Z&to=2026-11-04T00:00:00Z", "368 days")]
    [InlineData("from=yesterday&to=today", "not dates")]
    public async Task Earnings_for_a_period_that_is_not_one_are_refused_with_400(string query, string why)
    {
        var driver = await stack.Client().SignInAsync("driver");
        var problem = await driver.GetAsync($"/api/trips/earnings?{query}").ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem.Str("detail")), why);
    }

    [Fact]
    public async Task Wrong_pin_is_refused_and_counted()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } }).OkAsync();
        var pin = (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}")).Str("pin");
        var wrong = pin == "0000" ? "1111" : "0000";

        var problem = await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/start", new { pin = wrong }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("PIN", problem.Str("detail"));

        var after = await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}");
        Assert.Equal("driver_arrived", after.Str("status"));
        Assert.Equal(1, after["wrongPinAttempts"]!.GetValue<int>());
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/start", new { pin = "12" }).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Arriving_far_from_the_pickup_is_refused()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var far = trip.Pickup.Offset(400, 0);

        var problem = await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/arrive", new { location = new { lat = far.Lat, lng = far.Lng } })
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("from the pickup", problem.Str("detail"));
        Assert.Equal("driver_assigned", (await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}")).Str("status"));
    }

    [Fact]
    public async Task Rider_cancels_free_right_after_assignment_and_the_driver_is_released()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());

        var cancelled = await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/cancel", new { });

        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal(0, cancelled["cancellation"]!["fee"]!["amountMinor"]?.GetValue<long>() ?? 0);
        await trip.Driver.Socket.WaitForAsync("trip.cancelled", m => m["data"].Str("tripId") == trip.TripId);
        await Http.EventuallyAsync(() => trip.Driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
    }

    [Fact]
    public async Task Rider_who_cancels_after_the_free_window_pays_the_fee()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        await Task.Delay(LifecycleStackFixture.FreeCancellationWindow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        var cancelled = await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/cancel", new { reason = "too slow" });

        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, cancelled["cancellation"]!["fee"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal("pending", cancelled["receipt"].Str("paymentStatus"));
        var earned = (await trip.Driver.User.GetOkAsync($"/api/trips/{trip.TripId}"))["driverEarnings"]!;
        Assert.Equal("cancellation_fee", earned.Str("kind"));
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor - (long)Math.Round(LifecycleStackFixture.CancellationFeeMinor * 0.25, MidpointRounding.AwayFromZero),
            earned["earnings"]!["amountMinor"]!.GetValue<long>());
        var session = await trip.RiderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == trip.TripId);
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, session["data"]!["amountMinor"]!.GetValue<long>());
        var again = await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/cancel", new { });
        Assert.Equal(cancelled["cancellation"]!.ToJsonString(), again["cancellation"]!.ToJsonString());
    }

    [Fact]
    public async Task A_rider_is_shown_the_cancellation_terms_and_never_charged_a_fee_they_did_not_accept()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var assigned = await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}");
        var terms = assigned["cancellationTerms"]!;
        Assert.Equal(0, terms["feeNow"]?["amountMinor"]?.GetValue<long>() ?? 0);
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, terms["fee"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal((int)LifecycleStackFixture.FreeCancellationWindow.TotalSeconds, terms["freeWindowSeconds"]!.GetValue<int>());
        var assignedAt = DateTimeOffset.Parse(assigned["driver"].Str("assignedAt"));
        Assert.Equal(assignedAt + LifecycleStackFixture.FreeCancellationWindow, DateTimeOffset.Parse(terms.Str("freeUntil")));
        Assert.Null((await trip.Driver.User.GetOkAsync($"/api/trips/{trip.TripId}"))["cancellationTerms"]);

        // The rider read "free", the window ended before they confirmed: nothing is cancelled, they are told the fee.
        await Task.Delay(LifecycleStackFixture.FreeCancellationWindow + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var refused = await trip.Rider.PostAsync($"/api/trips/{trip.TripId}/cancel", new { maxFeeMinor = 0 }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"maxFeeMinor of at least {LifecycleStackFixture.CancellationFeeMinor}", refused.Str("detail"));
        var still = await trip.Rider.GetOkAsync($"/api/trips/{trip.TripId}");
        Assert.Equal("driver_assigned", still.Str("status"));
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, still["cancellationTerms"]!["feeNow"]!["amountMinor"]!.GetValue<long>());

        var cancelled = await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/cancel", new { maxFeeMinor = LifecycleStackFixture.CancellationFeeMinor });
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, cancelled["cancellation"]!["fee"]!["amountMinor"]!.GetValue<long>());
        Assert.Null(cancelled["cancellationTerms"]);
    }

    [Fact]
    public async Task Rider_changes_the_destination_on_the_way_and_while_riding_and_pays_the_fare_they_confirmed()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var (rider, driver, tripId) = (trip.Rider, trip.Driver, trip.TripId);
        var booked = await rider.GetOkAsync($"/api/trips/{tripId}");
        var bookedFare = booked["fare"]!["amountMinor"]!.GetValue<long>();
        var (etaBefore, _) = await DropoffLegEtaAsync(trip, _ => true);

        // On the way: a drop-off 4 km farther, priced from the pickup; the quote writes nothing.
        var farther = trip.Dropoff.Offset(-4_000, 0);
        var quote = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = LatLng(farther) });
        Assert.Equal(bookedFare, quote["fareBefore"]!["amountMinor"]!.GetValue<long>());
        var newFare = quote["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.True(newFare > bookedFare, $"{newFare} should be more than {bookedFare}");
        Assert.Equal(newFare, quote["breakdown"]!["totalMinor"]!.GetValue<long>());
        Assert.True(quote["distanceMeters"]!.GetValue<int>() > booked["distanceMeters"]!.GetValue<int>() + 3_000);
        Assert.Equal(trip.Dropoff.Lat, (await rider.GetOkAsync($"/api/trips/{tripId}"))["dropoff"]!["lat"]!.GetValue<double>(), 6);

        // Without the rider's consent to a price, or below it, nothing changes.
        var noConsent = await rider.PostAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(farther) }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("maxFareMinor", noConsent.Str("detail"));
        var refused = await rider.PostAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(farther), maxFareMinor = newFare - 1 })
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"maxFareMinor {newFare}", refused.Str("detail"));
        await driver.PostAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(farther), maxFareMinor = newFare }).ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(bookedFare, (await rider.GetOkAsync($"/api/trips/{tripId}"))["fare"]!["amountMinor"]!.GetValue<long>());

        var changed = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(farther), maxFareMinor = newFare });
        Assert.Equal(newFare, changed["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(farther.Lat, changed["dropoff"]!["lat"]!.GetValue<double>(), 6);
        Assert.Equal(quote["distanceMeters"]!.GetValue<int>(), changed["distanceMeters"]!.GetValue<int>());
        var change = Assert.Single(changed["destinationChanges"]!.AsArray())!;
        Assert.Equal(bookedFare, change["fareBefore"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(newFare, change["fareAfter"]!["amountMinor"]!.GetValue<long>());
        var again = await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(farther), maxFareMinor = newFare });
        Assert.Single(again["destinationChanges"]!.AsArray());
        var told = await driver.Socket.WaitForAsync("trip.destination_changed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(newFare, told["data"]!["fareMinor"]!.GetValue<long>());
        await trip.RiderSocket.WaitForAsync("trip.destination_changed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(farther.Lat, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["dropoff"]!["lat"]!.GetValue<double>(), 6);

        // The rider's drop-off ETA follows: the leg from the pickup is about twice as long now (3.6 km → 7.3 km).
        var (etaAfter, _) = await DropoffLegEtaAsync(trip, leg => leg > etaBefore * 1.5);
        Assert.True(etaAfter > etaBefore * 1.5, $"drop-off leg {etaAfter} s after the change, {etaBefore} s before");

        // Riding: back to the first drop-off, for less; the completed ride charges that fare.
        var pin = booked.Str("pin");
        Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(30, 0)));
        await Http.EventuallyAsync(
            async () => (await driver.PostAsync($"/api/trips/{tripId}/arrive", new { })) is { IsSuccessStatusCode: true } ok
                ? await PlatformClient.ReadAsync(ok) : new System.Text.Json.Nodes.JsonObject { ["status"] = "not yet" },
            t => t.Str("status") == "driver_arrived");
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        var back = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = LatLng(trip.Dropoff) });
        var finalFare = back["fare"]!["amountMinor"]!.GetValue<long>();
        Assert.InRange(finalFare, bookedFare, newFare - 1); // the way to it starts where the car is, by the pickup
        await rider.PostOkAsync($"/api/trips/{tripId}/destination", new { dropoff = LatLng(trip.Dropoff), maxFareMinor = finalFare });

        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        Assert.Equal(finalFare, completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(finalFare, completed["driverEarnings"]!["amount"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(2, completed["destinationChanges"]!.AsArray().Count);
        var session = await trip.RiderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(finalFare, session["data"]!["amountMinor"]!.GetValue<long>());
        var over = await rider.PostAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = LatLng(farther) }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("completed", over.Str("detail"));
    }

    private static object LatLng(Point p) => new { lat = p.Lat, lng = p.Lng };

    /// <summary>
    /// The driver pings near the pickup until the rider's tracking shows a drop-off ETA whose leg after the pickup
    /// (drop-off ETA less pickup ETA) satisfies <paramref name="until"/>; that leg and the pickup ETA, in seconds.
    /// </summary>
    private static async Task<(int Leg, int Pickup)> DropoffLegEtaAsync(AssignedTrip trip, Func<int, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; ; i++)
        {
            var at = trip.Pickup.Offset(300 + 20 * i, 0);
            Assert.True(await trip.Driver.SendLocationAsync(at));
            var tracked = (await trip.RiderSocket.WaitForAsync("driver.location",
                m => m["data"].Str("tripId") == trip.TripId && Math.Abs(m["data"]!["location"]!["lat"]!.GetValue<double>() - at.Lat) < 1e-9))["data"]!;
            var pickup = tracked["pickupEtaSeconds"]!.GetValue<int>();
            var leg = tracked["dropoffEtaSeconds"]!.GetValue<int>() - pickup;
            if (until(leg) || DateTime.UtcNow > deadline) return (leg, pickup);
        }
    }

    [Fact]
    public async Task Only_the_trips_own_people_may_act_on_it()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var client = stack.Client();
        var stranger = await client.SignInAsync("rider");
        var otherDriver = await client.SignInAsync("driver");

        await stranger.GetAsync($"/api/trips/{trip.TripId}").ProblemAsync(HttpStatusCode.NotFound);
        await stranger.PostAsync($"/api/trips/{trip.TripId}/cancel", new { }).ProblemAsync(HttpStatusCode.NotFound);
        await trip.Rider.PostAsync($"/api/trips/{trip.TripId}/arrive", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        await otherDriver.PostAsync($"/api/trips/{trip.TripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } })
            .ProblemAsync(HttpStatusCode.NotFound);
        await trip.Driver.PostAsync($"/api/trips/{trip.TripId}/payment/retry", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        await trip.Rider.PostAsync($"/api/trips/{trip.TripId}/rating", new { stars = 5 }).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
