using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Support suspended a driver: they are offered nothing more. A pending offer is declined for them (dispatch offers the
/// trip to the next driver at once) and an available driver goes offline. A driver on a trip keeps it (the ride under
/// way is theirs, or support's, to end) and goes offline when it ends.
/// </summary>
public sealed class AccountSuspendedIntegrationEventHandler(DriversApplication drivers, ILogger<AccountSuspendedIntegrationEventHandler> logger)
    : IMessageHandler<AccountSuspendedIntegrationEvent>
{
    public const string SuspendedReason = "Your account was suspended.";

    public async Task HandleAsync(AccountSuspendedIntegrationEvent suspended, MessageContext context, CancellationToken ct)
    {
        if (suspended.Role != Roles.Driver) return;
        Driver driver;
        try
        {
            driver = await drivers.GetAsync(suspended.UserId, ct);
        }
        catch (DriverNotFoundException)
        {
            return; // never went online
        }
        if (driver is { State: DriverStates.Offered, Offer: { } offer })
        {
            try
            {
                await drivers.DeclineAsync(driver.Id, offer.TripId, "the driver's account was suspended", ct);
            }
            catch (OfferNotFoundException)
            {
                // The offer ended meanwhile (expired, withdrawn, or accepted).
            }
        }
        try
        {
            var now = await drivers.GoOfflineAsync(driver.Id, ct);
            logger.LogInformation("Suspended driver {DriverId} is {State}", driver.Id, now.State);
        }
        catch (DriverTransitionException)
        {
            var now = await drivers.TakeOfflineAfterTripAsync(driver.Id, SuspendedReason, ct);
            logger.LogInformation("Suspended driver {DriverId} is {State} on trip {TripId}; offline when it ends", driver.Id, now.State, now.CurrentTripId);
        }
    }
}
