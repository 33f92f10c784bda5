using System.Diagnostics;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;

namespace UberClone.Drivers.Tests;

/// <summary>A search's later steps, run by the sweeper's timer, stay in the trace of the booking that began it.</summary>
public sealed class DispatchTracingTests() : StoreBackedTest("dispatch-trace", new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero))
{
    private static readonly GeoPoint Pickup = new(48.8566, 2.3522);

    [Fact]
    public async Task An_offer_made_on_a_retry_belongs_to_the_booking_trace()
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
        await drivers.GoOnlineAsync("d1", "economy", new GeoPoint(Pickup.Lat + 0.002, Pickup.Lng), ct);
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(Activity.Current);
        await dispatcher.SweepAsync(ct);

        var retry = Assert.Single(started, a => a.OperationName == "dispatch retry" && (string?)a.GetTagItem("uberclone.trip_id") == tripId);
        Assert.Equal(booking, retry.TraceId);
        var offer = Assert.Single(await database.Outbox.GetPendingAsync(100, ct), m => m.Topic == Topics.DriverTripRequest);
        Assert.Contains(booking.ToHexString(), offer.TraceParent);
    }
}
