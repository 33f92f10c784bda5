using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A trip was completed: it counts towards its driver's quests (ADR 0038). The trip is read as stored (where it was
/// picked up, its class, when it was completed); a redelivery counts nothing more, since each progress knows its trips.
/// </summary>
public sealed class QuestCompletionHandler(TripRepository repository, QuestDesk quests, ILogger<QuestCompletionHandler> logger) : IMessageHandler<TripCompletedIntegrationEvent>
{
    public async Task HandleAsync(TripCompletedIntegrationEvent completed, MessageContext context, CancellationToken ct)
    {
        if ((await repository.Trips.GetAsync(completed.TripId, ct))?.Document is not { } trip) return;
        foreach (var progress in await quests.CountAsync(trip, ct))
        {
            logger.LogInformation("Trip {TripId} counted towards quest {QuestId} of driver {DriverId}: {Done} rides{Earned}",
                trip.Id, progress.QuestId, progress.DriverId, progress.Done, progress.EarnedAt is null ? "" : ", bonus earned");
        }
    }
}

/// <summary>
/// trips' one handler of <c>trip.event.completed</c> (a topic has one handler per service): an invite's reward, then the
/// driver's quests. Both are safe to run again, so a failure of either retries the two.
/// </summary>
public sealed class TripCompletedHandler(ReferralRewardHandler referral, QuestCompletionHandler quests) : IMessageHandler<TripCompletedIntegrationEvent>
{
    public async Task HandleAsync(TripCompletedIntegrationEvent completed, MessageContext context, CancellationToken ct)
    {
        await referral.HandleAsync(completed, context, ct);
        await quests.HandleAsync(completed, context, ct);
    }
}
