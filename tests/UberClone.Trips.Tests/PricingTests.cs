using UberClone.Contracts;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

public class PricingTests
{
    private static readonly PricingOptions Options = new();
    private static readonly Tariff Economy = Options.Tariffs["economy"];

    [Fact]
    public void Fare_is_booking_fee_plus_base_per_km_and_per_minute_from_metres_and_seconds()
    {
        // 10 km, 20 min: 250 + 120 × 10 + 25 × 20 = 1950, + booking fee 200.
        var fare = FareCalculator.Price(Economy, new RouteEstimate(DistanceMeters: 10_000, DurationSeconds: 1_200), surgeMultiplier: 1.0);
        Assert.Equal(2_150, fare);
    }

    [Fact]
    public void Short_trip_pays_the_minimum_fare_plus_booking_fee()
    {
        var fare = FareCalculator.Price(Economy, new RouteEstimate(500, 60), 1.0);
        Assert.Equal(Economy.MinimumMinor + Economy.BookingFeeMinor, fare);
    }

    [Fact]
    public void Surge_multiplies_the_metered_part_only()
    {
        var route = new RouteEstimate(10_000, 1_200);
        Assert.Equal(200 + 3_900, FareCalculator.Price(Economy, route, 2.0));
    }

    [Fact]
    public void Surge_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FareCalculator.Price(Economy, new RouteEstimate(1, 1), 0.5));

    [Fact]
    public void Route_estimate_applies_the_road_factor_to_the_great_circle()
    {
        // One degree of latitude ≈ 111.2 km.
        var estimate = RouteEstimator.Estimate(new GeoPoint(0, 10), new GeoPoint(1, 10), Options);
        Assert.InRange(estimate.DistanceMeters, 111_000 * 1.3, 111_400 * 1.3);
        Assert.Equal((int)Math.Round(estimate.DistanceMeters / Options.AverageSpeedMetersPerSecond), estimate.DurationSeconds, tolerance: 1);
    }

    [Fact]
    public void Longitude_and_latitude_are_not_swapped()
    {
        // At 60°N a degree of longitude is half a degree of latitude.
        var alongLatitude = Geo.DistanceMeters(new GeoPoint(60, 10), new GeoPoint(61, 10));
        var alongLongitude = Geo.DistanceMeters(new GeoPoint(60, 10), new GeoPoint(60, 11));
        Assert.InRange(alongLongitude / alongLatitude, 0.49, 0.51);
    }
}

public class FareBreakdownTests
{
    private static readonly Tariff Economy = new PricingOptions().Tariffs["economy"];

    [Fact]
    public void Breakdown_parts_add_up_to_the_price()
    {
        var route = new RouteEstimate(12_345, 1_234);
        var breakdown = FareCalculator.Breakdown(Economy, route, 1.7);
        Assert.Equal(FareCalculator.Price(Economy, route, 1.7), breakdown.TotalMinor);
        Assert.True(breakdown.SurgeMinor > 0);
        Assert.Equal(0, breakdown.MinimumFareAdjustmentMinor);
    }

    [Fact]
    public void Short_trip_shows_the_minimum_fare_adjustment()
    {
        var breakdown = FareCalculator.Breakdown(Economy, new RouteEstimate(500, 60), 1.0);
        Assert.Equal(Economy.MinimumMinor, breakdown.TotalMinor - breakdown.BookingFeeMinor);
        Assert.True(breakdown.MinimumFareAdjustmentMinor > 0);
    }
}
