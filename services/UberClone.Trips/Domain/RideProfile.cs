namespace UberClone.Trips.Domain;

/// <summary>
/// Whose expense a ride is (ADR 0034): <see cref="Personal"/> (the default) or <see cref="Business"/>, and for a
/// business ride an optional memo for the expense report ("Client visit ACME"). Trips keeps the choice; whether the
/// rider has a confirmed work email to copy receipts to is the gateway's to know.
/// </summary>
public sealed record RideProfile(string Profile, string? ExpenseMemo)
{
    public const string Personal = "personal";
    public const string Business = "business";
    public const int MaxMemoLength = 100;

    /// <summary>How long after the ride its rider may still switch it between personal and business.</summary>
    public static readonly TimeSpan SwitchWindow = TimeSpan.FromDays(30);

    public static RideProfile PersonalRide { get; } = new(Personal, null);

    public bool IsBusiness => Profile == Business;

    /// <summary>
    /// The choice as stored: <paramref name="profile"/> empty means personal; the memo trimmed (empty: none), at most
    /// <see cref="MaxMemoLength"/> characters without control characters, and only on a business ride. Anything else
    /// throws <see cref="RideProfileInvalidException"/> naming the field (<paramref name="memoField"/> for the memo).
    /// </summary>
    public static RideProfile Of(string? profile, string? memo, string profileField = "profile", string memoField = "expenseMemo")
    {
        var kind = string.IsNullOrWhiteSpace(profile) ? Personal : profile.Trim().ToLowerInvariant();
        if (kind is not (Personal or Business)) throw new RideProfileInvalidException(profileField, $"{profileField} must be \"{Personal}\" or \"{Business}\".");
        var trimmed = memo?.Trim() ?? "";
        if (trimmed.Length == 0) return kind == Personal ? PersonalRide : new RideProfile(Business, null);
        if (kind == Personal) throw new RideProfileInvalidException(memoField, $"{memoField} goes only with a business ride (profile \"{Business}\").");
        if (trimmed.Length > MaxMemoLength || trimmed.Any(char.IsControl))
        {
            throw new RideProfileInvalidException(memoField, $"{memoField} must be at most {MaxMemoLength} characters, without control characters.");
        }
        return new RideProfile(Business, trimmed);
    }
}

/// <summary>A profile or expense memo that cannot be: a bad request naming <see cref="Field"/>.</summary>
public sealed class RideProfileInvalidException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The ride can no longer (or not yet) switch between personal and business: it is not a completed ride, or it ended
/// more than <see cref="RideProfile.SwitchWindow"/> ago. A conflict with the trip as it is (HTTP 409).
/// </summary>
public sealed class RideProfileClosedException(string tripId, string why)
    : Exception($"Trip {tripId} {why}; a ride switches between personal and business only once completed, for {RideProfile.SwitchWindow.TotalDays:0} days.");
