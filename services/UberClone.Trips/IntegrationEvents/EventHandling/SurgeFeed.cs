using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Feeds surge pricing's demand and supply from the events of every trip and the drivers' supply reports. Registered as
/// an instance handler: each trips replica reads all of them (and the last window again when it starts), so every
/// replica quotes from the whole city, not from the share of partitions its group consumer happens to own.
/// </summary>
public sealed class SurgeFeed(DemandSupplyWindow window) :
    IMessageHandler<TripCreatedIntegrationEvent>,
    IMessageHandler<TripDriverAssignedIntegrationEvent>,
    IMessageHandler<TripCancelledIntegrationEvent>,
    IMessageHandler<TripNoDriversFoundIntegrationEvent>,
    IMessageHandler<TripDriverCancelledIntegrationEvent>,
    IMessageHandler<DriverSupplyReportedIntegrationEvent>
{
    public Task HandleAsync(TripCreatedIntegrationEvent created, MessageContext context, CancellationToken ct) =>
        Done(() => window.RequestOpened(created.TripId, created.Pickup, created.RequestedAt));

    public Task HandleAsync(TripDriverAssignedIntegrationEvent assigned, MessageContext context, CancellationToken ct) =>
        Done(() => window.RequestClosed(assigned.TripId, assigned.AssignedAt));

    public Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct) =>
        Done(() => window.RequestClosed(cancelled.TripId, cancelled.CancelledAt));

    public Task HandleAsync(TripNoDriversFoundIntegrationEvent ended, MessageContext context, CancellationToken ct) =>
        Done(() => window.RequestClosed(ended.TripId, ended.At));

    public Task HandleAsync(TripDriverCancelledIntegrationEvent gaveUp, MessageContext context, CancellationToken ct) =>
        Done(() => window.RequestReopened(gaveUp.TripId, gaveUp.At));

    public Task HandleAsync(DriverSupplyReportedIntegrationEvent supply, MessageContext context, CancellationToken ct) =>
        Done(() =>
        {
            // A malformed report is skipped, not the whole batch: the others are still good supply.
            foreach (var report in supply.Reports ?? [])
            {
                if (report is { IsValid: true }) window.DriverSeen(report.DriverId, report.Location, report.Available, report.At);
            }
        });

    private static Task Done(Action record)
    {
        record();
        return Task.CompletedTask;
    }
}
