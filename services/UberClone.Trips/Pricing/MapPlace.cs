using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// A place on the map that pricing asks "is this point in it?": a <see cref="Boundary"/> polygon (a city's limits, an
/// airport's grounds) or, without one, the circle of <see cref="RadiusKm"/> around <see cref="Lat"/>/<see cref="Lng"/>.
/// Bound from configuration: an area's limits (<see cref="PricingArea"/>) and the place a fee is charged for
/// (<see cref="PlaceFee"/>) are the same geometry.
/// </summary>
public abstract class MapPlace
{
    public double Lat { get; set; }
    public double Lng { get; set; }
    public double RadiusKm { get; set; }
    /// <summary>
    /// The place's limits, corners in order (at least 3; the last joins the first). Set: it replaces the circle, and the
    /// centre (which of two areas of the same size is nearer a pickup both contain) is the corners' average.
    /// </summary>
    public List<AreaCorner> Boundary { get; set; } = [];

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

    /// <summary>
    /// What is wrong with the place (null: nothing), each message starting with <paramref name="setting"/> (how the
    /// configuration names it, e.g. "Pricing:Areas 'tokyo'"): a boundary of at least 3 corners that are places and
    /// do not cross the antimeridian, or a centre and a positive radius.
    /// </summary>
    public string? ShapeProblem(string setting)
    {
        if (HasBoundary)
        {
            if (Boundary.Count < 3) return $"{setting} Boundary needs at least 3 corners.";
            if (Boundary.Any(c => c.Lat is < -90 or > 90 || c.Lng is < -180 or > 180)) return $"{setting} Boundary has a corner that is not a place (Lat -90..90, Lng -180..180).";
            if (Boundary.Zip(Boundary.Skip(1).Append(Boundary[0])).Any(s => Math.Abs(s.First.Lng - s.Second.Lng) > 180))
            {
                return $"{setting} Boundary crosses the antimeridian (180° of longitude), which is not supported: split the area in two.";
            }
            return null;
        }
        return RadiusKm <= 0 || Lat is < -90 or > 90 || Lng is < -180 or > 180
            ? $"{setting} needs a centre (Lat, Lng) and a positive RadiusKm, or a Boundary."
            : null;
    }
}

/// <summary>A corner of a place's boundary (bound from e.g. <c>Pricing:Areas:{i}:Boundary:{j}:{Lat, Lng}</c>).</summary>
public sealed class AreaCorner
{
    public double Lat { get; set; }
    public double Lng { get; set; }

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

    /// <summary>
    /// Whether <paramref name="point"/> is inside the polygon <paramref name="corners"/> (even-odd rule, a ray along the
    /// latitude): on a city's scale latitude and longitude are as good as flat coordinates. A boundary crossing the
    /// antimeridian is not supported (validation refuses a side longer than 180° of longitude).
    /// </summary>
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
