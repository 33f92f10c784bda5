using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>What the drivers service knows of a driver that the listing of rides to reserve needs (ADR 0047).</summary>
public sealed record DriverLookup(GeoPoint? LastPosition, DriverSuitability Suits);

/// <summary>The drivers service, asked about one driver; null when it has no record of them or does not answer.</summary>
public interface IDriverLookup
{
    Task<DriverLookup?> FindAsync(string driverId, CancellationToken ct);
}
