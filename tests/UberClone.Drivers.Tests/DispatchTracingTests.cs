using System.Diagnostics;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A search's later steps, run by the sweeper's timer or woken by a driver who became available, stay in the trace of the
/// booking that began it.
/// </summary>
public sealed class DispatchTracingTests() : StoreBackedTest("dispatch-trace", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);

    [Theory]
    [InlineData(false, "dispatch retry")]
    [InlineData(true, "dispatch woken by a driver")]
    public async Task An_offer_made_on_a_retry_or_when_a_driver_woke_the_search_belongs_to_the_booking_trace(bool woken, string step)
    {
        var ct = TestContext.Current.CancellationToken;
        // Other tests' sweeps run meanwhile: this trip's id tells its spans apart.
        var tripId = $"trace-{Guid.NewGuid():N}";
        var started = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "UberClone.Drivers.Dispatch" or "test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        using var process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions { RetryInterval = TimeSpan.FromSeconds(2) }),
            Meters);
        var (database, dispatcher, drivers) = (process.Database, process.Dispatcher, process.Drivers);

        ActivityTraceId booking;
        using (var consumed = source.StartActivity("process trip.event.created"))
        {
            booking = consumed!.TraceId;
            // Nobody is online yet: the first attempt finds no one.
            await dispatcher.StartAsync(new TripCreatedIntegrationEvent(tripId, "r1", "economy", Pickup, new GeoPoint(48.87, 2.36),
                1_500, "USD", 3_000, 400, Clock.GetUtcNow()), ct);
        }
        // Without a wake (as when the waiting search was not remembered here) its timer finds the driver.
        if (!woken) process.Waiting.Remove(tripId);
        await drivers.GoOnlineAsync("d1", "economy", new GeoPoint(Pickup.Lat + 0.002, Pickup.Lng), ct);
        Assert.Null(Activity.Current);
        if (woken)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await database.Outbox.GetPendingAsync(100, ct)).All(m => m.Topic != Topics.DriverTripRequest) && DateTime.UtcNow < deadline) await Task.Delay(20, ct);
        }
        else
        {
            Clock.Advance(TimeSpan.FromSeconds(2));
            await dispatcher.SweepAsync(ct);
        }

        var retry = Assert.Single(started, a => a.OperationName == step && (string?)a.GetTagItem("uberclone.trip_id") == tripId);
        Assert.Equal(booking, retry.TraceId);
        var offer = Assert.Single(await database.Outbox.GetPendingAsync(100, ct), m => m.Topic == Topics.DriverTripRequest);
        Assert.Contains(booking.ToHexString(), offer.TraceParent);
    }
}
