using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>
/// A driver reserved a ride booked for later (ADR 0047): they are offered it first when its search starts.
/// <see cref="ReleasedAt"/>: when it ended before that — by the driver, by support, or the rider moving the ride
/// (<see cref="ReleasedBy"/> one of <see cref="TripActors"/>, <see cref="ReleaseReason"/> why).
/// </summary>
public sealed record DriverReservation(string DriverId, DateTimeOffset ReservedAt, DateTimeOffset? ReleasedAt = null, string? ReleasedBy = null, string? ReleaseReason = null)
{
    public bool IsHeld => ReleasedAt is null;
}

/// <summary>Drivers' reservations of rides booked for later (ADR 0047), the <c>Reservations</c> configuration section.</summary>
public sealed class ReservationRules
{
    /// <summary>How far from the driver a ride's pickup may be to be listed to them.</summary>
    public double RadiusMeters { get; set; } = 15_000;

    /// <summary>How many upcoming reservations a driver may hold at once.</summary>
    public int MaxPerDriver { get; set; } = 3;

    /// <summary>Two reservations of one driver have pickups at least this far apart: time to do one and reach the other.</summary>
    public TimeSpan MinGap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A driver may release a reservation until this long before its pickup; after that support does it.</summary>
    public TimeSpan ReleaseUntil { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most rides one listing shows.</summary>
    public const int MaxListed = 50;
}

/// <summary>
/// What a driver's car and settings take (ADR 0047's listing), as dispatch decides it from the driver's record
/// (<c>Driver.Takes(RideNeeds)</c> in the drivers service; the same three rules, read from its <c>GetMe</c>): a ride the
/// driver would never be offered is not listed.
/// </summary>
public sealed record DriverSuitability(bool PetsWelcome, bool AcceptsCash, bool CashPaused, bool WheelchairAccessible)
{
    /// <summary>A driver the drivers service has no record of: the defaults of a new one (no pets, cash accepted, no wheelchair).</summary>
    public static readonly DriverSuitability Default = new(PetsWelcome: false, AcceptsCash: true, CashPaused: false, WheelchairAccessible: false);

    public bool Takes(Trip ride) =>
        (!ride.WithPet || PetsWelcome)
        && (!ride.PayInCash || (AcceptsCash && !CashPaused))
        && (!ride.WheelchairAccessible || WheelchairAccessible);
}

/// <summary>
/// The rides booked for later a driver may reserve (ADR 0047): waiting, nobody's, of a class they are approved for, picked
/// up near them, suiting their car; soonest pickup first or newest booked first.
/// </summary>
public static class ReservableRides
{
    public const string SoonestFirst = "pickup";
    public const string NewestFirst = "newest";

    public static IReadOnlyList<Trip> For(IEnumerable<Trip> open, string driverId, GeoPoint near, IReadOnlyCollection<string> classes, DriverSuitability suits,
        ReservationRules rules, string order, int limit, DateTimeOffset now)
    {
        var listed = open.Where(t => t.ReservableAtMs is not null && t.ScheduledFor > now && t.RiderId != driverId
                && classes.Contains(t.VehicleClass) && !t.DriversWhoCancelled.Contains(driverId) && suits.Takes(t)
                && Geo.DistanceMeters(near.Lat, near.Lng, t.Pickup.Lat, t.Pickup.Lng) <= rules.RadiusMeters);
        listed = order == NewestFirst ? listed.OrderByDescending(t => t.CreatedAt) : listed.OrderBy(t => t.ScheduledFor);
        return [.. listed.Take(limit)];
    }

    /// <summary>A point shown for a ride nobody reserved yet: about a kilometre (0.01°), the area, not the rider's door.</summary>
    public static GeoPoint Area(GeoPoint point) => new(Math.Round(point.Lat, 2), Math.Round(point.Lng, 2));
}

/// <summary>
/// The reservation cannot be made or released as asked (ADR 0047): another driver has it, the driver holds too many or
/// one too close in time, the pickup is too near to release it, or the ride no longer waits. A conflict (HTTP 409).
/// </summary>
public sealed class ReservationConflictException(string message) : Exception(message);
