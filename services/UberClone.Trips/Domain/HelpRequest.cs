using System.Text.Json.Serialization;
using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>What a help request is about.</summary>
public static class HelpTopics
{
    public const string LostItem = "lost_item";
    public const string Fare = "fare";
    public const string Conduct = "conduct";
    public const string Safety = "safety";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [LostItem, Fare, Conduct, Safety, Other];

    public static bool IsKnown(string? topic) => topic is not null && All.Contains(topic);
}

/// <summary>open: waiting for support; answered: support wrote last, waiting for the user; closed.</summary>
public static class HelpStatus
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Closed = "closed";
}

/// <summary>
/// One message of a help request. <paramref name="From"/>: rider | driver | support; <paramref name="AuthorId"/>: the
/// user, or the support colleague who answered. <paramref name="Id"/> is the author's client id, so a resent message is
/// stored once.
/// </summary>
public sealed record HelpMessage(string Id, string From, string AuthorId, string Text, DateTimeOffset At);

/// <summary>
/// A rider or a trip's driver asks support about a trip (a lost item, a charge, conduct, safety): a conversation with
/// the support desk until either side closes it. One request per user and trip is not closed at a time: asking again
/// adds to it. Immutable: each change returns the next state, or the same instance when it already happened.
/// </summary>
public sealed record HelpRequest
{
    public const int MaxTextLength = 2_000;

    /// <summary>A conversation this long takes no more messages (a runaway client cannot fill the store).</summary>
    public const int MaxMessages = 100;

    /// <summary>A trip can be asked about for this long after it was booked.</summary>
    public static readonly TimeSpan AskWithin = TimeSpan.FromDays(30);

    public const string WaitingSinceField = "waitingSinceMs";

    /// <summary>A closed request is kept this long after closing (questions about it come back), then deleted (retention).</summary>
    public static readonly TimeSpan KeptAfterClosing = TimeSpan.FromDays(365);

    public const string ClosedAtField = "closedAtMs";

    public required string Id { get; init; }
    public required string TripId { get; init; }
    /// <summary>The rider or driver who asked.</summary>
    public required string OpenedBy { get; init; }
    /// <summary>rider | driver: what they were on the trip.</summary>
    public required string OpenedByRole { get; init; }
    public required string Topic { get; init; }
    public required string Status { get; init; }
    public IReadOnlyList<HelpMessage> Messages { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Since when the user has been waiting for support (their first message since support last wrote); null unless open.</summary>
    public DateTimeOffset? WaitingSince { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    /// <summary>Who closed it: the user, or the support colleague.</summary>
    public string? ClosedBy { get; init; }

    /// <summary>An emergency alert (the trip's emergency button): first in support's queue until it is closed.</summary>
    public bool Urgent { get; init; }

    /// <summary>How far ahead of every other request an urgent one is kept in the queue's order.</summary>
    public static readonly TimeSpan UrgentAhead = TimeSpan.FromDays(365 * 30);

    /// <summary>
    /// Indexed: the support desk's queue is the open requests, longest waiting first, urgent ones before all others (their
    /// key is <see cref="UrgentAhead"/> earlier than when they began waiting).
    /// </summary>
    public long? WaitingSinceMs => WaitingSince is { } since ? (Urgent ? since - UrgentAhead : since).ToUnixTimeMilliseconds() : null;

    /// <summary>Indexed: closed requests are deleted <see cref="KeptAfterClosing"/> after closing; open ones never (null).</summary>
    public long? ClosedAtMs => ClosedAt?.ToUnixTimeMilliseconds();

    [JsonIgnore]
    public bool IsClosed => Status == HelpStatus.Closed;

    /// <summary>
    /// <paramref name="userId"/> asks about <paramref name="trip"/>: its rider or its driver, within
    /// <see cref="AskWithin"/> of booking.
    /// </summary>
    public static HelpRequest Open(string id, Trip trip, string userId, string topic, string messageId, string text, DateTimeOffset now, bool urgent = false)
    {
        var role = userId == trip.RiderId ? TripActors.Rider : userId == trip.DriverId ? TripActors.Driver : throw new TripNotYoursException(trip.Id);
        if (!HelpTopics.IsKnown(topic)) throw new ArgumentException($"topic must be one of: {string.Join(", ", HelpTopics.All)}.", nameof(topic));
        if (now - trip.CreatedAt > AskWithin)
        {
            throw new TripRuleException($"Trip {trip.Id} was booked more than {AskWithin.TotalDays:0} days ago; help requests about it are closed.");
        }
        return new HelpRequest
        {
            Id = id, TripId = trip.Id, OpenedBy = userId, OpenedByRole = role, Topic = topic,
            Status = HelpStatus.Open, CreatedAt = now, UpdatedAt = now, WaitingSince = now, Urgent = urgent,
            Messages = [new HelpMessage(messageId, role, userId, text, now)],
        };
    }

    /// <summary>
    /// The user who asked writes again: the request waits for support (since then, unless it already did); an emergency
    /// alert (<paramref name="urgent"/>) makes it urgent until it is closed.
    /// </summary>
    public HelpRequest AddUserMessage(string userId, string messageId, string text, DateTimeOffset now, bool urgent = false)
    {
        if (userId != OpenedBy) throw new HelpRequestNotFoundException(Id);
        if (Has(messageId, userId)) return this;
        RequireOpenForMessages();
        return this with
        {
            Messages = [.. Messages, new HelpMessage(messageId, OpenedByRole, userId, text, now)],
            Status = HelpStatus.Open,
            WaitingSince = WaitingSince ?? now,
            Urgent = Urgent || urgent,
            UpdatedAt = now,
        };
    }

    /// <summary>An emergency alert can be raised while the driver is on the way, waiting or riding, and this long after the ride ended.</summary>
    public static readonly TimeSpan EmergencyAfterEnd = TimeSpan.FromHours(1);

    /// <summary>
    /// What an emergency alert says: who pressed the button and when, where their phone was (when it said), and where the
    /// car last was; <see cref="TripRuleException"/> when the trip is not under way nor just ended.
    /// </summary>
    public static string EmergencyText(Trip trip, string userId, GeoPoint? phone, DateTimeOffset now)
    {
        var underWay = trip.Status is TripStatus.DriverAssigned or TripStatus.DriverArrived or TripStatus.InProgress;
        var justEnded = trip.Status == TripStatus.Completed && trip.CompletedAt is { } ended && now - ended <= EmergencyAfterEnd;
        if (!underWay && !justEnded)
        {
            throw new TripRuleException($"The emergency button is for a trip under way (or one that ended within the hour); trip {trip.Id} is {trip.Status}. For anything else, ask for help with the trip.");
        }
        var role = userId == trip.RiderId ? TripActors.Rider : TripActors.Driver;
        var text = new System.Text.StringBuilder($"EMERGENCY: the {role} pressed the emergency button at {now:yyyy-MM-dd HH:mm:ss} UTC (trip {trip.Status.Replace('_', ' ')}).");
        if (phone is { } at) text.Append($" Their phone was at {Point(at)}.");
        if (trip.Driver is { Location: { } car } driver) text.Append($" The car was last at {Point(car)}{(driver.LocationAt is { } seen ? $" ({seen:HH:mm:ss} UTC)" : "")}.");
        return text.ToString();
    }

    /// <summary>A place as support reads it: latitude, longitude to about a metre.</summary>
    public static string Point(GeoPoint at) => $"{at.Lat.ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture)}, {at.Lng.ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Support answers: the request waits for the user now.</summary>
    public HelpRequest Answer(string operatorId, string messageId, string text, DateTimeOffset now)
    {
        if (Has(messageId, operatorId)) return this;
        RequireOpenForMessages();
        return this with
        {
            Messages = [.. Messages, new HelpMessage(messageId, HelpAuthors.Support, operatorId, text, now)],
            Status = HelpStatus.Answered,
            WaitingSince = null,
            UpdatedAt = now,
        };
    }

    /// <summary>The user who asked, or support (<paramref name="bySupport"/>), closes it; closing again changes nothing.</summary>
    public HelpRequest Close(string userId, bool bySupport, DateTimeOffset now)
    {
        if (!bySupport && userId != OpenedBy) throw new HelpRequestNotFoundException(Id);
        if (IsClosed) return this;
        return this with { Status = HelpStatus.Closed, WaitingSince = null, ClosedAt = now, ClosedBy = userId, UpdatedAt = now };
    }

    /// <summary>Who wrote last: rider | driver | support.</summary>
    [JsonIgnore]
    public string LastFrom => Messages.Count == 0 ? OpenedByRole : Messages[^1].From;

    private bool Has(string messageId, string authorId) => Messages.Any(m => m.Id == messageId && m.AuthorId == authorId);

    private void RequireOpenForMessages()
    {
        if (IsClosed) throw new TripTransitionException($"Help request {Id} is closed; ask again about the trip to open a new one.");
        if (Messages.Count >= MaxMessages) throw new TripRuleException($"Help request {Id} has {MaxMessages} messages, the most one takes; open a new one.");
    }

    /// <summary>The text as stored: trimmed, 1 to <see cref="MaxTextLength"/> characters, no control characters but line breaks; null otherwise.</summary>
    public static string? Clean(string? text) => MessageText.Clean(text, MaxTextLength);
}

/// <summary>Who wrote a help message besides the trip's actors (<see cref="TripActors"/>).</summary>
public static class HelpAuthors
{
    public const string Support = "support";
}

/// <summary>No such help request, or not the caller's: to them it does not exist.</summary>
public sealed class HelpRequestNotFoundException(string requestId) : Exception($"Help request {requestId} was not found.");
