using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A rider deleted their account: the rides they booked for later are cancelled without a fee (and a trip booked on
/// another device while the account was being deleted, if it has not started). Their past trips stay, for receipts,
/// the driver's earnings and safety reports; they name the rider by id only, and the account behind it is gone. The
/// promotions they added are forgotten, and so are the phones of the guests they booked rides for (ADR 0031). Of a split
/// fare (ADR 0040): an invitation of theirs still standing on a ride under way is declined, their pointers to the rides
/// they were asked to split go, and a split of theirs keeps their first name only (what the invitees were shown). Their
/// repeating rides (ADR 0043) go first, so none books another. Their PIN setting (ADR 0044) and ride preferences (ADR 0049) go.
/// </summary>
public sealed class AccountDeletedHandler(TripsApplication trips, PromotionDesk promotions, SplitFares splits, RideSchedules schedules, ILogger<AccountDeletedHandler> logger)
    : IMessageHandler<AccountDeletedIntegrationEvent>
{
    public async Task HandleAsync(AccountDeletedIntegrationEvent deleted, MessageContext context, CancellationToken ct)
    {
        if (deleted.Role != Roles.Rider) return;
        await schedules.DeleteAllAsync(deleted.UserId, ct);
        var cancelled = await trips.CancelForDeletedAccountAsync(deleted.UserId, ct);
        await promotions.EraseAsync(deleted.UserId, ct);
        await trips.ForgetGuestPhonesAsync(deleted.UserId, ct);
        await splits.ForgetRiderAsync(deleted.UserId, ct);
        await trips.ForgetPinVerificationAsync(deleted.UserId, ct);
        await trips.ForgetRidePreferencesAsync(deleted.UserId, ct);
        if (cancelled > 0) logger.LogInformation("Rider {RiderId} deleted their account: {Count} trip(s) cancelled", deleted.UserId, cancelled);
    }
}

/// <summary>
/// A rider asked to delete their account (it is erased after a grace period unless they sign in): the rides they booked
/// for later are cancelled at once, without a fee, as for an erased account; nobody should be sent to pick them up. Their
/// repeating rides (ADR 0043) are deleted first, so none books another.
/// </summary>
public sealed class AccountClosingHandler(TripsApplication trips, RideSchedules schedules, ILogger<AccountClosingHandler> logger) : IMessageHandler<AccountClosingIntegrationEvent>
{
    public async Task HandleAsync(AccountClosingIntegrationEvent closing, MessageContext context, CancellationToken ct)
    {
        if (closing.Role != Roles.Rider) return;
        await schedules.DeleteAllAsync(closing.UserId, ct);
        var cancelled = await trips.CancelForDeletedAccountAsync(closing.UserId, ct);
        if (cancelled > 0) logger.LogInformation("Rider {RiderId} asked to delete their account: {Count} trip(s) cancelled", closing.UserId, cancelled);
    }
}
