using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>A rider who does not come to the pickup: after the wait the driver cancels, the rider pays the fee, the driver earns it.</summary>
public sealed class NoShowTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_driver_who_waited_in_vain_cancels_the_rider_is_charged_the_fee_and_the_driver_earns_it_and_drives_on()
    {
        var client = stack.Client();
        await using var trip = await AssignedTrip.StartAsync(client);
        var (rider, riderSocket, driver, tripId) = (trip.Rider, trip.RiderSocket, trip.Driver, trip.TripId);
        var arrived = await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = trip.Pickup.Lat, lng = trip.Pickup.Lng } }).OkAsync();
        var from = DateTimeOffset.Parse(arrived.Str("noShowFrom"));
        Assert.Equal(DateTimeOffset.Parse(arrived.Str("arrivedAt")) + LifecycleStackFixture.NoShowWait, from);
        Assert.True(string.IsNullOrEmpty((string?)(await rider.GetOkAsync($"/api/trips/{tripId}"))["noShowFrom"])); // the driver's to know

        Assert.Contains("Wait for the rider", (await driver.PostAsync($"/api/trips/{tripId}/no-show", new { }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostAsync($"/api/trips/{tripId}/no-show", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        var delay = from - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, TestContext.Current.CancellationToken);

        var cancelled = await driver.PostAsync($"/api/trips/{tripId}/no-show", new { }).OkAsync();
        Assert.Equal(("cancelled", "driver", LifecycleStackFixture.CancellationFeeMinor),
            (cancelled.Str("status"), cancelled["cancellation"].Str("cancelledBy"), cancelled["cancellation"]!["fee"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal("cancellation_fee", cancelled["driverEarnings"].Str("kind"));
        var told = await riderSocket.WaitForAsync("trip.cancelled", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("driver", told["data"].Str("cancelledBy"));
        var charge = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(LifecycleStackFixture.CancellationFeeMinor, charge["data"]!["amountMinor"]!.GetValue<long>());
        // The driver drives on, and a repeat answers the same cancellation.
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => d.Str("state") == "available");
        Assert.Equal(cancelled["cancellation"]!.ToJsonString(), (await driver.PostAsync($"/api/trips/{tripId}/no-show", new { }).OkAsync())["cancellation"]!.ToJsonString());
    }
}
