using UberClone.Contracts;

namespace UberClone.Drivers.Domain;

/// <summary>
/// A driver's last stored live position, kept apart from their record (collection <c>driver_positions</c>): storing
/// one rewrites this small document only, not the record with its state index, so a stored position costs a fraction of
/// a record's write (bench/README.md). The record keeps the position it went online with; the newer of the two is the
/// driver's stored position (<see cref="Driver.WithStoredPosition"/>).
/// </summary>
public sealed record StoredPosition(GeoPoint Location, DateTimeOffset At)
{
    /// <summary>This fix if it is newer than the stored one; the same instance otherwise (another replica stored a later one).</summary>
    public StoredPosition MoveTo(GeoPoint location, DateTimeOffset at) => at > At ? new StoredPosition(location, at) : this;
}
