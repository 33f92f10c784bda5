using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>The socket message types users receive (besides "snapshot", "ack", "error", "pong").</summary>
public static class RealtimeTypes
{
    public const string Offer = "offer";
    public const string OfferWithdrawn = "offer.withdrawn";
    public const string TripSearching = "trip.searching";
    public const string TripDriverAssigned = "trip.driver_assigned";
    public const string TripNoDriversFound = "trip.no_drivers_found";
    public const string TripDriverArrived = "trip.driver_arrived";
    public const string TripStarted = "trip.started";
    public const string TripCompleted = "trip.completed";
    public const string TripCancelled = "trip.cancelled";
    public const string TripDriverCancelled = "trip.driver_cancelled";
    public const string TripRated = "trip.rated";
    public const string DriverLocation = "driver.location";
    public const string PaymentSessionCreated = "payment.session_created";
    public const string PaymentSucceeded = "payment.succeeded";
    public const string PaymentFailed = "payment.failed";
    public const string PaymentRefunded = "payment.refunded";
}

/// <summary>The realtime routing table: topic → socket message type → recipients.</summary>
public static class RealtimeRoutes
{
    public static IHostApplicationBuilder AddRealtimeRoutes(this IHostApplicationBuilder builder) => builder
        .Forward<DriverTripRequestCommand>(Topics.DriverTripRequest, RealtimeTypes.Offer, m => [m.DriverId])
        .Forward<DriverOfferWithdrawnIntegrationEvent>(Topics.DriverOfferWithdrawn, RealtimeTypes.OfferWithdrawn, m => [m.DriverId])
        .Forward<TripCreatedIntegrationEvent>(Topics.TripCreated, RealtimeTypes.TripSearching, m => [m.RiderId])
        .Forward<TripDriverAssignedIntegrationEvent>(Topics.TripDriverAssigned, RealtimeTypes.TripDriverAssigned, m => [m.RiderId, m.DriverId])
        .Forward<TripNoDriversFoundIntegrationEvent>(Topics.TripNoDriversFound, RealtimeTypes.TripNoDriversFound, m => [m.RiderId])
        .Forward<TripDriverArrivedIntegrationEvent>(Topics.TripDriverArrived, RealtimeTypes.TripDriverArrived, m => [m.RiderId, m.DriverId])
        .Forward<TripStartedIntegrationEvent>(Topics.TripStarted, RealtimeTypes.TripStarted, m => [m.RiderId, m.DriverId])
        .Forward<TripCompletedIntegrationEvent>(Topics.TripCompleted, RealtimeTypes.TripCompleted, m => [m.RiderId, m.DriverId])
        .Forward<TripCancelledIntegrationEvent>(Topics.TripCancelled, RealtimeTypes.TripCancelled, m => [m.RiderId, m.DriverId])
        .Forward<TripDriverCancelledIntegrationEvent>(Topics.TripDriverCancelled, RealtimeTypes.TripDriverCancelled, m => [m.RiderId, m.DriverId])
        .Forward<TripRatedIntegrationEvent>(Topics.TripRated, RealtimeTypes.TripRated, m => [m.RiderId, m.DriverId])
        .Forward<DriverLocationUpdatedIntegrationEvent>(Topics.DriverLocationUpdated, RealtimeTypes.DriverLocation, m => [m.RiderId])
        .Forward<PaymentSessionCreatedIntegrationEvent>(Topics.PaymentSessionCreated, RealtimeTypes.PaymentSessionCreated, m => [m.RiderId])
        .Forward<PaymentSucceededIntegrationEvent>(Topics.PaymentSucceeded, RealtimeTypes.PaymentSucceeded, m => [m.RiderId])
        .Forward<PaymentFailedIntegrationEvent>(Topics.PaymentFailed, RealtimeTypes.PaymentFailed, m => [m.RiderId])
        .Forward<PaymentRefundedIntegrationEvent>(Topics.PaymentRefunded, RealtimeTypes.PaymentRefunded, m => [m.RiderId]);

    private static IHostApplicationBuilder Forward<T>(this IHostApplicationBuilder builder, string topic, string type, Func<T, IEnumerable<string?>> recipients)
        where T : notnull
    {
        builder.Services.AddSingleton(new RealtimeRoute<T>(type, recipients));
        // Realtime delivery is best effort per socket and repeated deliveries are harmless: no processed-id bookkeeping.
        return builder.AddMessageHandler<T, RealtimeForwarder<T>>(topic, idempotent: false);
    }
}
