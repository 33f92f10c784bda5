using System.Security.Cryptography;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Domain;

/// <summary>When a rider's rides need their PIN before the driver may start them (ADR 0044).</summary>
public enum PinMode
{
    /// <summary>No PIN: the driver starts the ride without one.</summary>
    Off,
    /// <summary>Every ride.</summary>
    Always,
    /// <summary>Rides picking up between 21:00 and 06:00 in the rider's time zone.</summary>
    AtNight,
}

/// <summary>
/// A rider's "Verify my rides with a PIN" (ADR 0044; id = rider id): a mode and the phone's IANA time zone, which places
/// the night window. Taken when a ride is booked; changing it later leaves rides already booked as they are.
/// A rider who never chose has <see cref="Default"/>: every ride has a PIN, as every ride had before the setting existed.
/// </summary>
public sealed record PinVerification(PinMode Mode, string TimeZone)
{
    public static readonly PinVerification Default = new(PinMode.Always, "");

    public static readonly TimeOnly NightStarts = new(21, 0);
    public static readonly TimeOnly NightEnds = new(6, 0);

    /// <summary>The mode's name on the wire.</summary>
    public static string Name(PinMode mode) => mode switch
    {
        PinMode.Off => "off",
        PinMode.AtNight => "night",
        _ => "always",
    };

    /// <summary>
    /// The setting as the rider sent it: <paramref name="mode"/> off, always or night; <paramref name="timeZone"/> an IANA
    /// id, required for night (which it places) and checked when given otherwise.
    /// </summary>
    public static PinVerification Parse(string? mode, string? timeZone)
    {
        var parsed = mode?.Trim().ToLowerInvariant() switch
        {
            "off" => PinMode.Off,
            "always" => PinMode.Always,
            "night" => PinMode.AtNight,
            _ => throw new PinVerificationInvalidException($"mode '{mode}' is not one of off, always, night."),
        };
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return parsed == PinMode.AtNight
                ? throw new PinVerificationInvalidException("timeZone is required for night (an IANA id, e.g. Europe/Rome).")
                : new PinVerification(parsed, "");
        }
        var zone = Occurrences.Zone(timeZone) ?? throw new PinVerificationInvalidException($"timeZone '{timeZone}' is not a time zone (an IANA id, e.g. Europe/Rome).");
        return new PinVerification(parsed, zone.Id);
    }

    /// <summary>Whether a ride picking up at <paramref name="pickupAt"/> needs a PIN: at night by the zone's clock that day, daylight saving included.</summary>
    public bool RequiresPinAt(DateTimeOffset pickupAt)
    {
        if (Mode != PinMode.AtNight) return Mode == PinMode.Always;
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(pickupAt, Occurrences.Zone(TimeZone) ?? TimeZoneInfo.Utc).DateTime);
        return local >= NightStarts || local < NightEnds;
    }

    /// <summary>A ride's PIN: 4 random digits from the cryptographic generator (never derived from ids), or none.</summary>
    public string PinFor(DateTimeOffset pickupAt) =>
        RequiresPinAt(pickupAt) ? RandomNumberGenerator.GetInt32(0, 10_000).ToString("D4") : "";
}

/// <summary>A PIN setting the rider sent that is not one (400 naming the field).</summary>
public sealed class PinVerificationInvalidException(string message) : Exception(message);

/// <summary>The driver started a ride that needs the rider's PIN without one (400 naming <c>pin</c>).</summary>
public sealed class PinMissingException(string message) : Exception(message);

/// <summary>
/// Too many wrong PINs on a ride (<see cref="Trip.WrongPinsBeforeLockout"/>): attempts are refused until
/// <paramref name="retryAfter"/> has passed (429 with Retry-After).
/// </summary>
public sealed class PinAttemptsExceededException(TimeSpan retryAfter)
    : Exception($"Too many wrong PINs; try again in {Math.Ceiling(retryAfter.TotalSeconds):F0} s, after asking the rider for the 4 digits shown in their app.")
{
    public const string Reason = "PIN_ATTEMPTS_EXCEEDED";

    public TimeSpan RetryAfter { get; } = retryAfter;
}
