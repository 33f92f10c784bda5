using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;

namespace UberClone.Trips.IntegrationEvents.EventHandling;

/// <summary>
/// A rider deleted their account: the rides they booked for later are cancelled without a fee (and a trip booked on
/// another device while the account was being deleted, if it has not started). Their past trips stay, for receipts,
/// the driver's earnings and safety reports; they name the rider by id only, and the account behind it is gone.
/// </summary>
public sealed class AccountDeletedHandler(TripsApplication trips, ILogger<AccountDeletedHandler> logger) : IMessageHandler<AccountDeletedIntegrationEvent>
{
    public async Task HandleAsync(AccountDeletedIntegrationEvent deleted, MessageContext context, CancellationToken ct)
    {
        if (deleted.Role != Roles.Rider) return;
        var cancelled = await trips.CancelForDeletedAccountAsync(deleted.UserId, ct);
        if (cancelled > 0) logger.LogInformation("Rider {RiderId} deleted their account: {Count} trip(s) cancelled", deleted.UserId, cancelled);
    }
}
