namespace UberClone.Drivers.Domain;

/// <summary>
/// How long a driver may be online before they must rest (ADR 0026), as production platforms enforce it: after
/// <see cref="MaxOnline"/> online (available, on an offer or on a trip) in a working period they are offered nothing
/// more, finish the trip they are on and go offline; they may go online again after <see cref="Rest"/> offline, which
/// also starts a new period. Shorter breaks pause the count without resetting it.
/// </summary>
public sealed record DrivingLimits(TimeSpan MaxOnline, TimeSpan Rest)
{
    public static readonly DrivingLimits Default = new(TimeSpan.FromHours(12), TimeSpan.FromHours(6));

    /// <summary>What the driver's screen says when the service takes them offline at the limit.</summary>
    public string Reason => $"You have been online {Describe(MaxOnline)}: rest for {Describe(Rest)} before you go online again.";

    /// <summary>"12 hours", "90 minutes".</summary>
    public static string Describe(TimeSpan span) => span.TotalHours >= 1 && span.Minutes == 0 && span.Seconds == 0
        ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : $"{Math.Ceiling(span.TotalMinutes):0} minute{(span.TotalMinutes == 1 ? "" : "s")}";
}
