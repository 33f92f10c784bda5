namespace UberClone.Contracts;

public static class VehicleClasses
{
    public const string Economy = "economy";
    public const string Comfort = "comfort";
    public const string Xl = "xl";
    public const string Premium = "premium";

    public static readonly IReadOnlyList<string> All = [Economy, Comfort, Xl, Premium];

    public static bool IsKnown(string? value) => value is not null && All.Contains(value);
}
