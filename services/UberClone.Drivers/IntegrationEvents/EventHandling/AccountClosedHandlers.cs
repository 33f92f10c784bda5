using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Support suspended a driver: they are offered nothing more (<see cref="OutOfService.TakeAsync"/>).
/// </summary>
public sealed class AccountSuspendedIntegrationEventHandler(DriversApplication drivers, ILogger<AccountSuspendedIntegrationEventHandler> logger)
    : IMessageHandler<AccountSuspendedIntegrationEvent>
{
    public const string SuspendedReason = "Your account was suspended.";

    public async Task HandleAsync(AccountSuspendedIntegrationEvent suspended, MessageContext context, CancellationToken ct)
    {
        if (suspended.Role != Roles.Driver) return;
        await OutOfService.TakeAsync(drivers, suspended.UserId, "the driver's account was suspended", SuspendedReason, logger, ct);
    }
}

/// <summary>
/// A driver asked to delete their account (erased after a grace period unless they sign in): they are offered nothing
/// more (<see cref="OutOfService.TakeAsync"/>); one who comes back goes online again themselves, as after a suspension.
/// </summary>
public sealed class AccountClosingIntegrationEventHandler(DriversApplication drivers, ILogger<AccountClosingIntegrationEventHandler> logger)
    : IMessageHandler<AccountClosingIntegrationEvent>
{
    public const string ClosingReason = "You asked to delete your account.";

    public async Task HandleAsync(AccountClosingIntegrationEvent closing, MessageContext context, CancellationToken ct)
    {
        if (closing.Role != Roles.Driver) return;
        await OutOfService.TakeAsync(drivers, closing.UserId, "the driver asked to delete their account", ClosingReason, logger, ct);
    }
}

/// <summary>
/// A driver's account was erased (they asked to delete it): they are offered nothing more (<see cref="OutOfService.TakeAsync"/>) and, once
/// offline, the last position stored of their phone is erased. (The gateway refused the deletion while they were on a
/// trip; one accepted in that very moment is theirs to finish, and they go offline when it ends.)
/// </summary>
public sealed class AccountDeletedIntegrationEventHandler(DriversApplication drivers, ILogger<AccountDeletedIntegrationEventHandler> logger)
    : IMessageHandler<AccountDeletedIntegrationEvent>
{
    public const string DeletedReason = "The driver deleted their account.";

    public async Task HandleAsync(AccountDeletedIntegrationEvent deleted, MessageContext context, CancellationToken ct)
    {
        if (deleted.Role != Roles.Driver) return;
        if (await OutOfService.TakeAsync(drivers, deleted.UserId, "the driver deleted their account", DeletedReason, logger, ct) is { State: DriverStates.Offline })
        {
            await drivers.ForgetPositionAsync(deleted.UserId, DeletedReason, ct);
        }
    }
}

internal static class OutOfService
{
    /// <summary>
    /// A pending offer is declined for the driver (dispatch offers the trip to the next driver at once) and an available
    /// driver goes offline. A driver on a trip keeps it (the ride under way is theirs, or support's, to end) and goes
    /// offline when it ends. Null for a driver who never went online.
    /// </summary>
    public static async Task<Driver?> TakeAsync(DriversApplication drivers, string driverId, string declineReason, string offlineReason, ILogger logger, CancellationToken ct)
    {
        Driver driver;
        try
        {
            driver = await drivers.GetAsync(driverId, ct);
        }
        catch (DriverNotFoundException)
        {
            return null; // never went online
        }
        if (driver is { State: DriverStates.Offered, Offer: { } offer })
        {
            try
            {
                await drivers.DeclineAsync(driver.Id, offer.TripId, declineReason, ct);
            }
            catch (OfferNotFoundException)
            {
                // The offer ended meanwhile (expired, withdrawn, or accepted).
            }
        }
        try
        {
            var now = await drivers.GoOfflineAsync(driver.Id, ct, offlineReason);
            logger.LogInformation("Driver {DriverId} is {State}: {Reason}", driver.Id, now.State, offlineReason);
            return now;
        }
        catch (DriverTransitionException)
        {
            var now = await drivers.TakeOfflineAfterTripAsync(driver.Id, offlineReason, ct);
            logger.LogInformation("Driver {DriverId} is {State} on trip {TripId}, offline when it ends: {Reason}", driver.Id, now.State, now.CurrentTripId, offlineReason);
            return now;
        }
    }
}

/// <summary>
/// What a driver may drive changed (ADR 0022: support approved other classes, or a document expired): a driver online in
/// a class it no longer covers is offered nothing more (<see cref="OutOfService.TakeAsync"/>; one on a trip finishes it),
/// and goes online again in a class it covers. Going online itself is checked by the gateway, which owns the approval.
/// Whether the vehicle is wheelchair accessible (ADR 0045) is kept on the driver's record from every decision and lapse.
/// </summary>
public sealed class DriverApprovalChangedIntegrationEventHandler(DriversApplication drivers, TimeProvider clock, ILogger<DriverApprovalChangedIntegrationEventHandler> logger)
    : IMessageHandler<DriverApprovalChangedIntegrationEvent>
{
    public async Task HandleAsync(DriverApprovalChangedIntegrationEvent changed, MessageContext context, CancellationToken ct)
    {
        if (changed.Status == "pending") return; // documents sent: nothing changes until support decides
        await drivers.ApproveWheelchairAccessibleAsync(changed.UserId, changed.WheelchairAccessible && changed.ValidUntil > clock.GetUtcNow(),
            changed.Classes.FirstOrDefault() ?? VehicleClasses.Economy, ct);
        Driver driver;
        try
        {
            driver = await drivers.GetAsync(changed.UserId, ct);
        }
        catch (DriverNotFoundException)
        {
            return; // never went online
        }
        if (driver.State == DriverStates.Offline || Covers(changed, driver.VehicleClass)) return;
        await OutOfService.TakeAsync(drivers, driver.Id, "the driver's approval no longer covers this class", Reason(changed), logger, ct);
    }

    private bool Covers(DriverApprovalChangedIntegrationEvent changed, string vehicleClass) =>
        changed.Classes.Contains(vehicleClass) && changed.ValidUntil > clock.GetUtcNow();

    internal static string Reason(DriverApprovalChangedIntegrationEvent changed) =>
        changed.Classes.Count == 0 || changed.ValidUntil is null
            ? $"Your approval to drive ended{(changed.Reason is { } why ? $" ({why.TrimEnd('.')})" : "")}: send new documents in the app."
            : $"You are approved for {string.Join(", ", changed.Classes)} now: go online in one of those.";
}
