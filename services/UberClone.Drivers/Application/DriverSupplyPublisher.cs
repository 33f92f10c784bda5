using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;

namespace UberClone.Drivers.Application;

/// <summary>
/// Sends surge supply to trips, many drivers per message on <c>driver.event.supply</c> (at most
/// <see cref="MaxReportsPerMessage"/>, two messages in flight): at a million drivers reported every 15 s, trips reads
/// about 70 messages a second instead of 70,000. Best effort, like every announcement: a lost report is replaced by
/// the driver's next one, and supply only moves a price.
/// </summary>
public sealed class DriverSupplyPublisher(IEventPublisher publisher, ILogger<DriverSupplyPublisher> logger)
    : BackgroundAnnouncer<DriverSupplyReport>(capacity: 100_000, inFlight: 2, perMessage: MaxReportsPerMessage, logger)
{
    public const int MaxReportsPerMessage = 1_000;

    // Any key: trips keeps the latest report of each driver by its time, so batches may arrive in any order.
    protected override Task SendAsync(IReadOnlyList<DriverSupplyReport> items, CancellationToken ct) =>
        publisher.PublishAsync(Topics.DriverSupply, items[0].DriverId, new DriverSupplyReportedIntegrationEvent(items), ct);
}
