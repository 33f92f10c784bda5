using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// Two drivers replicas: a driver whose requests and pings go to one replica is still found by dispatch running on
/// the other (each trip's search runs on whichever replica owns its partition).
/// </summary>
public sealed class DispatchAcrossReplicasTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task Every_rider_gets_the_driver_next_to_them_whichever_replica_each_side_went_through()
    {
        // Each driver and rider on a client (a connection) of their own, so they are spread over both gateways and
        // both drivers replicas; the trips' searches are spread over the replicas by partition.
        var cities = Enumerable.Range(0, 6).Select(_ => Point.FreshCity()).ToList();
        await EachRiderIsOfferedTheirDriverAsync(cities, city => city.Offset(300, 0), driveIntoTown: null);
    }

    [Fact]
    public async Task A_driver_who_drove_into_town_is_found_by_either_replica_from_the_pings_the_other_one_took()
    {
        // Online 50 km out of town (beyond every search radius); the socket pings that bring them next to the rider go
        // through one gateway (in its batches) to one drivers replica; the searches run on both.
        var cities = Enumerable.Range(0, 6).Select(_ => Point.FreshCity()).ToList();
        await EachRiderIsOfferedTheirDriverAsync(cities, city => city.Offset(50_000, 0), driveIntoTown: async (socket, city, i) =>
        {
            var near = city.Offset(300, 0);
            await PingAsync(socket, near, $"in-town-{i}");
            return near;
        });
    }

    /// <summary>A position sent on the driver's socket (through its gateway, to the drivers replica it reaches), accepted.</summary>
    private static async Task PingAsync(RealtimeClient socket, Point at, string id)
    {
        await socket.SendAsync(new { type = "location", id, lat = at.Lat, lng = at.Lng, accuracy = 5 });
        var ack = await socket.WaitForAsync("ack", m => m["data"].Str("id") == id, TimeSpan.FromSeconds(10));
        Assert.True(ack["data"]!["result"]!["accepted"]!.GetValue<bool>());
    }

    /// <summary>
    /// One driver per city goes online where <paramref name="onlineAt"/> says (then, if given, drives into town: where
    /// to), one rider per city books next to them: each driver must get their own city's trip. Each driver's phone sends
    /// its position again just before its city's booking, as the app does every 3 s: signing twelve people up takes
    /// longer than a position stays fresh (30 s) on a loaded machine, and a stale driver is not offered (CI63).
    /// </summary>
    private async Task EachRiderIsOfferedTheirDriverAsync(
        IReadOnlyList<Point> cities, Func<Point, Point> onlineAt, Func<RealtimeClient, Point, int, Task<Point>>? driveIntoTown)
    {
        var at = cities.Select(onlineAt).ToList();
        var drivers = new List<(UserSession User, RealtimeClient Socket)>();
        foreach (var city in cities)
        {
            var driver = await stack.Client().SignInAsync("driver");
            var socket = await driver.ConnectAsync();
            await driver.GoOnlineAsync(onlineAt(city));
            drivers.Add((driver, socket));
        }
        try
        {
            if (driveIntoTown is not null)
            {
                for (var i = 0; i < cities.Count; i++) at[i] = await driveIntoTown(drivers[i].Socket, cities[i], i);
                // The other replica learns the pings in a batch on driver.event.positions, a moment later.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            var trips = new List<string>();
            for (var i = 0; i < cities.Count; i++)
            {
                var rider = await stack.Client().SignInAsync("rider");
                await PingAsync(drivers[i].Socket, at[i], $"fresh-{i}");
                trips.Add((await rider.RequestTripAsync(cities[i], cities[i].Offset(2_000, 0))).Str("tripId"));
            }

            for (var i = 0; i < cities.Count; i++)
            {
                var offer = await drivers[i].Socket.WaitForAsync("offer", m => m["data"].Str("tripId") == trips[i], TimeSpan.FromSeconds(20));
                Assert.Equal(drivers[i].User.UserId, offer["data"].Str("driverId"));
            }
        }
        finally
        {
            foreach (var (_, socket) in drivers) await socket.DisposeAsync();
        }
    }
}
