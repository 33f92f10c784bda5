using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>Two gateway replicas: each consumes every realtime event in its own group and serves its own sockets.</summary>
public sealed class ReplicaTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task A_rider_on_one_replica_and_a_driver_on_the_other_complete_a_ride()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver", "Replica driver");
        var rider = await client.SignInAsync("rider", "Replica rider");
        var driverSocket = await driver.ConnectAsync();
        var driverReplica = (await driverSocket.WaitForAsync("snapshot"))["data"].Str("gateway");
        var riderSocket = await TwoGatewaysFixture.ConnectToAnotherReplicaAsync(rider, driverReplica);
        await using var _ = driverSocket;
        await using var __ = riderSocket;

        await driver.GoOnlineAsync(city.Offset(300, 0));
        var tripId = (await rider.RequestTripAsync(city, city.Offset(-2_500, 1_000))).Str("tripId");
        await riderSocket.WaitForAsync("trip.searching", m => m["data"].Str("tripId") == tripId);
        await driverSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);

        await driverSocket.SendAsync(new { type = "offer.accept", id = "a1", tripId });
        await driverSocket.WaitForAsync("ack", m => m["data"].Str("id") == "a1");
        var assigned = await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(driver.UserId, assigned["data"].Str("driverId"));
        await driverSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);

        await driverSocket.SendAsync(new { type = "location", id = "l1", lat = city.Offset(150, 0).Lat, lng = city.Lng, accuracy = 5 });
        var moved = await riderSocket.WaitForAsync("driver.location", m => m["data"].Str("driverId") == driver.UserId);
        Assert.Equal(tripId, moved["data"].Str("tripId"));

        // The rest of the ride: every state change made through one replica reaches the socket on the other.
        var pin = (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("pin");
        await driver.PostOkAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = city.Lat, lng = city.Lng } });
        await riderSocket.WaitForAsync("trip.driver_arrived", m => m["data"].Str("tripId") == tripId);
        await driver.PostOkAsync($"/api/trips/{tripId}/start", new { pin });
        await riderSocket.WaitForAsync("trip.started", m => m["data"].Str("tripId") == tripId);
        await driver.PostOkAsync($"/api/trips/{tripId}/complete", new { });
        await riderSocket.WaitForAsync("trip.completed", m => m["data"].Str("tripId") == tripId);
        await driverSocket.WaitForAsync("trip.completed", m => m["data"].Str("tripId") == tripId);
        var payment = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.NotEmpty(payment["data"].Str("checkoutUrl"));

        var seqs = riderSocket.Received.Where(m => m["seq"]!.GetValue<long>() > 0).Select(m => m["seq"]!.GetValue<long>()).ToList();
        Assert.Equal(seqs.Order(), seqs);
    }
}
