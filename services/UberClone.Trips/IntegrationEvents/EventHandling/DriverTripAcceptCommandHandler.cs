using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A driver accepted the offer: assign them and tell everyone (trip.event.driver_assigned). Another driver than the one
/// who reserved the ride: that one did not take it, a strike (ADR 0050).
/// </summary>
public sealed class DriverTripAcceptCommandHandler(
    TripRepository repository, DemandSupplyWindow demand, TimeProvider clock, TripsMetrics metrics, IOptions<ReservationRules> reservations,
    ILogger<DriverTripAcceptCommandHandler> logger)
    : IMessageHandler<DriverTripAcceptCommand>
{
    public async Task HandleAsync(DriverTripAcceptCommand command, MessageContext context, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        try
        {
            var trip = await repository.Trips.UpdateAsync(command.TripId,
                t => t.AssignDriver(command.DriverId, command.DriverLocation, now),
                t => [OutboxMessages.Create(Topics.TripDriverAssigned, t.Id, new TripDriverAssignedIntegrationEvent(
                    t.Id, t.RiderId, command.DriverId, t.VehicleClass, command.DriverLocation, now, t.ScheduledFor))],
                ct);
            if (trip is null)
            {
                logger.LogWarning("Accept for unknown trip {TripId} by driver {DriverId} ignored", command.TripId, command.DriverId);
                return;
            }
            if (trip.Driver?.AssignedAt == now) metrics.DriverAssigned(now - trip.CreatedAt);
            if (trip.Reservation is { } reserved && reserved.DriverId != command.DriverId) await DriverReservations.RecordStrikesAsync(repository, trip, reservations.Value, ct);
            demand.RequestClosed(trip.Id, now);
        }
        catch (TripTransitionException ex)
        {
            logger.LogWarning("Accept of trip {TripId} by driver {DriverId} refused: {Reason}", command.TripId, command.DriverId, ex.Message);
        }
    }
}
