using UberClone.Contracts;

namespace UberClone.Trips.Domain;

public sealed record AssignedDriver(string DriverId, GeoPoint? Location, DateTimeOffset AssignedAt);

/// <summary>
/// The trip aggregate. Immutable: each transition returns the next state, or the same instance when the
/// transition already happened (redelivered messages are harmless), or throws when it is not allowed.
/// </summary>
public sealed record Trip
{
    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required string Status { get; init; }
    public required string VehicleClass { get; init; }
    public required GeoPoint Pickup { get; init; }
    public required GeoPoint Dropoff { get; init; }
    public required long FareMinor { get; init; }
    public required string Currency { get; init; }
    public required int DistanceMeters { get; init; }
    public required int DurationSeconds { get; init; }
    public required string QuoteId { get; init; }
    public AssignedDriver? Driver { get; init; }
    /// <summary>Top-level copy of Driver.DriverId so trips can be queried by driver.</summary>
    public string? DriverId => Driver?.DriverId;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public static Trip Request(string id, string riderId, Quote quote, QuoteOption option, DateTimeOffset now) => new()
    {
        Id = id,
        RiderId = riderId,
        Status = TripStatus.Searching,
        VehicleClass = option.VehicleClass,
        Pickup = quote.Pickup,
        Dropoff = quote.Dropoff,
        FareMinor = option.PriceMinor,
        Currency = option.Currency,
        DistanceMeters = quote.DistanceMeters,
        DurationSeconds = quote.DurationSeconds,
        QuoteId = quote.Id,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public Trip AssignDriver(string driverId, GeoPoint? location, DateTimeOffset now)
    {
        if (Status == TripStatus.DriverAssigned && Driver?.DriverId == driverId) return this;
        if (Status != TripStatus.Searching)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; a driver can only be assigned while searching.");
        }
        return this with { Status = TripStatus.DriverAssigned, Driver = new AssignedDriver(driverId, location, now), UpdatedAt = now };
    }

    public Trip MarkNoDriversFound(DateTimeOffset now)
    {
        if (Status == TripStatus.NoDriversFound) return this;
        if (Status != TripStatus.Searching)
        {
            throw new TripTransitionException($"Trip {Id} is {Status}; only a searching trip can run out of drivers.");
        }
        return this with { Status = TripStatus.NoDriversFound, UpdatedAt = now };
    }

    public bool BelongsTo(string riderId) => RiderId == riderId;

    /// <summary>Not finished: the rider or driver is still waiting, riding or driving for it.</summary>
    public bool IsActive => Status is TripStatus.Searching or TripStatus.DriverAssigned;
}

public sealed class TripTransitionException(string message) : Exception(message);
