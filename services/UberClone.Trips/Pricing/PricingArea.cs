using Microsoft.Extensions.Options;
using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// A city or region with prices of its own (bound from <c>Pricing:Areas</c>): trips whose pickup is within
/// <see cref="RadiusKm"/> of its centre are priced in <see cref="Currency"/> with <see cref="Tariffs"/>.
/// </summary>
public sealed class PricingArea
{
    public string Name { get; set; } = "";
    public double Lat { get; set; }
    public double Lng { get; set; }
    public double RadiusKm { get; set; } = 30;
    public string Currency { get; set; } = "";
    public Dictionary<string, Tariff> Tariffs { get; set; } = new();
    /// <summary>A late cancellation's (and a no-show's) fee here, in <see cref="Currency"/>'s minor units; null: <c>Trips:CancellationFeeMinor</c>.</summary>
    public long? CancellationFeeMinor { get; set; }
    /// <summary>The number the apps' emergency button calls here (e.g. 911, 110); null: <c>Pricing:EmergencyNumber</c>.</summary>
    public string? EmergencyNumber { get; set; }

    public bool Contains(GeoPoint point) => Geo.DistanceMeters(point, new GeoPoint(Lat, Lng)) <= RadiusKm * 1000;
}

/// <summary>The prices that apply at a pickup: an area's (<see cref="Name"/>), or the default ones (no name, and the rules' cancellation fee).</summary>
public sealed record PricesAt(string? Name, string Currency, IReadOnlyDictionary<string, Tariff> Tariffs, long? CancellationFeeMinor = null);

/// <summary>Stops the service at start when <c>Pricing:Areas</c> cannot work, naming the setting (<see cref="PricingOptions.AreasProblem"/>).</summary>
public sealed class PricingAreasValidation : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options) =>
        options.AreasProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
