using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Stops on the way (ADR 0023), on the whole stack: a quote through a stop is longer and dearer than the direct one,
/// the driver's offer lists the stop, the driver reaches it while riding (not from afar, not twice), the rider's app is
/// told (and whoever follows the shared trip), the rider's drop-off ETA goes through the stops still ahead, and the ride
/// completes at the price quoted.
/// </summary>
public sealed class StopTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_ride_through_a_stop_is_priced_through_it_offered_with_it_and_the_rider_sees_it_reached()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        var stop = pickup.Offset(-1_500, 2_000);
        var dropoff = pickup.Offset(-3_000, 0);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();

        var direct = await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff });
        var through = await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff, stops = new[] { stop } });
        Assert.True(through["distanceMeters"]!.GetValue<int>() > direct["distanceMeters"]!.GetValue<int>() + 1_000);
        Assert.True(Price(through) > Price(direct));
        Assert.Single(through["stops"]!.AsArray());
        var tooMany = await rider.PostAsync("/api/trips/quotes", new { pickup, dropoff, stops = new[] { stop, stop, stop, stop } })
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 3 stops", tooMany.Str("detail"));

        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = through.Str("quoteId"), vehicleClass = "economy" })).Str("tripId");
        var offer = await driver.OfferAsync(tripId);
        Assert.Single(offer["data"]!["stops"]!.AsArray());
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = pickup }).OkAsync();
        var started = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        Assert.Equal(0, started["nextStop"]?.GetValue<int>() ?? 0);

        // The rider's drop-off ETA goes through the stop: more than straight from the pickup to the drop-off.
        var etaThrough = await DropoffEtaAsync(driver, riderSocket, pickup.Offset(-10, 0));

        Assert.Contains("from stop 1", (await driver.PostAsync($"/api/trips/{tripId}/stops/0/reached", new { location = pickup })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        var reached = await driver.PostAsync($"/api/trips/{tripId}/stops/0/reached", new { location = stop.Offset(20, 0) }).OkAsync();
        Assert.Equal(-1, reached["nextStop"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(reached["stops"]![0].Str("reachedAt")));
        var told = await riderSocket.WaitForAsync("trip.stop_reached", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(0, told["data"]!["index"]!.GetValue<int>());
        await driver.PostAsync($"/api/trips/{tripId}/stops/0/reached", new { location = stop }).OkAsync(); // a repeat changes nothing

        // Someone following the shared trip sees the stop, reached.
        var token = (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken");
        var followed = await PlatformClient.ReadAsync(await client.Http.GetAsync($"/api/shared-trips/{token}", TestContext.Current.CancellationToken));
        Assert.True(followed["stops"]![0]!["reached"]!.GetValue<bool>());

        // Once the stop is reached, the drop-off ETA from the same place no longer goes through it (the drivers service
        // follows trip.event.stop_reached: pings are sent until one is answered with the shorter ETA).
        var etaAfter = etaThrough;
        for (var attempt = 0; attempt < 20 && etaAfter >= etaThrough; attempt++)
        {
            etaAfter = await DropoffEtaAsync(driver, riderSocket, pickup.Offset(-11 - attempt, 0));
        }
        Assert.True(etaAfter < etaThrough * 0.8, $"drop-off ETA {etaAfter} s after the stop, {etaThrough} s through it");

        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        Assert.Equal("completed", completed.Str("status"));
        Assert.Equal(Price(through), completed["fare"]!["amountMinor"]!.GetValue<long>());
    }

    /// <summary>The drop-off ETA the rider is sent for the driver's ping at <paramref name="at"/>.</summary>
    private static async Task<int> DropoffEtaAsync(OnlineDriver driver, RealtimeClient riderSocket, Point at)
    {
        Assert.True(await driver.SendLocationAsync(at));
        var message = await riderSocket.WaitForAsync("driver.location", m => m["data"]!["location"] is { } l
            && Math.Abs(l["lat"]!.GetValue<double>() - at.Lat) < 1e-9 && Math.Abs(l["lng"]!.GetValue<double>() - at.Lng) < 1e-9);
        return message["data"]!["dropoffEtaSeconds"]!.GetValue<int>();
    }

    private static long Price(System.Text.Json.Nodes.JsonObject quote) =>
        quote["options"]!.AsArray().First(o => o.Str("vehicleClass") == "economy")!["price"]!["amountMinor"]!.GetValue<long>();
}
