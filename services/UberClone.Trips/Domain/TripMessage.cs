namespace UberClone.Trips.Domain;

/// <summary>
/// A message between a trip's rider and its driver while the driver is on the way or riding ("I'm at the corner").
/// <paramref name="Id"/> is "{tripId}:{the sender's client id}", so a retried send stores one message.
/// </summary>
public sealed record TripMessage(string Id, string TripId, string From, string SenderId, string Text, DateTimeOffset At)
{
    public const int MaxLength = 500;

    /// <summary>Enough for any pickup; a trip with this many takes no more (a runaway client cannot fill the store).</summary>
    public const int MaxPerTrip = 200;

    /// <summary>Kept for support and safety questions about a trip, then deleted (retention).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(90);

    public const string AtField = "atMs";

    public long AtMs => At.ToUnixTimeMilliseconds();

    /// <summary>
    /// The text as stored: trimmed, 1 to <see cref="MaxLength"/> characters, no control characters but line breaks;
    /// null when it is none of that.
    /// </summary>
    public static string? Clean(string? text) => MessageText.Clean(text, MaxLength);
}
