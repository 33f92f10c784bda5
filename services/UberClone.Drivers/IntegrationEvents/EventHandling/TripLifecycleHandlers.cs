using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>The rider cancelled: stop the search, withdraw a pending offer, release a driver who already had the trip.</summary>
public sealed class TripCancelledIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripCancelledIntegrationEvent>
{
    public Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct) =>
        dispatcher.TripCancelledAsync(cancelled, ct);
}

/// <summary>The assigned driver gave the trip up: free them and search again without them.</summary>
public sealed class TripDriverCancelledIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripDriverCancelledIntegrationEvent>
{
    public Task HandleAsync(TripDriverCancelledIntegrationEvent gaveUp, MessageContext context, CancellationToken ct) =>
        dispatcher.DriverGaveUpAsync(gaveUp, ct);
}

/// <summary>The rider is on board: the rider's ETA switches to the drop-off.</summary>
public sealed class TripStartedIntegrationEventHandler(DriversApplication drivers) : IMessageHandler<TripStartedIntegrationEvent>
{
    public Task HandleAsync(TripStartedIntegrationEvent started, MessageContext context, CancellationToken ct) =>
        drivers.RideStartedAsync(started.DriverId, started.TripId, ct);
}

/// <summary>The driver reached a stop on the way: the rider's drop-off ETA goes through the stops after it.</summary>
public sealed class TripStopReachedIntegrationEventHandler(DriversApplication drivers) : IMessageHandler<TripStopReachedIntegrationEvent>
{
    public Task HandleAsync(TripStopReachedIntegrationEvent reached, MessageContext context, CancellationToken ct) =>
        drivers.StopReachedAsync(reached.DriverId, reached.TripId, reached.Index, ct);
}

/// <summary>The rider changed the drop-off: the rider's drop-off ETA goes to the new one.</summary>
public sealed class TripDestinationChangedIntegrationEventHandler(DriversApplication drivers) : IMessageHandler<TripDestinationChangedIntegrationEvent>
{
    public Task HandleAsync(TripDestinationChangedIntegrationEvent changed, MessageContext context, CancellationToken ct) =>
        drivers.TripDropoffChangedAsync(changed.DriverId, changed.TripId, changed.Dropoff, ct);
}

/// <summary>The rider moved the pickup while the driver was on the way (ADR 0046): the rider's pickup ETA goes there. No driver yet: nothing here.</summary>
public sealed class TripPickupMovedIntegrationEventHandler(DriversApplication drivers) : IMessageHandler<TripPickupMovedIntegrationEvent>
{
    public Task HandleAsync(TripPickupMovedIntegrationEvent moved, MessageContext context, CancellationToken ct) =>
        moved.DriverId is { } driverId ? drivers.TripPickupMovedAsync(driverId, moved.TripId, moved.Pickup, ct) : Task.CompletedTask;
}

/// <summary>The rider changed the ride's preferences (ADR 0049): the search's offers show them, one out now at once.</summary>
public sealed class TripPreferencesChangedIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripPreferencesChangedIntegrationEvent>
{
    public Task HandleAsync(TripPreferencesChangedIntegrationEvent changed, MessageContext context, CancellationToken ct) =>
        dispatcher.PreferencesChangedAsync(changed, ct);
}

/// <summary>The rider changed their note for the driver: the search's offers show it, one out now at once.</summary>
public sealed class TripPickupNoteChangedIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripPickupNoteChangedIntegrationEvent>
{
    public Task HandleAsync(TripPickupNoteChangedIntegrationEvent changed, MessageContext context, CancellationToken ct) =>
        dispatcher.PickupNoteChangedAsync(changed, ct);
}

/// <summary>The ride is over: the driver is available for the next one.</summary>
public sealed class TripCompletedIntegrationEventHandler(Dispatcher dispatcher) : IMessageHandler<TripCompletedIntegrationEvent>
{
    public Task HandleAsync(TripCompletedIntegrationEvent completed, MessageContext context, CancellationToken ct) =>
        dispatcher.TripCompletedAsync(completed, ct);
}
