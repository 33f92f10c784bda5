using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// Tariff per vehicle class, in integer minor units of <see cref="PricingOptions.Currency"/>. <see cref="WaitPerMinuteMinor"/>:
/// what a minute of the driver's wait at the pickup costs once the free minutes (<c>Trips:FreeWait</c>) are over.
/// </summary>
public sealed record Tariff(long BaseMinor, long PerKmMinor, long PerMinuteMinor, long MinimumMinor, long BookingFeeMinor, long WaitPerMinuteMinor = 0);

/// <summary>Bound from configuration section "Pricing"; defaults are a plausible city tariff.</summary>
public sealed class PricingOptions
{
    public string Currency { get; set; } = "USD";

    /// <summary>Roads are longer than the great circle; typical urban detour factor.</summary>
    public double RoadFactor { get; set; } = 1.3;

    /// <summary>Average urban driving speed used when no routing service is configured.</summary>
    public double AverageSpeedMetersPerSecond { get; set; } = 8.33;

    public TimeSpan QuoteValidity { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an expired quote is kept (a booking copies what it needs into the trip), then deleted.</summary>
    public TimeSpan QuoteRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Base URL of an OSRM-compatible routing service; unset = great circle × road factor.</summary>
    public string? RoutingUrl { get; set; }

    public TimeSpan RoutingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public SurgeOptions Surge { get; set; } = new();

    public Dictionary<string, Tariff> Tariffs { get; set; } = new()
    {
        ["economy"] = new(BaseMinor: 250, PerKmMinor: 120, PerMinuteMinor: 25, MinimumMinor: 700, BookingFeeMinor: 200, WaitPerMinuteMinor: 30),
        ["comfort"] = new(350, 160, 35, 1000, 200, 40),
        ["xl"] = new(450, 210, 45, 1300, 250, 50),
        ["premium"] = new(700, 300, 60, 2000, 300, 70),
    };

    /// <summary>Cities or regions with their own currency and tariffs; a pickup in none of them gets <see cref="Currency"/> and <see cref="Tariffs"/>.</summary>
    public List<PricingArea> Areas { get; set; } = [];

    /// <summary>The fees places charge on rides priced with <see cref="Tariffs"/> (ADR 0037), in <see cref="Currency"/>; an area's are its own (<see cref="PricingArea.PlaceFees"/>).</summary>
    public List<PlaceFee> PlaceFees { get; set; } = [];

    /// <summary>
    /// What a ride with a pet priced with <see cref="Tariffs"/> costs more (ADR 0041), in <see cref="Currency"/>'s minor
    /// units; an area's is its own (<see cref="PricingArea.PetFeeMinor"/>). 0: pets are not taken.
    /// </summary>
    public long PetFeeMinor { get; set; }

    /// <summary>
    /// Riders may pay the driver in cash on rides priced with <see cref="Tariffs"/> (ADR 0042); an area's is its own
    /// (<see cref="PricingArea.CashAccepted"/>), never this one.
    /// </summary>
    public bool CashAccepted { get; set; }

    /// <summary>
    /// Riders may ask for a wheelchair-accessible vehicle on rides priced with <see cref="Tariffs"/> (ADR 0045; no
    /// surcharge); an area's is its own (<see cref="PricingArea.WheelchairAccessible"/>), never this one.
    /// </summary>
    public bool WheelchairAccessible { get; set; }

    /// <summary>The number the apps' emergency button calls outside every area with one of its own (112: Europe and most mobile networks).</summary>
    public string EmergencyNumber { get; set; } = "112";

    /// <summary>The emergency number at a point: that of the smallest area containing it that has one (<see cref="Innermost"/>), else <see cref="EmergencyNumber"/>.</summary>
    public string EmergencyNumberAt(GeoPoint point) => Innermost(Areas.Where(a => a.EmergencyNumber is not null), point)?.EmergencyNumber ?? EmergencyNumber;

    /// <summary>
    /// What a rider pays when the driver returns an item they left in the car (ADR 0035), outside every area with a fee of
    /// its own, in the minor units of the currency of wherever the ride was (Uber's US fee: $15). 0: no fee.
    /// </summary>
    public long LostItemReturnFeeMinor { get; set; } = 1500;

    /// <summary>The return fee of a ride picked up at <paramref name="pickup"/>: that of the smallest area containing it that has one, else <see cref="LostItemReturnFeeMinor"/>.</summary>
    public long LostItemReturnFeeAt(GeoPoint pickup) =>
        Innermost(Areas.Where(a => a.LostItemReturnFeeMinor is not null), pickup)?.LostItemReturnFeeMinor ?? LostItemReturnFeeMinor;

    /// <summary>
    /// Of <paramref name="areas"/>, the one that prices <paramref name="point"/>: the smallest containing it (an airport
    /// within its city, a city within its region), the one with the nearer centre when two are as large.
    /// </summary>
    private static PricingArea? Innermost(IEnumerable<PricingArea> areas, GeoPoint point) =>
        areas.Where(a => a.Contains(point)).OrderBy(a => a.SquareKm).ThenBy(a => Geo.DistanceMeters(point, a.Centre)).FirstOrDefault();

    /// <summary>Quote only pickups inside an area (a platform that runs in some cities); otherwise the default prices apply elsewhere.</summary>
    public bool OnlyInAreas { get; set; }

    /// <summary>The prices at <paramref name="pickup"/>: the smallest area that contains it (<see cref="Innermost"/>), else the default ones; null outside every area when <see cref="OnlyInAreas"/>.</summary>
    public PricesAt? At(GeoPoint pickup)
    {
        var area = Innermost(Areas, pickup);
        return area is not null ? new PricesAt(area.Name, area.Currency, area.Tariffs, area.CancellationFeeMinor) {
                PlaceFees = area.PlaceFees, PetFeeMinor = area.PetFeeMinor, CashAccepted = area.CashAccepted, WheelchairAccessible = area.WheelchairAccessible,
            }
            : OnlyInAreas ? null
            : new PricesAt(null, Currency, Tariffs) { PlaceFees = PlaceFees, PetFeeMinor = PetFeeMinor, CashAccepted = CashAccepted, WheelchairAccessible = WheelchairAccessible };
    }

    /// <summary>
    /// What is wrong with the areas and place fees (null: nothing): each area named once, a positive radius, a
    /// three-letter currency, tariffs of known classes; each place fee valid (<see cref="PlaceFee.Problem"/>).
    /// </summary>
    public string? AreasProblem()
    {
        if (OnlyInAreas && Areas.Count == 0) return "Pricing:OnlyInAreas needs at least one of Pricing:Areas.";
        if (!IsPhoneNumber(EmergencyNumber)) return "Pricing:EmergencyNumber must be 2-6 digits (e.g. 112, 911).";
        if (LostItemReturnFeeMinor < 0) return "Pricing:LostItemReturnFeeMinor must not be negative (0: no fee).";
        if (PetFeeMinor < 0) return "Pricing:PetFeeMinor must not be negative (0: pets are not taken).";
        foreach (var area in Areas)
        {
            if (area.Name.Length == 0) return "Each of Pricing:Areas needs a Name.";
            if (Areas.Count(a => a.Name == area.Name) > 1) return $"Pricing:Areas names '{area.Name}' twice.";
            if (area.ShapeProblem($"Pricing:Areas '{area.Name}'") is { } shape) return shape;
            if (area.Currency.Length != 3 || !area.Currency.All(char.IsAsciiLetter)) return $"Pricing:Areas '{area.Name}' needs a three-letter Currency.";
            if (area.CancellationFeeMinor < 0) return $"Pricing:Areas '{area.Name}' has a negative CancellationFeeMinor.";
            if (area.LostItemReturnFeeMinor < 0) return $"Pricing:Areas '{area.Name}' has a negative LostItemReturnFeeMinor.";
            if (area.PetFeeMinor < 0) return $"Pricing:Areas '{area.Name}' has a negative PetFeeMinor (0: pets are not taken there).";
            if (area.EmergencyNumber is { } number && !IsPhoneNumber(number)) return $"Pricing:Areas '{area.Name}' EmergencyNumber must be 2-6 digits (e.g. 911).";
            if (area.Tariffs.Count == 0 || area.Tariffs.Keys.Any(k => !VehicleClasses.IsKnown(k))) return $"Pricing:Areas '{area.Name}' needs Tariffs for known vehicle classes ({string.Join(", ", VehicleClasses.All)}).";
            if (PlaceFeesProblem(area.PlaceFees, $"Pricing:Areas '{area.Name}' PlaceFees") is { } fee) return fee;
        }
        return PlaceFeesProblem(PlaceFees, "Pricing:PlaceFees");
    }

    /// <summary>What is wrong with one set of prices' place fees (null: nothing): each valid (<see cref="PlaceFee.Problem"/>) and named once, so a receipt's lines say which is which.</summary>
    private static string? PlaceFeesProblem(List<PlaceFee> fees, string setting)
    {
        for (var i = 0; i < fees.Count; i++)
        {
            if (fees[i].Problem($"{setting}:{i}") is { } problem) return problem;
            if (fees.Count(f => f.Name == fees[i].Name) > 1) return $"{setting} names '{fees[i].Name}' twice.";
        }
        return null;
    }

    private static bool IsPhoneNumber(string? number) => number is { Length: >= 2 and <= 6 } && number.All(char.IsAsciiDigit);
}
