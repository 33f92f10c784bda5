namespace UberClone.Contracts;

/// <summary>The gateway's batches of drivers' pings (<c>DriverService.UpdateLocations</c>).</summary>
public static class LocationBatches
{
    /// <summary>The most pings one call carries; the drivers service refuses a bigger batch with INVALID_ARGUMENT.</summary>
    public const int MaxItems = 1_000;
}
