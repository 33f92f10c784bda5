using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;

namespace UberClone.Trips.Grpc;

/// <summary>Request validation: every failure is an InvalidArgument naming the field (400 through the gateway).</summary>
internal static class Validate
{
    private const int MaxIdLength = 64;

    public static GeoPoint Point(LatLng? value, string field)
    {
        if (value is null) throw Invalid($"{field} is required.");
        var point = new GeoPoint(value.Lat, value.Lng);
        if (!point.IsValid) throw Invalid($"{field} must have lat in [-90, 90] and lng in [-180, 180].");
        if (point.Lat == 0 && point.Lng == 0) throw Invalid($"{field} is (0, 0): a missing coordinate, not a place.");
        return point;
    }

    public static string Id(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Invalid($"{field} is required.");
        if (value.Length > MaxIdLength || !value.All(char.IsAsciiLetterOrDigit))
        {
            throw Invalid($"{field} is not a valid id.");
        }
        return value;
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
