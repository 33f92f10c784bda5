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

    /// <summary>Accepted live positions, for the per-driver rate limit.</summary>
    public DriverThrottle Pings { get; } = new();

    /// <summary>Positions of available drivers published as surge supply.</summary>
    public DriverThrottle SupplyReports { get; } = new();

    public void Remember(Driver driver)
    {
        _drivers[driver.Id] = driver;
        if (driver.State == DriverStates.Offline)
        {
            Positions.Remove(driver.Id);
            Pings.Forget(driver.Id);
            SupplyReports.Forget(driver.Id);
        }
        else if (driver.Location is { } location && driver.LocationAt is { } at && (Positions.Get(driver.Id) is not { } live || live.At < at))
        {
            Positions.Upsert(driver.Id, location.Lat, location.Lng, at);
        }
    }

    public int OnlineCount => Positions.Count;
}

/// <summary>Lets one thing per driver through at most once per interval (this instance's memory; forgotten when offline).</summary>
public sealed class DriverThrottle
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new();

    public bool TryPass(string driverId, DateTimeOffset now, TimeSpan interval)
    {
        if (_last.TryGetValue(driverId, out var previous) && now - previous < interval) return false;
        _last[driverId] = now;
        return true;
    }

    public void Forget(string driverId) => _last.TryRemove(driverId, out _);
}
