using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Trips.Domain;

/// <summary>How the rider likes to talk on the ride (ADR 0049).</summary>
public enum Conversation
{
    NoPreference,
    /// <summary>"Quiet preferred".</summary>
    Quiet,
    /// <summary>"Happy to chat".</summary>
    Chat,
}

/// <summary>How the rider likes the car's temperature (ADR 0049).</summary>
public enum Temperature
{
    NoPreference,
    Cooler,
    Warmer,
}

/// <summary>
/// A rider's ride preferences (ADR 0049): wishes the driver is shown, never a requirement dispatch filters by. Kept per
/// rider (id = rider id) and copied onto each trip when it is booked; the trip's copy changes on the ride
/// (<see cref="Trip.ChangePreferences"/>). A rider who never chose has <see cref="None"/>.
/// </summary>
public sealed record RidePreferences(Conversation Conversation, bool HelpWithBags, Temperature Temperature)
{
    public static readonly RidePreferences None = new(Conversation.NoPreference, false, Temperature.NoPreference);

    public const string NoPreferenceName = "none";

    public static string Name(Conversation conversation) => conversation switch
    {
        Conversation.Quiet => "quiet",
        Conversation.Chat => "chat",
        _ => NoPreferenceName,
    };

    public static string Name(Temperature temperature) => temperature switch
    {
        Temperature.Cooler => "cooler",
        Temperature.Warmer => "warmer",
        _ => NoPreferenceName,
    };

    /// <summary>
    /// The preferences as the rider sent them: <paramref name="conversation"/> none, quiet or chat and
    /// <paramref name="temperature"/> none, cooler or warmer (any case; missing or blank: none). Anything else is refused
    /// naming the field.
    /// </summary>
    public static RidePreferences Parse(string? conversation, bool helpWithBags, string? temperature) => new(
        Clean(conversation) switch
        {
            "" or NoPreferenceName => Conversation.NoPreference,
            "quiet" => Conversation.Quiet,
            "chat" => Conversation.Chat,
            _ => throw new RidePreferencesInvalidException($"conversation '{conversation}' is not one of none, quiet, chat."),
        },
        helpWithBags,
        Clean(temperature) switch
        {
            "" or NoPreferenceName => Temperature.NoPreference,
            "cooler" => Temperature.Cooler,
            "warmer" => Temperature.Warmer,
            _ => throw new RidePreferencesInvalidException($"temperature '{temperature}' is not one of none, cooler, warmer."),
        });

    private static string Clean(string? value) => value?.Trim().ToLowerInvariant() ?? "";

    /// <summary>As events and the drivers service carry them: the wire names.</summary>
    public TripPreferences ToEvent() => new(Name(Conversation), HelpWithBags, Name(Temperature));
}

/// <summary>Ride preferences the rider sent that are not ones (400 naming the field).</summary>
public sealed class RidePreferencesInvalidException(string message) : Exception(message);

/// <summary>
/// The ride ended (completed, cancelled, no driver found): its preferences no longer change. A conflict with the trip
/// as it is now (HTTP 409): the rider's screen was behind.
/// </summary>
public sealed class RidePreferencesClosedException(string tripId, string status)
    : Exception($"Trip {tripId} is {status}; ride preferences change only until the ride ends.");
