using Microsoft.Extensions.Options;
using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// A city or region with prices of its own (bound from <c>Pricing:Areas</c>): trips whose pickup is inside its
/// <see cref="Boundary"/> (a polygon: a city's limits, an airport), or without one within <see cref="RadiusKm"/> of its
/// centre, are priced in <see cref="Currency"/> with <see cref="Tariffs"/>.
/// </summary>
public sealed class PricingArea
{
    public string Name { get; set; } = "";
    public double Lat { get; set; }
    public double Lng { get; set; }
    public double RadiusKm { get; set; } = 30;
    /// <summary>
    /// The area's limits, corners in order (at least 3; the last joins the first). Set: it replaces the circle, and the
    /// centre (which of two areas of the same size is nearer a pickup both contain) is the corners' average.
    /// </summary>
    public List<AreaCorner> Boundary { get; set; } = [];
    public string Currency { get; set; } = "";
    public Dictionary<string, Tariff> Tariffs { get; set; } = new();
    /// <summary>A late cancellation's (and a no-show's) fee here, in <see cref="Currency"/>'s minor units; null: <c>Trips:CancellationFeeMinor</c>.</summary>
    public long? CancellationFeeMinor { get; set; }
    /// <summary>What a rider pays here when the driver returns an item they left in the car (ADR 0035), in <see cref="Currency"/>'s minor units; null: <c>Pricing:LostItemReturnFeeMinor</c>.</summary>
    public long? LostItemReturnFeeMinor { get; set; }
    /// <summary>The number the apps' emergency button calls here (e.g. 911, 110); null: <c>Pricing:EmergencyNumber</c>.</summary>
    public string? EmergencyNumber { get; set; }

    public bool HasBoundary => Boundary.Count > 0;

    public GeoPoint Centre => HasBoundary ? new GeoPoint(Boundary.Average(c => c.Lat), Boundary.Average(c => c.Lng)) : new GeoPoint(Lat, Lng);

    /// <summary>
    /// Its size in km² (a polygon's on a flat projection around its centre, as good as exact on a city's scale): of two
    /// areas that contain a pickup, the smaller is the more particular one — an airport within a city, a city within a
    /// region — and prices it.
    /// </summary>
    public double SquareKm => HasBoundary ? AreaCorner.SquareKm(Boundary) : Math.PI * RadiusKm * RadiusKm;

    public bool Contains(GeoPoint point) => HasBoundary
        ? AreaCorner.Encloses(Boundary, point)
        : Geo.DistanceMeters(point, new GeoPoint(Lat, Lng)) <= RadiusKm * 1000;
}

/// <summary>A corner of an area's boundary (bound from <c>Pricing:Areas:{i}:Boundary:{j}:{Lat, Lng}</c>).</summary>
public sealed class AreaCorner
{
    public double Lat { get; set; }
    public double Lng { get; set; }

    /// <summary>
    /// Whether <paramref name="point"/> is inside the polygon <paramref name="corners"/> (even-odd rule, a ray along the
    /// latitude): on a city's scale latitude and longitude are as good as flat coordinates. A boundary crossing the
    /// antimeridian is not supported (validation refuses a side longer than 180° of longitude).
    /// </summary>
    /// <summary>The polygon's area in km² (the shoelace formula on kilometres east and north of its first corner).</summary>
    public static double SquareKm(IReadOnlyList<AreaCorner> corners)
    {
        const double KmPerDegreeLat = 111.32;
        var kmPerDegreeLng = KmPerDegreeLat * Math.Cos(corners.Average(c => c.Lat) * Math.PI / 180);
        var twice = 0.0;
        for (int i = 0, j = corners.Count - 1; i < corners.Count; j = i++)
        {
            var (xi, yi) = ((corners[i].Lng - corners[0].Lng) * kmPerDegreeLng, (corners[i].Lat - corners[0].Lat) * KmPerDegreeLat);
            var (xj, yj) = ((corners[j].Lng - corners[0].Lng) * kmPerDegreeLng, (corners[j].Lat - corners[0].Lat) * KmPerDegreeLat);
            twice += xj * yi - xi * yj;
        }
        return Math.Abs(twice) / 2;
    }

    public static bool Encloses(IReadOnlyList<AreaCorner> corners, GeoPoint point)
    {
        var inside = false;
        for (int i = 0, j = corners.Count - 1; i < corners.Count; j = i++)
        {
            var (a, b) = (corners[i], corners[j]);
            if ((a.Lat > point.Lat) != (b.Lat > point.Lat) && point.Lng < (b.Lng - a.Lng) * (point.Lat - a.Lat) / (b.Lat - a.Lat) + a.Lng) inside = !inside;
        }
        return inside;
    }
}

/// <summary>The prices that apply at a pickup: an area's (<see cref="Name"/>), or the default ones (no name, and the rules' cancellation fee).</summary>
public sealed record PricesAt(string? Name, string Currency, IReadOnlyDictionary<string, Tariff> Tariffs, long? CancellationFeeMinor = null);

/// <summary>Stops the service at start when <c>Pricing:Areas</c> cannot work, naming the setting (<see cref="PricingOptions.AreasProblem"/>).</summary>
public sealed class PricingAreasValidation : IValidateOptions<PricingOptions>
{
    public ValidateOptionsResult Validate(string? name, PricingOptions options) =>
        options.AreasProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
