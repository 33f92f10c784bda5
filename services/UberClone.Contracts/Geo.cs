namespace UberClone.Contracts;

/// <summary>Great-circle geometry in metres. Pure functions shared by pricing, dispatch and tracking.</summary>
public static class Geo
{
    public const double EarthRadiusMeters = 6_371_008.8;

    public static double DistanceMeters(GeoPoint a, GeoPoint b) => DistanceMeters(a.Lat, a.Lng, b.Lat, b.Lng);

    public static double DistanceMeters(double lat1, double lng1, double lat2, double lng2)
    {
        var dLat = ToRadians(lat2 - lat1);
        var dLng = ToRadians(lng2 - lng1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
              + Math.Cos(ToRadians(lat1)) * Math.Cos(ToRadians(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    public static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
