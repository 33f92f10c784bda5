using System.Globalization;
using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>Prices bound from configuration as the service binds them (section "Pricing"), and a Tokyo area priced in yen.</summary>
internal static class TestPricing
{
    public static readonly GeoPoint Tokyo = new(35.681, 139.767);

    public static PricingOptions Bound(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()
            .GetSection("Pricing").Get<PricingOptions>() ?? new PricingOptions();

    /// <summary>Area 0: "tokyo", 40 km around <see cref="Tokyo"/>, JPY, economy only (500 base, 300 a km, 50 a minute, 700 minimum, 100 booking fee).</summary>
    public static (string, string)[] TokyoArea =>
    [
        ("Pricing:Areas:0:Name", "tokyo"), ("Pricing:Areas:0:Lat", Tokyo.Lat.ToString(CultureInfo.InvariantCulture)),
        ("Pricing:Areas:0:Lng", Tokyo.Lng.ToString(CultureInfo.InvariantCulture)), ("Pricing:Areas:0:RadiusKm", "40"), ("Pricing:Areas:0:Currency", "JPY"),
        ("Pricing:Areas:0:Tariffs:economy:BaseMinor", "500"), ("Pricing:Areas:0:Tariffs:economy:PerKmMinor", "300"),
        ("Pricing:Areas:0:Tariffs:economy:PerMinuteMinor", "50"), ("Pricing:Areas:0:Tariffs:economy:MinimumMinor", "700"),
        ("Pricing:Areas:0:Tariffs:economy:BookingFeeMinor", "100"),
    ];
}
