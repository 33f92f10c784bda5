using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Trips.Pricing;

using static UberClone.Trips.Tests.TestPricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Prices per city: a pickup inside an area is priced in its currency with its tariffs (the smaller area when two
/// overlap: an airport within its city), elsewhere with the default ones, or not at all when the platform runs only in its areas; areas that
/// cannot work are named at start.
/// </summary>
public sealed class PricingAreaTests
{
    private static readonly GeoPoint Yokohama = new(35.444, 139.638);
    private static readonly GeoPoint Berlin = new(52.52, 13.405);

    private static (string, string)[] Area(int index, string name, GeoPoint centre, double radiusKm, string currency, long baseMinor) =>
    [
        ($"Pricing:Areas:{index}:Name", name), ($"Pricing:Areas:{index}:Lat", centre.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"Pricing:Areas:{index}:Lng", centre.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture)), ($"Pricing:Areas:{index}:RadiusKm", radiusKm.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"Pricing:Areas:{index}:Currency", currency),
        ($"Pricing:Areas:{index}:Tariffs:economy:BaseMinor", baseMinor.ToString()), ($"Pricing:Areas:{index}:Tariffs:economy:PerKmMinor", "300"),
        ($"Pricing:Areas:{index}:Tariffs:economy:PerMinuteMinor", "50"), ($"Pricing:Areas:{index}:Tariffs:economy:MinimumMinor", "700"),
        ($"Pricing:Areas:{index}:Tariffs:economy:BookingFeeMinor", "100"), ($"Pricing:Areas:{index}:Tariffs:economy:WaitPerMinuteMinor", "60"),
    ];

    [Fact]
    public void The_emergency_number_is_the_areas_where_it_has_one_and_the_default_elsewhere_and_a_number_that_is_not_one_is_named()
    {
        var options = Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), ("Pricing:Areas:0:EmergencyNumber", "110"), .. Area(1, "yokohama", Yokohama, 20, "JPY", 450)]);
        Assert.Equal(("110", "112", "112"), (options.EmergencyNumberAt(Tokyo), options.EmergencyNumberAt(Berlin), options.EmergencyNumberAt(new GeoPoint(35.30, 139.50))));
        Assert.Equal("911", Bound(("Pricing:EmergencyNumber", "911")).EmergencyNumberAt(Berlin));
        Assert.Contains("Pricing:EmergencyNumber", Bound(("Pricing:EmergencyNumber", "call 112")).AreasProblem());
        Assert.Contains("'tokyo' EmergencyNumber", Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), ("Pricing:Areas:0:EmergencyNumber", "1")]).AreasProblem());
    }

    [Fact]
    public void A_pickup_in_an_area_is_priced_in_its_currency_with_its_tariffs_the_smaller_of_two_and_elsewhere_by_default()
    {
        var options = Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), .. Area(1, "yokohama", Yokohama, 20, "JPY", 450)]);

        var tokyo = options.At(Tokyo)!;
        Assert.Equal(("tokyo", "JPY"), (tokyo.Name, tokyo.Currency));
        Assert.Equal(new Tariff(500, 300, 50, 700, 100, 60), tokyo.Tariffs["economy"]);
        Assert.Single(tokyo.Tariffs); // only the classes the area prices
        Assert.Equal("yokohama", options.At(new GeoPoint(35.45, 139.64))!.Name); // inside both: the smaller
        // Nearer Tokyo's centre than Yokohama's, still inside both: the smaller area prices it all the same.
        var between = new GeoPoint(35.58, 139.72);
        Assert.True(Geo.DistanceMeters(between, Tokyo) < Geo.DistanceMeters(between, Yokohama));
        Assert.Equal("yokohama", options.At(between)!.Name);
        // Two areas as large: the nearer centre.
        Assert.Equal("tokyo-west", Bound([.. Area(0, "tokyo-east", new GeoPoint(35.681, 139.80), 20, "JPY", 500),
            .. Area(1, "tokyo-west", new GeoPoint(35.681, 139.70), 20, "JPY", 500)]).At(new GeoPoint(35.681, 139.74))!.Name);
        var berlin = options.At(Berlin)!;
        Assert.Equal((null, "USD"), (berlin.Name, berlin.Currency));
        Assert.Equal(4, berlin.Tariffs.Count);
        Assert.Null(options.AreasProblem());
    }

    [Fact]
    public void A_trip_booked_in_an_area_with_a_cancellation_fee_of_its_own_charges_that_fee_for_a_late_cancellation_and_a_no_show()
    {
        var options = Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), ("Pricing:Areas:0:CancellationFeeMinor", "300")]);
        Assert.Equal(300, options.At(Tokyo)!.CancellationFeeMinor);
        Assert.Null(options.At(Berlin)!.CancellationFeeMinor);
        var rules = new UberClone.Trips.Domain.TripRules(); // 500 by default, 2 minutes free
        var now = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        UberClone.Trips.Domain.Trip Assigned(long? fee)
        {
            var fare = new FareBreakdown(500, 900, 300, 0, 0, 100);
            var quote = new UberClone.Trips.Domain.Quote
            {
                Id = "q1", RiderId = "r1", Pickup = Tokyo, Dropoff = Yokohama, DistanceMeters = 3_000, DurationSeconds = 600, CreatedAt = now, ExpiresAt = now.AddMinutes(10),
                CancellationFeeMinor = fee, Options = [new UberClone.Trips.Domain.QuoteOption("economy", fare.TotalMinor, "JPY", 1.0, fare)],
            };
            return UberClone.Trips.Domain.Trip.Request("t1", "r1", quote, quote.Options[0], "4321", now).AssignDriver("d1", null, now);
        }

        var late = now.AddMinutes(3);
        Assert.Equal(300, Assigned(300).FeeForRiderCancellation(rules, late));
        Assert.Equal(300, Assigned(300).CancellationTermsFor(rules, now)!.FeeMinor);
        Assert.Equal(300, Assigned(300).CancelByRider("r1", "", rules, late).Cancellation!.FeeMinor);
        var noShow = Assigned(300).Arrive("d1", Tokyo, rules, now).ReportNoShow("d1", rules, now + rules.NoShowWait);
        Assert.Equal(300, noShow.Cancellation!.FeeMinor);
        Assert.Equal(500, Assigned(null).FeeForRiderCancellation(rules, late)); // elsewhere: the rules' fee
    }

    /// <summary>A corner of a boundary, as configuration gives it.</summary>
    private static (string, string)[] Corner(int area, int index, double lat, double lng) =>
    [
        ($"Pricing:Areas:{area}:Boundary:{index}:Lat", lat.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"Pricing:Areas:{area}:Boundary:{index}:Lng", lng.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    [Fact]
    public void An_area_with_a_boundary_prices_the_pickups_inside_its_limits_and_not_those_a_circle_would_have_taken()
    {
        // Haneda airport's own prices: an L-shaped boundary (a circle around it would take in the bay and the city).
        var options = Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500),
            .. Area(1, "haneda", new GeoPoint(0, 0), 1, "JPY", 1_200), .. Corner(1, 0, 35.560, 139.760), .. Corner(1, 1, 35.560, 139.800),
            .. Corner(1, 2, 35.540, 139.800), .. Corner(1, 3, 35.540, 139.780), .. Corner(1, 4, 35.520, 139.780), .. Corner(1, 5, 35.520, 139.760)]);

        Assert.Null(options.AreasProblem());
        Assert.Equal("haneda", options.At(new GeoPoint(35.550, 139.770))!.Name);   // inside the L
        Assert.Equal("haneda", options.At(new GeoPoint(35.530, 139.770))!.Name);   // its lower arm
        Assert.Equal("tokyo", options.At(new GeoPoint(35.530, 139.790))!.Name);    // the notch of the L: the city's prices
        Assert.Equal("tokyo", options.At(new GeoPoint(35.570, 139.770))!.Name);    // just north of it
        Assert.Equal(1_200, options.At(new GeoPoint(35.550, 139.770))!.Tariffs["economy"].BaseMinor);
        // The L is a 4.45 × 3.62 km box (0.04° each way) less its south-east quarter: 12.1 km².
        Assert.Equal(12.1, options.Areas[1].SquareKm, 0.1);
        // A 1 km circle around a gate (3.1 km², smaller than the L) prices the pickups inside it.
        var withCircle = Bound([.. Area(0, "haneda-circle", new GeoPoint(35.550, 139.770), 1, "JPY", 900),
            .. Area(1, "haneda", new GeoPoint(0, 0), 1, "JPY", 1_200), .. Corner(1, 0, 35.560, 139.760), .. Corner(1, 1, 35.560, 139.800),
            .. Corner(1, 2, 35.540, 139.800), .. Corner(1, 3, 35.540, 139.780), .. Corner(1, 4, 35.520, 139.780), .. Corner(1, 5, 35.520, 139.760)]);
        Assert.Equal("haneda-circle", withCircle.At(new GeoPoint(35.550, 139.770))!.Name);
        // Its centre is its corners' average (the circle's Lat/Lng, here 0,0, are not used).
        Assert.Equal(new GeoPoint(35.54, 139.78), new GeoPoint(Math.Round(options.Areas[1].Centre.Lat, 6), Math.Round(options.Areas[1].Centre.Lng, 6)));
    }

    [Theory]
    [InlineData(2, "at least 3 corners")]
    [InlineData(-1, "not a place")]
    [InlineData(-2, "antimeridian")]
    public void A_boundary_that_cannot_work_is_named(int corners, string says)
    {
        (string, string)[] boundary = corners switch
        {
            -1 => [.. Corner(0, 0, 35.5, 139.7), .. Corner(0, 1, 95, 139.8), .. Corner(0, 2, 35.6, 139.8)],
            -2 => [.. Corner(0, 0, -17.0, 179.5), .. Corner(0, 1, -17.0, -179.5), .. Corner(0, 2, -18.0, -179.5), .. Corner(0, 3, -18.0, 179.5)],
            _ => Enumerable.Range(0, corners).SelectMany(i => Corner(0, i, 35.5 + i * 0.01, 139.7)).ToArray(),
        };
        Assert.Contains(says, Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), .. boundary]).AreasProblem());
    }

    [Fact]
    public void Only_in_areas_leaves_pickups_elsewhere_unpriced()
    {
        var options = Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), ("Pricing:OnlyInAreas", "true")]);
        Assert.NotNull(options.At(Tokyo));
        Assert.Null(options.At(Berlin));
    }

    [Theory]
    [InlineData("Pricing:Areas:0:Name", "", "needs a Name")]
    [InlineData("Pricing:Areas:0:RadiusKm", "0", "positive RadiusKm, or a Boundary")]
    [InlineData("Pricing:Areas:0:Currency", "YEN!", "three-letter Currency")]
    [InlineData("Pricing:Areas:0:Tariffs:rickshaw:BaseMinor", "1", "known vehicle classes")]
    [InlineData("Pricing:Areas:0:CancellationFeeMinor", "-1", "negative CancellationFeeMinor")]
    public void Areas_that_cannot_work_are_named(string key, string value, string says)
    {
        var settings = Area(0, "tokyo", Tokyo, 40, "JPY", 500).Where(s => s.Item1 != key).Append((key, value)).ToArray();
        if (key.Contains("rickshaw")) settings = [.. settings, ("Pricing:Areas:0:Tariffs:rickshaw:PerKmMinor", "1"), ("Pricing:Areas:0:Tariffs:rickshaw:PerMinuteMinor", "1"),
            ("Pricing:Areas:0:Tariffs:rickshaw:MinimumMinor", "1"), ("Pricing:Areas:0:Tariffs:rickshaw:BookingFeeMinor", "1")];
        Assert.Contains(says, Bound(settings).AreasProblem());
        Assert.Contains("twice", Bound([.. Area(0, "tokyo", Tokyo, 40, "JPY", 500), .. Area(1, "tokyo", Yokohama, 20, "JPY", 450)]).AreasProblem());
        Assert.Contains("at least one", Bound(("Pricing:OnlyInAreas", "true")).AreasProblem());
    }
}
