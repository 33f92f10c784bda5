using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Applies what any drivers replica (this one included) announced about a driver to this replica's view, so
/// dispatch here sees drivers whose requests went to another replica. Run by every replica (instance handler).
/// </summary>
public sealed class DriverPresenceHandler(DriverRegistry registry) : IMessageHandler<Driver>
{
    public Task HandleAsync(Driver driver, MessageContext context, CancellationToken ct)
    {
        registry.Apply(driver);
        return Task.CompletedTask;
    }
}
