using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// An airport queue through the gateway (ADR 0036): drivers entering the lot are told their place live, the airport's
/// pickups go to them first come, first served before a driver nearer the terminal, and a pickup elsewhere to the nearest.
/// </summary>
public sealed class AirportQueueTests(LifecycleStackFixture stack)
{
    private static readonly Point Terminal = LifecycleStackFixture.Airport;
    private static Point Lot(double eastMeters) => Terminal.Offset(LifecycleStackFixture.AirportLotNorth, eastMeters);

    private static Task<JsonObject> PlaceAsync(OnlineDriver driver, int position, int size) =>
        driver.Socket.WaitForAsync("driver.queue", m => m["data"]!["position"]!.GetValue<int>() == position && m["data"]!["size"]!.GetValue<int>() == size);

    [Fact]
    public async Task Drivers_in_the_lot_get_the_airport_pickup_in_the_order_they_came_and_a_pickup_elsewhere_goes_to_the_nearest()
    {
        var client = stack.Client();
        var away = Terminal.Offset(6_000, 0);
        await using var first = await OnlineDriver.StartAsync(client, away);
        await using var second = await OnlineDriver.StartAsync(client, away);
        await using var third = await OnlineDriver.StartAsync(client, away);
        // Nearer the terminal than anyone, but not waiting in the lot.
        await using var nearer = await OnlineDriver.StartAsync(client, Terminal.Offset(100, 0));
        Assert.True(await first.SendLocationAsync(Lot(100)));
        Assert.True(await second.SendLocationAsync(Lot(-100)));
        Assert.True(await third.SendLocationAsync(Lot(0)));
        Assert.True(await nearer.SendLocationAsync(Terminal.Offset(90, 0)));

        var told = await PlaceAsync(second, 2, 3);
        Assert.Equal(("tst", "TST Airport"), (told["data"].Str("queueId"), told["data"].Str("queueName")));
        await PlaceAsync(first, 1, 3);
        var rest = await second.User.GetOkAsync("/api/drivers/me/queue");
        Assert.Equal(("TST Airport", 2, 3), (rest["queue"].Str("name"), rest["queue"]!["position"]!.GetValue<int>(), rest["queue"]!["size"]!.GetValue<int>()));
        Assert.Equal(new JsonObject().ToJsonString(), (await nearer.User.GetOkAsync("/api/drivers/me/queue")).ToJsonString());
        // Support sees it on the driver's state.
        var support = await stack.SupportAsync();
        Assert.Equal("TST Airport", (await support.GetOkAsync($"/api/drivers/{first.Id}"))["queue"].Str("name"));
        // A reload sees it at once: the socket's first message carries it.
        await using (var reloaded = await second.User.ConnectAsync())
        {
            var snapshot = await reloaded.WaitForAsync("snapshot");
            Assert.Equal(2, snapshot["data"]!["driver"]!["queue"]!["position"]!.GetValue<int>());
        }

        var rider = await client.SignInAsync("rider");
        var airportTrip = (await rider.RequestTripAsync(Terminal.Offset(50, 0), Terminal.Offset(-9_000, 0))).Str("tripId");
        await first.OfferAsync(airportTrip);
        Assert.Equal("available", (await nearer.User.GetOkAsync("/api/drivers/me")).Str("state"));

        await first.Socket.SendAsync(new { type = "offer.decline", id = "d1", tripId = airportTrip, reason = "too short" });
        await first.Socket.WaitForAsync("ack", m => m["data"].Str("id") == "d1");
        await second.OfferAsync(airportTrip);
        // Declined: to the back, behind the third.
        await PlaceAsync(first, 3, 3);
        await second.AcceptAsync(airportTrip);
        await PlaceAsync(second, 0, 0); // took a trip: out of the queue
        await PlaceAsync(first, 2, 2);
        await rider.PostOkAsync($"/api/trips/{airportTrip}/cancel", new { reason = "x" });

        // Not an airport pickup: the nearest driver not waiting in the lot, though the lot's drivers are nearer.
        var townTrip = (await rider.RequestTripAsync(Terminal.Offset(3_000, 0), Terminal.Offset(9_000, 0))).Str("tripId");
        await nearer.OfferAsync(townTrip);
        Assert.Equal("available", (await third.User.GetOkAsync("/api/drivers/me")).Str("state"));
        await rider.PostOkAsync($"/api/trips/{townTrip}/cancel", new { reason = "x" });

        // Driving out of the lot: "left the queue", and the third is first.
        Assert.True(await third.SendLocationAsync(away));
        var left = await PlaceAsync(third, 0, 0);
        Assert.Equal("TST Airport", left["data"].Str("queueName"));
        await PlaceAsync(first, 1, 1);
        Assert.Null((await third.User.GetOkAsync("/api/drivers/me/queue"))["queue"]);
    }
}
