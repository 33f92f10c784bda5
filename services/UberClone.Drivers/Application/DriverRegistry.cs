using System.Collections.Concurrent;
using UberClone.Drivers.Domain;
using UberClone.Drivers.Geo;

namespace UberClone.Drivers.Application;

/// <summary>
/// This instance's in-memory view of online drivers (last stored state + live position) used to pick
/// candidates fast. The store stays the authority: every reservation is re-checked there.
/// </summary>
public sealed class DriverRegistry
{
    private readonly ConcurrentDictionary<string, Driver> _drivers = new();

    public GeoIndex Positions { get; } = new();

    public Driver? Get(string driverId) => _drivers.GetValueOrDefault(driverId);

    public void Remember(Driver driver)
    {
        _drivers[driver.Id] = driver;
        if (driver.State == DriverStates.Offline)
        {
            Positions.Remove(driver.Id);
        }
        else if (driver.Location is { } location && driver.LocationAt is { } at && (Positions.Get(driver.Id) is not { } live || live.At < at))
        {
            Positions.Upsert(driver.Id, location.Lat, location.Lng, at);
        }
    }

    public int OnlineCount => Positions.Count;
}
