namespace UberClone.Drivers.Domain;

public static class DriverStates
{
    public const string Offline = "offline";
    public const string Available = "available";
    public const string Offered = "offered";
    public const string OnTrip = "on_trip";
}
