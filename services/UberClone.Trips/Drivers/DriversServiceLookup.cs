using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Drivers;

/// <summary>
/// <see cref="IDriverLookup"/> over the drivers service's <c>GetMe</c>, called as the driver (ADR 0047): their last known
/// position and the settings dispatch checks. A driver who never went online has no record there (NOT_FOUND): null.
/// </summary>
public sealed class DriversServiceLookup(DriverService.DriverServiceClient drivers, ILogger<DriversServiceLookup> logger) : IDriverLookup
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<DriverLookup?> FindAsync(string driverId, CancellationToken ct)
    {
        DriverState state;
        try
        {
            state = await drivers.GetMeAsync(new GetMeRequest(), new Caller(driverId, Roles.Driver).ToMetadata(), DateTime.UtcNow + Deadline, ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("The drivers service did not say where driver {DriverId} is: {Status} ({Detail}).", driverId, ex.StatusCode, ex.Status.Detail);
            return null;
        }
        var position = state.Location is { } at && (at.Lat != 0 || at.Lng != 0) ? new GeoPoint(at.Lat, at.Lng) : null;
        return new DriverLookup(position, new DriverSuitability(state.PetsWelcome, state.AcceptsCash, state.CashPaused, state.WheelchairAccessible));
    }
}
