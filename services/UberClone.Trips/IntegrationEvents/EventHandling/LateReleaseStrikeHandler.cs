using Microsoft.Extensions.Options;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A driver released a reservation (ADR 0050): the strike a late release earns is written to their ledger from the trip as
/// it stands. The release request writes it too, at once, but after the trip's write (another document): trips handles its
/// own event, written with the release, so that a crash between the two writes cannot lose the strike. Once per ride
/// whatever writes it again (<see cref="DriverReservationLedger.With"/>), a strike support removed included.
/// </summary>
public sealed class LateReleaseStrikeHandler(TripRepository repository, IOptions<ReservationRules> reservations) : IMessageHandler<TripReservationReleasedIntegrationEvent>
{
    public async Task HandleAsync(TripReservationReleasedIntegrationEvent released, MessageContext context, CancellationToken ct)
    {
        if (released.By != TripActors.Driver || released.Cancelled) return;
        if ((await repository.Trips.GetAsync(released.TripId, ct))?.Document is { } trip)
        {
            await DriverReservations.RecordStrikesAsync(repository, trip, reservations.Value, ct);
        }
    }
}
