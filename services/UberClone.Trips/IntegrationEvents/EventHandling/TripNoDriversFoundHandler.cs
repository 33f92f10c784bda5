using Microsoft.Extensions.Options;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// Dispatch gave up: the trip ends as no_drivers_found (the rider is told by the gateway from the same event). A
/// promotion it was booked with gives its ride back to the rider (again on a redelivery, which changes nothing). A driver
/// who reserved it did not take it: a strike (ADR 0050).
/// </summary>
public sealed class TripNoDriversFoundHandler(TripRepository repository, PromotionDesk promotions, TimeProvider clock, IOptions<ReservationRules> reservations,
    ILogger<TripNoDriversFoundHandler> logger)
    : IMessageHandler<TripNoDriversFoundIntegrationEvent>
{
    public async Task HandleAsync(TripNoDriversFoundIntegrationEvent message, MessageContext context, CancellationToken ct)
    {
        try
        {
            var now = clock.GetUtcNow();
            var trip = await repository.Trips.UpdateAsync(message.TripId, t => t.MarkNoDriversFound(now), t => SplitFares.Told(t, now), ct);
            if (trip is { Status: TripStatus.NoDriversFound, Promotion: { } promotion })
            {
                await promotions.ReleaseAsync(trip.RiderId, promotion.Code, trip.Id, ct);
            }
            if (trip is { Status: TripStatus.NoDriversFound, Reservation: not null }) await DriverReservations.RecordStrikesAsync(repository, trip, reservations.Value, ct);
        }
        catch (TripTransitionException ex)
        {
            logger.LogInformation("No-drivers-found for trip {TripId} ignored: {Reason}", message.TripId, ex.Message);
        }
    }
}
