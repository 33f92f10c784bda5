using UberClone.Drivers.Geo;

namespace UberClone.Drivers.Application;

/// <summary>
/// Live positions, one geo index per vehicle class: a search for a class reads only that class's drivers, so its cost
/// depends on how many drivers of the class are near, not on the other classes around them (in one index shared by all
/// classes, a search for a rare or absent class examined every driver within its radius: milliseconds at a million).
/// An index is made the first time its class is seen; the classes are few, so finding one is a short scan.
/// </summary>
public sealed class PositionsByClass
{
    private (string VehicleClass, GeoIndex Index)[] _indexes = [];
    private readonly object _adding = new();

    /// <summary>The class's index (empty until a driver of the class is indexed).</summary>
    public GeoIndex For(string vehicleClass)
    {
        foreach (var (known, index) in Volatile.Read(ref _indexes))
        {
            if (ReferenceEquals(known, vehicleClass) || known == vehicleClass) return index;
        }
        lock (_adding)
        {
            foreach (var (known, index) in _indexes)
            {
                if (known == vehicleClass) return index;
            }
            var added = new GeoIndex();
            Volatile.Write(ref _indexes, [.. _indexes, (vehicleClass, added)]);
            return added;
        }
    }

    /// <summary>Drivers indexed, all classes.</summary>
    public int Count => Volatile.Read(ref _indexes).Sum(i => i.Index.Count);

    /// <summary>Takes a driver out of every class's index (going offline: wherever a race may have left them).</summary>
    public void RemoveEverywhere(string driverId)
    {
        foreach (var (_, index) in Volatile.Read(ref _indexes)) index.Remove(driverId);
    }

    /// <summary>
    /// Moves a driver's position to <paramref name="vehicleClass"/>'s index from any other class's index (their class
    /// changed while online), keeping the newest fix found.
    /// </summary>
    public void MoveTo(string driverId, string vehicleClass)
    {
        var target = For(vehicleClass);
        foreach (var (_, index) in Volatile.Read(ref _indexes))
        {
            if (ReferenceEquals(index, target) || index.Get(driverId) is not { } fix) continue;
            index.Remove(driverId);
            target.UpsertNewer(new GeoFix(driverId, fix.Lat, fix.Lng, fix.At));
        }
    }
}
