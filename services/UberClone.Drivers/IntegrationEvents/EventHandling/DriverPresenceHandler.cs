using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Applies what another drivers replica announced about a driver to this replica's view, so dispatch here sees
/// drivers whose requests went to another replica. Run by every replica (instance handler). This replica's own
/// announcements are skipped before they reach it (skipOwn): it kept them before announcing them. Those of its
/// previous run are not its own, and are replayed like anyone's.
/// </summary>
public sealed class DriverPresenceHandler(DriverRegistry registry) : IMessageHandler<Driver>
{
    public Task HandleAsync(Driver driver, MessageContext context, CancellationToken ct)
    {
        registry.Apply(driver);
        return Task.CompletedTask;
    }
}
