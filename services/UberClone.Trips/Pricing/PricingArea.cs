using Microsoft.Extensions.Options;

namespace UberClone.Trips.Pricing;

/// <summary>
/// A city or region with prices of its own (bound from <c>Pricing:Areas</c>): trips whose pickup is inside it (its
/// <see cref="MapPlace.Boundary"/>, or without one within <see cref="MapPlace.RadiusKm"/> of its centre) are priced in
/// <see cref="Currency"/> with <see cref="Tariffs"/>.
/// </summary>
public sealed class PricingArea : MapPlace
{
    public PricingArea() => RadiusKm = 30;

    public string Name { get; set; } = "";
    public string Currency { get; set; } = "";
    public Dictionary<string, Tariff> Tariffs { get; set; } = new();
    /// <summary>A late cancellation's (and a no-show's) fee here, in <see cref="Currency"/>'s minor units; null: <c>Trips:CancellationFeeMinor</c>.</summary>
    public long? CancellationFeeMinor { get; set; }
    /// <summary>What a rider pays here when the driver returns an item they left in the car (ADR 0035), in <see cref="Currency"/>'s minor units; null: <c>Pricing:LostItemReturnFeeMinor</c>.</summary>
    public long? LostItemReturnFeeMinor { get; set; }
    /// <summary>The number the apps' emergency button calls here (e.g. 911, 110); null: <c>Pricing:EmergencyNumber</c>.</summary>
    public string? EmergencyNumber { get; set; }
    /// <summary>The fees places charge on rides priced here (ADR 0037), in <see cref="Currency"/>.</summary>
    public List<PlaceFee> PlaceFees { get; set; } = [];
    /// <summary>What a ride with a pet costs more here (ADR 0041), in <see cref="Currency"/>'s minor units; 0: pets are not taken here.</summary>
    public long PetFeeMinor { get; set; }
    /// <summary>Riders may pay the driver in cash on rides priced here (ADR 0042); false or absent: they may not.</summary>
    public bool CashAccepted { get; set; }
    /// <summary>Wheelchair-accessible vehicles are offered on rides priced here (ADR 0045); false or absent: they are not.</summary>
    public bool WheelchairAccessible { get; set; }
}

/// <summary>The prices that apply at a pickup: an area's (<see cref="Name"/>), or the default ones (no name, and the rules' cancellation fee).</summary>
public sealed record PricesAt(string? Name, string Currency, IReadOnlyDictionary<string, Tariff> Tariffs, long? CancellationFeeMinor = null)
{
    /// <summary>The fees places charge on rides priced with these prices (ADR 0037), in <see cref="Currency"/>.</summary>
    public IReadOnlyList<PlaceFee> PlaceFees { get; init; } = [];

    /// <summary>What a ride with a pet costs more with these prices (ADR 0041), in <see cref="Currency"/>; 0: pets are not taken.</summary>
    public long PetFeeMinor { get; init; }

    /// <summary>Riders may pay the driver in cash on rides priced with these prices (ADR 0042).</summary>
    public bool CashAccepted { get; init; }

    /// <summary>Wheelchair-accessible vehicles are offered with these prices (ADR 0045), at no surcharge.</summary>
    public bool WheelchairAccessible { get; init; }
}

/// <summary>Stops the service at start when <c>Pricing:Areas</c> cannot work, naming the setting (<see cref="PricingOptions.AreasProblem"/>).</summary>
public sealed class PricingAreasValidation : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options) =>
        options.AreasProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
