using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A ride booked with a rider's invite code was completed: the rider who invited gets their reward
/// (<see cref="Promotions.Referrals"/>), once per friend: a redelivery or the friend's next welcome ride adds nothing.
/// </summary>
public sealed class ReferralRewardHandler(PromotionDesk promotions, ILogger<ReferralRewardHandler> logger) : IMessageHandler<TripCompletedIntegrationEvent>
{
    public async Task HandleAsync(TripCompletedIntegrationEvent completed, MessageContext context, CancellationToken ct)
    {
        if (completed.PromotionCode is not { } code) return;
        if (await promotions.RewardReferrerAsync(code, completed.RiderId, ct))
        {
            logger.LogInformation("Trip {TripId} was a friend's first ride with invite {Code}: its inviter is rewarded", completed.TripId, code);
        }
    }
}
