using UberClone.Contracts;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Tells the other drivers replicas the live fixes this one accepted, many per message on <c>driver.event.positions</c>:
/// a message carries every fix accepted while the one before it was on its way (at most
/// <see cref="MaxFixesPerMessage"/>, two messages in flight), so at low load a fix goes out alone at once, and under
/// load the other replicas read one message, one envelope and one span per batch instead of per ping.
/// </summary>
public sealed class DriverPositionPublisher(IEventPublisher publisher, ILogger<DriverPositionPublisher> logger)
    : BackgroundAnnouncer<DriverFix>(capacity: 100_000, inFlight: 2, perMessage: MaxFixesPerMessage, logger)
{
    public const int MaxFixesPerMessage = 1_000;

    // Any key: receivers take a fix only if it is newer than the one they hold, so batches may arrive in any order.
    protected override Task SendAsync(IReadOnlyList<DriverFix> items, CancellationToken ct) =>
        publisher.PublishAsync(Topics.DriverPositions, items[0].DriverId, new DriverFixBatch(items), ct);
}
