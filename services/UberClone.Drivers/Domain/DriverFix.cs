namespace UberClone.Drivers.Domain;

/// <summary>
/// A live position a replica accepted from a driver, as the other replicas receive it. <see cref="Revision"/> is the
/// revision of the driver's record in the sending replica's view: a receiver holding an older record (or none) knows
/// its view of that driver missed a state change.
/// </summary>
public sealed record DriverFix(string DriverId, double Lat, double Lng, DateTimeOffset At, long Revision)
{
    public bool IsValid => !string.IsNullOrEmpty(DriverId) && Lat is >= -90 and <= 90 && Lng is >= -180 and <= 180;
}

/// <summary>What one message of <c>driver.event.positions</c> carries: the fixes a replica accepted since its last one.</summary>
public sealed record DriverFixBatch(IReadOnlyList<DriverFix> Fixes);
