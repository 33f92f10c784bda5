using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>RideCheck (ADR 0033): when a ride under way stops for too long, its rider and driver are asked whether all is well. Bound from "Safety".</summary>
public sealed class SafetyRules
{
    /// <summary>A car that stays within <see cref="StandstillRadiusMeters"/> this long during a ride opens a safety check.</summary>
    public TimeSpan LongStopAfter { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>At a stop the rider added and the driver reached (ADR 0023) the car may stand this much longer: the rider is doing an errand.</summary>
    public TimeSpan AtStopAllowance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// No fix from the driver's phone this long during a ride opens a check (a flat battery, a phone switched off or
    /// taken): the case a long stop never sees. Longer than a tunnel.
    /// </summary>
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a ride keeps a fix that changed nothing else as "heard" (<see cref="Trip.HearDriver"/>): a standing car's
    /// phone costs a write a minute, and <see cref="SilentAfter"/> must be well above it.
    /// </summary>
    public static readonly TimeSpan HeardEvery = TimeSpan.FromMinutes(1);

    /// <summary>A check nobody answered this long after it opened is sent to support.</summary>
    public TimeSpan UnansweredAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many checks a ride: a traffic jam does not ask again and again.</summary>
    public int MaxPerTrip { get; set; } = 3;

    /// <summary>How often the service looks for checks nobody answered.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A car this much farther (in a straight line) from where the ride is going — its next stop, else the drop-off — than
    /// it has been since it set off towards it opens a check: a ride driven away from its destination. Roads wind, so it
    /// is kilometres, not metres.
    /// </summary>
    public double DetourMeters { get; set; } = 2_000;

    /// <summary>How much closer to where the ride goes a fix must be to be remembered as the closest (fewer writes).</summary>
    public const double CourseStepMeters = 100;

    /// <summary>GPS wanders tens of metres around a car that stands still; farther than this, the car moved on.</summary>
    public const double StandstillRadiusMeters = 150;
}

/// <summary>What a safety check is about: the car stood still too long, drove away from where the ride is going, or its driver's phone went silent.</summary>
public static class SafetyCheckKinds
{
    public const string LongStop = "long_stop";
    public const string Detour = "detour";
    public const string Silent = "silent";
}

/// <summary>
/// How close the car has come during the ride to where it is going now (<paramref name="Target"/>: the next stop, else the
/// drop-off), in metres, and the phone time of the fix that last changed this record. A new target (a stop reached, a new
/// destination) starts again from where the car is.
/// </summary>
public sealed record TripCourse(GeoPoint Target, double ClosestMeters, DateTimeOffset LastFixAt);

/// <summary>
/// Where the car has stood during the ride and since when (its phone's time of the first fix there), and the phone time of
/// the fix that last changed this record: an older or repeated fix is ignored. <paramref name="Checked"/>: a check opened
/// for this standstill already; the next one needs the car to move on first.
/// </summary>
public sealed record TripStandstill(GeoPoint At, DateTimeOffset Since, DateTimeOffset LastFixAt, bool Checked = false);

/// <summary>What the rider or driver answered a safety check.</summary>
public static class SafetyAnswers
{
    public const string Ok = "ok";
    public const string Help = "help";

    public static bool IsKnown(string? answer) => answer is Ok or Help;
}

/// <summary>
/// One safety check of a ride (ADR 0033): the <paramref name="Number"/>-th (1-based), where the car stood
/// (<paramref name="At"/>), since when and how long when it opened (<paramref name="StoppedFor"/>), and when support is
/// told if nobody answers (<paramref name="AlertAt"/>). The first answer, by either side, closes it for both. A
/// <see cref="SafetyCheckKinds.Detour"/> check is where the car was when it opened, <see cref="DetourMeters"/> farther
/// from where the ride goes than it had come (stood: zero). A <see cref="SafetyCheckKinds.Silent"/> check is where the
/// car was last heard of, since when (<see cref="StoppedSince"/>) and for how long nothing came (<see cref="StoppedFor"/>).
/// </summary>
public sealed record SafetyCheck(int Number, GeoPoint At, DateTimeOffset StoppedSince, TimeSpan StoppedFor, DateTimeOffset OpenedAt, DateTimeOffset AlertAt)
{
    /// <summary><see cref="SafetyCheckKinds"/>; a check stored before detours were watched is a long stop.</summary>
    public string Kind { get; init; } = SafetyCheckKinds.LongStop;
    /// <summary>A detour: how much farther from the next stop or drop-off the car was than the closest it had come.</summary>
    public int DetourMeters { get; init; }

    /// <summary>ok | help; null while unanswered.</summary>
    public string? Answer { get; init; }
    /// <summary>rider | driver: who answered.</summary>
    public string? AnsweredBy { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    /// <summary>When support was told that nobody answered; null: not (yet).</summary>
    public DateTimeOffset? SupportAlertedAt { get; init; }

    public bool IsAnswered => Answer is not null;

    /// <summary>Whole minutes the car had stood when the check opened (at least 1), as the apps and support read it.</summary>
    public int StoppedMinutes => Math.Max(1, (int)Math.Round(StoppedFor.TotalMinutes));

    /// <summary>What happened, as support reads it: "Ride stopped 4 min at …" or "Ride went 2.4 km away from its destination at …".</summary>
    public string Describe() => Kind switch
    {
        SafetyCheckKinds.Detour =>
            $"Ride went {(DetourMeters / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} km away from its destination at {HelpRequest.Point(At)}",
        SafetyCheckKinds.Silent => $"No location from the driver's phone for {StoppedMinutes} min; last at {HelpRequest.Point(At)}",
        _ => $"Ride stopped {StoppedMinutes} min at {HelpRequest.Point(At)}",
    };
}

/// <summary>
/// No safety check is open to answer: none was asked, or the other side answered first (the screen was behind). A
/// conflict with the trip as it is (HTTP 409).
/// </summary>
public sealed class SafetyCheckClosedException(string tripId)
    : Exception($"Trip {tripId} has no open safety check: none was asked, or it was answered already.");
