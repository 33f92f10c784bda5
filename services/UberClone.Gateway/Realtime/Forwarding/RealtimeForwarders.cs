using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>
/// Live events pushed to the users they concern. Every gateway instance consumes every event (its own consumer
/// group) and delivers to the sockets it holds; users connected elsewhere are served by their own instance.
/// </summary>
public static class RealtimeTypes
{
    public const string Offer = "offer";
    public const string TripSearching = "trip.searching";
    public const string TripDriverAssigned = "trip.driver_assigned";
    public const string TripNoDriversFound = "trip.no_drivers_found";
    public const string DriverLocation = "driver.location";
    public const string PaymentSessionCreated = "payment.session_created";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
}

public sealed class TripRequestForwarder(ConnectionRegistry sockets) : IMessageHandler<DriverTripRequestCommand>
{
    public Task HandleAsync(DriverTripRequestCommand offer, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(offer.DriverId, RealtimeTypes.Offer, offer);
        return Task.CompletedTask;
    }
}

public sealed class TripCreatedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripCreatedIntegrationEvent>
{
    public Task HandleAsync(TripCreatedIntegrationEvent trip, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(trip.RiderId, RealtimeTypes.TripSearching, trip);
        return Task.CompletedTask;
    }
}

public sealed class DriverAssignedForwarder(ConnectionRegistry sockets) : IMessageHandler<TripDriverAssignedIntegrationEvent>
{
    public Task HandleAsync(TripDriverAssignedIntegrationEvent assigned, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(assigned.RiderId, RealtimeTypes.TripDriverAssigned, assigned);
        sockets.SendToUser(assigned.DriverId, RealtimeTypes.TripDriverAssigned, assigned);
        return Task.CompletedTask;
    }
}

public sealed class NoDriversFoundForwarder(ConnectionRegistry sockets) : IMessageHandler<TripNoDriversFoundIntegrationEvent>
{
    public Task HandleAsync(TripNoDriversFoundIntegrationEvent message, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(message.RiderId, RealtimeTypes.TripNoDriversFound, message);
        return Task.CompletedTask;
    }
}

public sealed class DriverLocationForwarder(ConnectionRegistry sockets) : IMessageHandler<DriverLocationUpdatedIntegrationEvent>
{
    public Task HandleAsync(DriverLocationUpdatedIntegrationEvent location, MessageContext context, CancellationToken ct)
    {
        if (location.RiderId is { } riderId) sockets.SendToUser(riderId, RealtimeTypes.DriverLocation, location);
        return Task.CompletedTask;
    }
}

public sealed class PaymentSessionCreatedForwarder(ConnectionRegistry sockets) : IMessageHandler<PaymentSessionCreatedIntegrationEvent>
{
    public Task HandleAsync(PaymentSessionCreatedIntegrationEvent session, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(session.RiderId, RealtimeTypes.PaymentSessionCreated, session);
        return Task.CompletedTask;
    }
}

public sealed class PaymentSucceededForwarder(ConnectionRegistry sockets) : IMessageHandler<PaymentSucceededIntegrationEvent>
{
    public Task HandleAsync(PaymentSucceededIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(payment.RiderId, RealtimeTypes.PaymentSucceeded, payment);
        return Task.CompletedTask;
    }
}

public sealed class PaymentFailedForwarder(ConnectionRegistry sockets) : IMessageHandler<PaymentFailedIntegrationEvent>
{
    public Task HandleAsync(PaymentFailedIntegrationEvent payment, MessageContext context, CancellationToken ct)
    {
        sockets.SendToUser(payment.RiderId, RealtimeTypes.PaymentFailed, payment);
        return Task.CompletedTask;
    }
}
