namespace UberClone.Contracts.IntegrationEvents;

public sealed record TripCreatedIntegrationEvent(
    string TripId, string RiderId, string VehicleClass, GeoPoint Pickup, GeoPoint Dropoff,
    long FareMinor, string Currency, int DistanceMeters, int DurationSeconds, DateTimeOffset RequestedAt);

public sealed record TripDriverAssignedIntegrationEvent(
    string TripId, string RiderId, string DriverId, string VehicleClass, GeoPoint? DriverLocation, DateTimeOffset AssignedAt);

public sealed record TripNoDriversFoundIntegrationEvent(string TripId, string RiderId, DateTimeOffset At);
