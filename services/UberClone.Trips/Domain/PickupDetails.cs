namespace UberClone.Trips.Domain;

/// <summary>
/// Someone else rides (ADR 0031): the rider booked for them, and the driver picks them up by <see cref="Name"/> (a first
/// name is enough) and may call <see cref="Phone"/> ("+" and digits) to find them.
/// </summary>
public sealed record TripPassenger(string Name, string? Phone = null)
{
    public const int MaxNameLength = 40;
    public const int MinPhoneDigits = 7;
    public const int MaxPhoneDigits = 15;

    /// <summary>The name as stored: trimmed, 1 to <see cref="MaxNameLength"/> characters, no control characters; null when it is none of that.</summary>
    public static string? CleanName(string? name) => MessageText.Clean(name, MaxNameLength) is { } cleaned && !cleaned.Contains('\n') ? cleaned : null;

    /// <summary>
    /// The phone as stored: "+" and <see cref="MinPhoneDigits"/> to <see cref="MaxPhoneDigits"/> digits, the spaces and
    /// dashes people type between groups dropped (E.164 without checking the country's numbering); null when it is not that.
    /// </summary>
    public static string? CleanPhone(string? phone)
    {
        var compact = string.Concat((phone ?? "").Where(c => c is not (' ' or '-')));
        var digits = compact.Length - 1;
        return compact.StartsWith('+') && digits is >= MinPhoneDigits and <= MaxPhoneDigits && compact.Skip(1).All(char.IsAsciiDigit) ? compact : null;
    }
}

/// <summary>The rider's note for the driver (ADR 0031): where exactly to stop, how to recognise whoever rides.</summary>
public static class PickupNote
{
    public const int MaxLength = 200;

    /// <summary>
    /// The note as stored: trimmed, null when there is none (empty or blank). False when it cannot be a note: longer than
    /// <see cref="MaxLength"/> or with control characters (a line break included: the driver's card shows one line).
    /// </summary>
    public static bool TryClean(string? text, out string? note)
    {
        note = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) return true;
        if (trimmed.Length > MaxLength || trimmed.Any(char.IsControl)) return false;
        note = trimmed;
        return true;
    }
}

/// <summary>
/// The note can no longer change: the driver is not on the way or waiting at the pickup (no driver yet, the ride started
/// or ended). A conflict with the trip as it is now (HTTP 409), not a bad request: the rider's screen was behind.
/// </summary>
public sealed class PickupNoteClosedException(string tripId, string status)
    : Exception($"Trip {tripId} is {status}; the note for the driver can change only until the pickup.");

/// <summary>
/// The pickup can no longer move (ADR 0046): no driver yet (the search offers this pickup), the driver is waiting there
/// already, or the ride started or ended. A conflict with the trip as it is now (HTTP 409), saying what to do instead.
/// </summary>
public sealed class PickupMoveClosedException(string tripId, string why) : Exception($"Trip {tripId} {why}");
