using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>RideCheck (ADR 0033): when a ride under way stops for too long, its rider and driver are asked whether all is well. Bound from "Safety".</summary>
public sealed class SafetyRules
{
    /// <summary>A car that stays within <see cref="StandstillRadiusMeters"/> this long during a ride opens a safety check.</summary>
    public TimeSpan LongStopAfter { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>At a stop the rider added and the driver reached (ADR 0023) the car may stand this much longer: the rider is doing an errand.</summary>
    public TimeSpan AtStopAllowance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A check nobody answered this long after it opened is sent to support.</summary>
    public TimeSpan UnansweredAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many checks a ride: a traffic jam does not ask again and again.</summary>
    public int MaxPerTrip { get; set; } = 3;

    /// <summary>How often the service looks for checks nobody answered.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>GPS wanders tens of metres around a car that stands still; farther than this, the car moved on.</summary>
    public const double StandstillRadiusMeters = 150;
}

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
/// told if nobody answers (<paramref name="AlertAt"/>). The first answer, by either side, closes it for both.
/// </summary>
public sealed record SafetyCheck(int Number, GeoPoint At, DateTimeOffset StoppedSince, TimeSpan StoppedFor, DateTimeOffset OpenedAt, DateTimeOffset AlertAt)
{
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
}

/// <summary>
/// No safety check is open to answer: none was asked, or the other side answered first (the screen was behind). A
/// conflict with the trip as it is (HTTP 409).
/// </summary>
public sealed class SafetyCheckClosedException(string tripId)
    : Exception($"Trip {tripId} has no open safety check: none was asked, or it was answered already.");
