namespace UberClone.Trips.Domain;

/// <summary>Trip states as they appear in the API and events.</summary>
public static class TripStatus
{
    public const string Searching = "searching";
    public const string DriverAssigned = "driver_assigned";
    public const string NoDriversFound = "no_drivers_found";
}
