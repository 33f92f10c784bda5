using System.Globalization;
using Grpc.Core;
using UberClone.Contracts;
using UberClone.Contracts.Common;
using UberClone.Contracts.Trips;
using UberClone.Trips.Domain;

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

    /// <summary>One of payments' card ids ("card_…": letters, digits and underscores).</summary>
    public static string CardId(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? value
            : throw Invalid("cardId is not a valid card id (GET /api/payments/cards lists yours).");

    public static string Id(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Invalid($"{field} is required.");
        if (value.Length > MaxIdLength || !value.All(char.IsAsciiLetterOrDigit))
        {
            throw Invalid($"{field} is not a valid id.");
        }
        return value;
    }

    /// <summary>A period [from, to) of two ISO 8601 instants with an offset, from before to, at most <paramref name="longest"/> long.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period(string? from, string? to, TimeSpan longest)
    {
        var start = Instant(from, "from");
        var end = Instant(to, "to");
        if (end <= start) throw Invalid("to must be after from.");
        if (end - start > longest) throw Invalid($"from and to may be at most {longest.TotalDays:0} days apart.");
        return (start, end);
    }

    /// <summary>An ISO 8601 instant with an offset (or Z); anything else is INVALID_ARGUMENT naming the field.</summary>
    public static DateTimeOffset Instant(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Invalid($"{field} is required (an ISO 8601 instant, e.g. 2026-12-01T00:00:00+01:00).");
        // A '+' left unencoded in a query string arrives as a space.
        value = value.Trim().Replace(' ', '+');
        // An offset (or Z) is required: a bare local time means a different instant on every server.
        if (!DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            || !(value.EndsWith('Z') || value.EndsWith("z") || value.Length > 6 && value[^6] is '+' or '-'))
        {
            throw Invalid($"{field} must be an ISO 8601 instant with an offset, e.g. 2026-12-01T00:00:00+01:00.");
        }
        return instant;
    }

    /// <summary>A note for the driver as stored (null: none), or INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static string? PickupNote(string text, string field) => Domain.PickupNote.TryClean(text, out var note)
        ? note
        : throw Invalid($"{field} must be at most {Domain.PickupNote.MaxLength} characters, without control characters.");

    /// <summary>Who rides instead of the rider, or INVALID_ARGUMENT naming the field that cannot be.</summary>
    public static TripPassenger Passenger(Passenger passenger)
    {
        var name = TripPassenger.CleanName(passenger.Name)
            ?? throw Invalid($"passenger.name is required: 1 to {TripPassenger.MaxNameLength} characters, without control characters.");
        var phone = string.IsNullOrWhiteSpace(passenger.Phone) ? null
            : TripPassenger.CleanPhone(passenger.Phone)
                ?? throw Invalid($"passenger.phone must be + and {TripPassenger.MinPhoneDigits} to {TripPassenger.MaxPhoneDigits} digits (spaces and dashes are fine), e.g. +39 06 1234 5678.");
        return new TripPassenger(name, phone);
    }

    /// <summary>Personal or business and the memo (ADR 0034), or INVALID_ARGUMENT naming the field that cannot be.</summary>
    public static RideProfile RideProfile(string profile, string memo)
    {
        try
        {
            return Domain.RideProfile.Of(profile, memo);
        }
        catch (RideProfileInvalidException ex)
        {
            throw Invalid(ex.Message);
        }
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
