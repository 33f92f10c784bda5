using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Waiting at the pickup on the whole stack: both sides see until when it is free and what a minute costs after; a
/// ride that starts later costs the wait by the second (the economy tariff's 0.30 a minute), on the fare, the receipt,
/// what the rider is charged and what the driver earns.
/// </summary>
public sealed class WaitingFeeTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_ride_that_starts_after_the_free_wait_costs_the_wait_by_the_second_on_the_fare_the_charge_and_the_drivers_earnings()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        var (rider, riderSocket, driver, tripId) = (trip.Rider, trip.RiderSocket, trip.Driver, trip.TripId);
        // The quote says it before booking: the free minutes and each class's price a minute.
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng }, dropoff = new { lat = trip.Dropoff.Lat, lng = trip.Dropoff.Lng } });
        Assert.Equal((int)LifecycleStackFixture.FreeWait.TotalSeconds, quote["freeWaitSeconds"]!.GetValue<int>());
        Assert.Equal(30, quote["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!["waitPerMinute"]!["amountMinor"]!.GetValue<long>());
        var booked = await rider.GetOkAsync($"/api/trips/{tripId}");
        var fare = booked["fare"]!["amountMinor"]!.GetValue<long>();

        var arrived = await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } }).OkAsync();
        var freeUntil = DateTimeOffset.Parse(arrived.Str("freeWaitUntil"));
        Assert.Equal(DateTimeOffset.Parse(arrived.Str("arrivedAt")) + LifecycleStackFixture.FreeWait, freeUntil);
        Assert.Equal(30, arrived["waitPerMinute"]!["amountMinor"]!.GetValue<long>());
        var riderView = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "driver_arrived");
        Assert.Equal((arrived.Str("freeWaitUntil"), 30L), (riderView.Str("freeWaitUntil"), riderView["waitPerMinute"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal(fare, riderView["fare"]!["amountMinor"]!.GetValue<long>()); // nothing yet

        var past = freeUntil + TimeSpan.FromSeconds(4) - DateTimeOffset.UtcNow;
        if (past > TimeSpan.Zero) await Task.Delay(past, TestContext.Current.CancellationToken);
        var started = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin = riderView.Str("pin") }).OkAsync();

        var waited = DateTimeOffset.Parse(started.Str("startedAt")) - freeUntil;
        var wait = (long)Math.Round(30 * waited.TotalSeconds / 60, MidpointRounding.AwayFromZero);
        Assert.True(wait >= 2, $"waited {waited.TotalSeconds:0.0} s past the free minutes: {wait}");
        Assert.Equal(wait, started["receipt"]!["fare"]!["waitMinor"]!.GetValue<long>());
        Assert.Equal(fare + wait, started["fare"]!["amountMinor"]!.GetValue<long>());

        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        Assert.Equal(fare + wait, completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(fare + wait, completed["driverEarnings"]!["amount"]!["amountMinor"]!.GetValue<long>());
        var charge = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(fare + wait, charge["data"]!["amountMinor"]!.GetValue<long>());
    }
}
