namespace UberClone.Contracts;

/// <summary>A WGS84 position in events. Named fields, so latitude and longitude cannot be swapped by index.</summary>
public sealed record GeoPoint(double Lat, double Lng)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsValid => Lat is >= -90 and <= 90 && Lng is >= -180 and <= 180 && !double.IsNaN(Lat) && !double.IsNaN(Lng);
}
