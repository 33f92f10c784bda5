using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Sends the positions of drivers on a trip to their riders (and to trips), many per message on
/// <c>driver.event.locations_updated</c> (at most <see cref="MaxLocationsPerMessage"/>, two messages in flight): every
/// gateway replica reads every message to find the riders it holds, so per-ping messages would cost each of them a
/// fetch, an envelope parse and a span per ping. At low load a position goes out alone at once; the ping is answered
/// without waiting for Kafka. Best effort, as live tracking is: a lost position is replaced by the next ping.
/// </summary>
public sealed class DriverLocationPublisher(IEventPublisher publisher, ILogger<DriverLocationPublisher> logger)
    : BackgroundAnnouncer<DriverLocationUpdatedIntegrationEvent>(capacity: 100_000, inFlight: 2, perMessage: MaxLocationsPerMessage, logger)
{
    public const int MaxLocationsPerMessage = 1_000;

    // Any key: receivers keep each driver's newest position by its time, so messages may arrive in any order.
    protected override Task SendAsync(IReadOnlyList<DriverLocationUpdatedIntegrationEvent> items, CancellationToken ct) =>
        publisher.PublishAsync(Topics.DriverLocationsUpdated, items[0].DriverId, new DriverLocationsUpdatedIntegrationEvent(items), ct);
}
