using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>The ride after assignment, pushed to both its rider and its driver.</summary>
public static class LifecycleRealtimeTypes
{
    public const string DriverArrived = "trip.driver_arrived";
    public const string Started = "trip.started";
    public const string Completed = "trip.completed";
    public const string Cancelled = "trip.cancelled";
    public const string DriverCancelled = "trip.driver_cancelled";
    public const string Rated = "trip.rated";
    public const string OfferWithdrawn = "offer.withdrawn";
}

public sealed class DriverArrivedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripDriverArrivedIntegrationEvent>
{
    public Task HandleAsync(TripDriverArrivedIntegrationEvent arrived, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(arrived.RiderId, LifecycleRealtimeTypes.DriverArrived, arrived);
        sockets.SendToUser(arrived.DriverId, LifecycleRealtimeTypes.DriverArrived, arrived);
        return Task.CompletedTask;
    }
}

public sealed class TripStartedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripStartedIntegrationEvent>
{
    public Task HandleAsync(TripStartedIntegrationEvent started, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(started.RiderId, LifecycleRealtimeTypes.Started, started);
        sockets.SendToUser(started.DriverId, LifecycleRealtimeTypes.Started, started);
        return Task.CompletedTask;
    }
}

public sealed class TripCompletedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripCompletedIntegrationEvent>
{
    public Task HandleAsync(TripCompletedIntegrationEvent completed, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(completed.RiderId, LifecycleRealtimeTypes.Completed, completed);
        sockets.SendToUser(completed.DriverId, LifecycleRealtimeTypes.Completed, completed);
        return Task.CompletedTask;
    }
}

public sealed class TripCancelledForwarder(ConnectionRegistry sockets) : IMessageHandler<TripCancelledIntegrationEvent>
{
    public Task HandleAsync(TripCancelledIntegrationEvent cancelled, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(cancelled.RiderId, LifecycleRealtimeTypes.Cancelled, cancelled);
        if (cancelled.DriverId is { } driverId) sockets.SendToUser(driverId, LifecycleRealtimeTypes.Cancelled, cancelled);
        return Task.CompletedTask;
    }
}

public sealed class TripDriverCancelledForwarder(ConnectionRegistry sockets) : IMessageHandler<TripDriverCancelledIntegrationEvent>
{
    public Task HandleAsync(TripDriverCancelledIntegrationEvent gaveUp, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(gaveUp.RiderId, LifecycleRealtimeTypes.DriverCancelled, gaveUp);
        sockets.SendToUser(gaveUp.DriverId, LifecycleRealtimeTypes.DriverCancelled, gaveUp);
        return Task.CompletedTask;
    }
}

public sealed class TripRatedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripRatedIntegrationEvent>
{
    public Task HandleAsync(TripRatedIntegrationEvent rated, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(rated.RiderId, LifecycleRealtimeTypes.Rated, rated);
        sockets.SendToUser(rated.DriverId, LifecycleRealtimeTypes.Rated, rated);
        return Task.CompletedTask;
    }
}

public sealed class OfferWithdrawnForwarder(ConnectionRegistry sockets) : IMessageHandler<DriverOfferWithdrawnIntegrationEvent>
{
    public Task HandleAsync(DriverOfferWithdrawnIntegrationEvent withdrawn, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(withdrawn.DriverId, LifecycleRealtimeTypes.OfferWithdrawn, withdrawn);
        return Task.CompletedTask;
    }
}
