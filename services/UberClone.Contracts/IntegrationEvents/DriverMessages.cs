namespace UberClone.Contracts.IntegrationEvents;

/// <summary>An offer of a trip to one driver, with a deadline. Pushed to that driver's sockets by the gateway.</summary>
public sealed record DriverTripRequestCommand(
    string OfferId, string TripId, string DriverId, string RiderId, string VehicleClass,
    GeoPoint Pickup, GeoPoint Dropoff, long FareMinor, string Currency, int PickupDistanceMeters, DateTimeOffset ExpiresAt);

/// <summary>The driver accepted the offer (validated by drivers); trips assigns the driver.</summary>
public sealed record DriverTripAcceptCommand(
    string OfferId, string TripId, string DriverId, string RiderId, GeoPoint? DriverLocation, DateTimeOffset AcceptedAt);

public sealed record DriverTripDeclineCommand(string OfferId, string TripId, string DriverId, string Reason, DateTimeOffset At);

/// <summary>
/// A live position of a driver. On a trip it is for its rider, with the ETA to the pickup (before the ride starts)
/// and to the drop-off, in seconds. An available driver's position is sent now and then (<paramref name="Available"/>)
/// as the supply side of surge pricing.
/// </summary>
public sealed record DriverLocationUpdatedIntegrationEvent(
    string DriverId, GeoPoint Location, double? Heading, DateTimeOffset RecordedAt, string? TripId, string? RiderId,
    int? PickupEtaSeconds = null, int? DropoffEtaSeconds = null, bool Available = false);

/// <summary>A pending offer was taken back (the trip was cancelled): the driver's screen drops it.</summary>
public sealed record DriverOfferWithdrawnIntegrationEvent(string OfferId, string TripId, string DriverId, string RiderId, string Reason, DateTimeOffset At);
