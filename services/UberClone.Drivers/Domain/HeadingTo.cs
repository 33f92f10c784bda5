using UberClone.Contracts;

namespace UberClone.Drivers.Domain;

/// <summary>
/// A driver heading somewhere (home, at the end of a shift): they are offered only trips that take them towards it.
/// A trip does when it ends within <see cref="ArrivedMeters"/> of the destination, or leaves them at least
/// <see cref="MinProgress"/> of the way nearer to it than they are now.
/// </summary>
public sealed record HeadingTo(GeoPoint Destination, DateTimeOffset Since)
{
    public const double ArrivedMeters = 1_000;
    public const double MinProgress = 1.0 / 3;

    public bool IsTowards(GeoPoint driverAt, GeoPoint dropoff)
    {
        var after = Contracts.Geo.DistanceMeters(dropoff, Destination);
        return after <= ArrivedMeters || after <= Contracts.Geo.DistanceMeters(driverAt, Destination) * (1 - MinProgress);
    }

    /// <summary>A trip that ended here got the driver there: they take any trip again.</summary>
    public bool IsReachedAt(GeoPoint dropoff) => Contracts.Geo.DistanceMeters(dropoff, Destination) <= ArrivedMeters;
}
