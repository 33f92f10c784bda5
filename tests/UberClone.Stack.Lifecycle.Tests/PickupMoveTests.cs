using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Moving the pickup (ADR 0046) on the whole stack: the rider moves it to the other entrance while the driver comes; the
/// driver's app is told, the rider's pickup ETA follows it, the driver arrives there (not where it was booked); bad
/// input, a spot too far, a move while no driver is found yet or once the driver waits there are refused saying why. A
/// ride booked for later moves its pickup before its search, and the driver who reserved it is told.
/// </summary>
public sealed class PickupMoveTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task The_rider_moves_the_pickup_while_the_driver_comes_and_the_driver_goes_there()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var (rider, driver, tripId) = (trip.Rider, trip.Driver, trip.TripId);
        var path = $"/api/trips/{tripId}/pickup";
        var fare = (await rider.GetOkAsync($"/api/trips/{tripId}"))["fare"]!.ToJsonString();

        // Bad input names the field; a spot 800 m away is another ride; only the rider moves it.
        Assert.Contains("location", (await rider.PostAsync(path, new { }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("location", (await rider.PostAsync(path, new { location = new { lat = 95, lng = 0 } }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.StartsWith("location is 800 m from the pickup you booked", (await rider.PostAsync(path, new { location = trip.Pickup.Offset(0, 800) })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await driver.PostAsync(path, new { location = trip.Pickup.Offset(0, 250) }).ProblemAsync(HttpStatusCode.Forbidden);

        // The other entrance, 250 m east: the fare stays; the driver's app is told and shows it.
        var entrance = trip.Pickup.Offset(0, 250);
        var moved = await rider.PostOkAsync(path, new { location = entrance });
        Assert.Equal((entrance.Lat, entrance.Lng), (moved["pickup"]!["lat"]!.GetValue<double>(), moved["pickup"]!["lng"]!.GetValue<double>()));
        Assert.Equal((trip.Pickup.Lat, 1), (moved["bookedPickup"]!["lat"]!.GetValue<double>(), moved["pickupMoves"]!.GetValue<int>()));
        Assert.Equal(fare, moved["fare"]!.ToJsonString());
        var told = await driver.Socket.WaitForAsync("trip.pickup_moved", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(entrance.Lng, told["data"]!["pickup"]!["lng"]!.GetValue<double>());
        Assert.Equal(entrance.Lng, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["pickup"]!["lng"]!.GetValue<double>());

        // The rider's pickup ETA is to the new spot: from where it was booked, the driver still has 250 m to go.
        // (Its only pings since the trip was assigned are these, at the booked pickup: before the move they would say ~0 s.)
        JsonObject? eta = null;
        for (var i = 0; i < 20 && eta is null; i++)
        {
            Assert.True(await driver.SendLocationAsync(trip.Pickup.Offset(i % 2, 0)));
            try
            {
                eta = await trip.RiderSocket.WaitForAsync("driver.location", m => m["data"].Str("tripId") == tripId
                    && m["data"]!["pickupEtaSeconds"]?.GetValue<int>() >= 20, TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // The drivers service had not heard of the move yet: ping again.
            }
        }
        Assert.NotNull(eta);

        // The driver arrives at the new spot, not where it was booked; waiting there, the pickup no longer moves.
        Assert.Contains("from the pickup", (await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = trip.Pickup })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = entrance.Offset(20, 0) }).OkAsync();
        Assert.Contains("waiting at the pickup", (await rider.PostAsync(path, new { location = trip.Pickup }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
    }

    [Fact]
    public async Task A_ride_booked_for_later_moves_its_pickup_and_the_driver_who_reserved_it_is_told()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var rider = await client.SignInAsync("rider");
        var dropoff = pickup.Offset(-2_500, 1_500);
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = DateTimeOffset.UtcNow.AddDays(1).ToString("O") })).Str("tripId");
        var driver = await client.SignInAsync("driver", "Vera Reserve");
        await driver.PostOkAsync($"/api/trips/{tripId}/reservation", new { });
        await using var driverSocket = await driver.ConnectAsync();
        var path = $"/api/trips/{tripId}/pickup";

        // Before its search starts the pickup moves, the ride stays booked for later and reserved, and the driver who
        // holds the reservation is told where it is now.
        var corner = pickup.Offset(200, 0);
        var moved = await rider.PostOkAsync(path, new { location = corner });
        Assert.Equal(("scheduled", 1), (moved.Str("status"), moved["pickupMoves"]!.GetValue<int>()));
        Assert.Equal(driver.UserId, moved["reservation"].Str("driverId"));
        var told = await driverSocket.WaitForAsync("trip.pickup_moved", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(corner.Lat, told["data"]!["pickup"]!["lat"]!.GetValue<double>());
        Assert.Equal(driver.UserId, told["data"].Str("reservedDriverId"));

        // Still measured from where it was booked: 600 m from there is refused, even though 400 m from where it is now.
        Assert.StartsWith("location is 600 m from the pickup you booked", (await rider.PostAsync(path, new { location = pickup.Offset(600, 0) })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { });
    }

    [Fact]
    public async Task A_pickup_still_looking_for_a_driver_does_not_move()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity(); // nobody drives here
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_000))).Str("tripId");

        var refused = await rider.PostAsync($"/api/trips/{tripId}/pickup", new { location = pickup.Offset(0, 100) }).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("still finding a driver", refused.Str("detail"));
        var other = await client.SignInAsync("rider");
        await other.PostAsync($"/api/trips/{tripId}/pickup", new { location = pickup.Offset(0, 100) }).ProblemAsync(HttpStatusCode.NotFound);
        await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { });
    }
}
