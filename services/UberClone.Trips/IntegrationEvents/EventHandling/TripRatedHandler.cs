using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A trip was rated: fold the stars into the rated user's tally (idempotent by message id, and also by the trip, which the
/// rated driver's or rider's window of recent ratings holds, so a redelivery after a crash is not counted twice: ADR 0055, 0056).
/// </summary>
public sealed class TripRatedHandler(Ratings ratings) : IMessageHandler<TripRatedIntegrationEvent>
{
    public Task HandleAsync(TripRatedIntegrationEvent rated, MessageContext context, CancellationToken ct) =>
        rated.RatedBy == TripActors.Rider
            ? ratings.RecordForDriverAsync(rated.DriverId, rated.TripId, rated.Stars, ct)
            : ratings.RecordForRiderAsync(rated.RiderId, rated.TripId, rated.Stars, ct);
}

/// <summary>
/// Support approved a driver (account.event.driver_approval, outcome <c>approved</c>): a driver their rating standing had
/// taken off the road starts afresh, judged again from new ratings (ADR 0055, amended). Any other change of approval, and
/// a driver in another standing, change nothing; a redelivery changes nothing either (the standing is no longer <c>deactivate</c>).
/// </summary>
public sealed class DriverReinstatedHandler(Ratings ratings, ILogger<DriverReinstatedHandler> logger) : IMessageHandler<DriverApprovalChangedIntegrationEvent>
{
    public async Task HandleAsync(DriverApprovalChangedIntegrationEvent changed, MessageContext context, CancellationToken ct)
    {
        if (changed.Status != "approved" || changed.Outcome is not (null or "approved")) return;
        if (await ratings.ReinstateDriverAsync(changed.UserId, changed.At, ct))
        {
            logger.LogInformation("Driver {DriverId} reinstated by support: their rating standing starts afresh", changed.UserId);
        }
    }
}
