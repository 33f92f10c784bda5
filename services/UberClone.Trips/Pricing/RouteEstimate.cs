using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

public sealed record RouteEstimate(int DistanceMeters, int DurationSeconds);

public static class RouteEstimator
{
    /// <summary>Great-circle distance × road factor at an average speed. Metres and seconds, never km or minutes.</summary>
    public static RouteEstimate Estimate(GeoPoint from, GeoPoint to, PricingOptions options)
    {
        var meters = Geo.DistanceMeters(from, to) * options.RoadFactor;
        var seconds = meters / options.AverageSpeedMetersPerSecond;
        return new RouteEstimate((int)Math.Round(meters), (int)Math.Round(seconds));
    }
}
