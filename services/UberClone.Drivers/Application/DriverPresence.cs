using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells the other drivers replicas each state this one stored: the driver's record on <c>driver.event.presence</c>
/// (key = driver id), one message per record, many in flight at once.
/// </summary>
public sealed class DriverPresencePublisher(IEventPublisher publisher, ILogger<DriverPresencePublisher> logger)
    : BackgroundAnnouncer<Driver>(capacity: 50_000, inFlight: 256, perMessage: 1, logger)
{
    protected override Task SendAsync(IReadOnlyList<Driver> items, CancellationToken ct) =>
        publisher.PublishAsync(Topics.DriverPresence, items[0].Id, items[0], ct);
}
