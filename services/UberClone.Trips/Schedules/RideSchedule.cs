using System.Text.Json.Serialization;
using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Schedules;

/// <summary>
/// A ride a rider takes again and again (ADR 0043): what they would book each time, and on which weekdays at which
/// local time. Each occurrence is booked as an ordinary ride for later <see cref="RideScheduleRules.BookAhead"/> before
/// it (<see cref="BookAt"/>); the schedule remembers the one being booked (<see cref="Pending"/>) and the last result.
/// </summary>
public sealed record RideSchedule
{
    public const int MaxLabelLength = 200;

    /// <summary>Indexed: when the next occurrence is to be booked, in Unix milliseconds; null while paused.</summary>
    public const string BookAtField = "bookAtMs";
    public const string RiderField = "riderId";

    public required string Id { get; init; }
    public required string RiderId { get; init; }
    /// <summary>Distinct, Monday first.</summary>
    public required IReadOnlyList<DayOfWeek> Days { get; init; }
    /// <summary>The pickup time on those days, in <see cref="TimeZone"/> (minutes only).</summary>
    public required TimeOnly PickupTime { get; init; }
    /// <summary>An IANA time zone id, e.g. Europe/Berlin.</summary>
    public required string TimeZone { get; init; }
    public required GeoPoint Pickup { get; init; }
    public required GeoPoint Dropoff { get; init; }
    /// <summary>What the app shows for the pickup and drop-off ("Home", "Torstraße 1"), at most <see cref="MaxLabelLength"/> characters.</summary>
    public string? PickupLabel { get; init; }
    public string? DropoffLabel { get; init; }
    public required string VehicleClass { get; init; }
    /// <summary>The saved card that pays each ride; null: the rider's default card when the ride's search starts.</summary>
    public string? CardId { get; init; }
    public string? PickupNote { get; init; }
    public bool WithPet { get; init; }
    /// <summary>Whose expense each ride is (ADR 0034): personal, or a business ride with its memo (schedules stored before: personal).</summary>
    public RideProfile Profile { get; init; } = RideProfile.PersonalRide;
    /// <summary>Every ride it books asks for a wheelchair-accessible vehicle (ADR 0045); schedules stored before do not.</summary>
    public bool WheelchairAccessible { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>
    /// The last day (in <see cref="TimeZone"/>) it books a ride for; null: no end. Past it the schedule has
    /// <see cref="Ended"/>: it books nothing more and stays listed until the rider deletes it or sets a later end.
    /// </summary>
    public DateOnly? EndsOn { get; init; }
    public bool Paused { get; init; }
    /// <summary>The next occurrence not booked yet (while paused: the one that would be).</summary>
    public required DateTimeOffset NextPickupAt { get; init; }
    /// <summary>When <see cref="NextPickupAt"/> is booked.</summary>
    public required DateTimeOffset BookAt { get; init; }
    /// <summary>The occurrence being booked and the quote it is booked with (the trip's id derives from it): a retry books the same trip.</summary>
    public PendingBooking? Pending { get; init; }
    public ScheduledBooking? LastBooking { get; init; }

    public long? BookAtMs => Paused || Ended ? null : BookAt.ToUnixTimeMilliseconds();

    /// <summary>Its next occurrence falls after <see cref="EndsOn"/>: nothing more is booked.</summary>
    [JsonIgnore]
    public bool Ended => EndsOn is { } last && LocalDay(NextPickupAt) > last;

    /// <summary>
    /// The ride <see cref="LastBooking"/> booked is the schedule's last: the occurrence after it falls past
    /// <see cref="EndsOn"/>. The write that books it says so (the rider is mailed once); null otherwise.
    /// </summary>
    [JsonIgnore]
    public ScheduledBooking? LastRide => Ended && LastBooking is { TripId: not null } last && LocalDay(last.PickupAt) <= EndsOn ? last : null;

    /// <summary>
    /// The occurrence booked last (<see cref="LastBooking"/>) when it is for a day after <see cref="EndsOn"/> (the end
    /// was moved earlier than a ride already booked): that ride stays booked, and the rider is told which.
    /// </summary>
    [JsonIgnore]
    public ScheduledBooking? BookedPastEnd => EndsOn is { } end && LastBooking is { TripId: not null } last && LocalDay(last.PickupAt) > end ? last : null;

    /// <summary>The occurrence being booked right now (<see cref="Pending"/>) when it is for a day after <see cref="EndsOn"/>: it is booked all the same.</summary>
    [JsonIgnore]
    public PendingBooking? PendingPastEnd => EndsOn is { } end && Pending is { } pending && LocalDay(pending.PickupAt) > end ? pending : null;

    /// <summary>How far ahead an end may be set.</summary>
    public static readonly TimeSpan MaxEndAhead = TimeSpan.FromDays(366);

    /// <summary>A new schedule whose first occurrence is the first at least <see cref="TripRules.MinScheduleAhead"/> ahead.</summary>
    public static RideSchedule Create(string id, string riderId, IEnumerable<DayOfWeek> days, TimeOnly pickupTime, string timeZone,
        GeoPoint pickup, GeoPoint dropoff, string? pickupLabel, string? dropoffLabel, string vehicleClass, string? cardId, string? pickupNote,
        bool withPet, RideProfile profile, RideScheduleRules rules, TripRules trips, DateTimeOffset now, DateOnly? endsOn = null)
    {
        var zone = Occurrences.Zone(timeZone) ?? throw new RideScheduleInvalidException($"timeZone '{timeZone}' is not a time zone (an IANA id, e.g. Europe/Berlin).");
        var distinct = days.Distinct().OrderBy(d => ((int)d + 6) % 7).ToList();
        if (distinct.Count == 0) throw new RideScheduleInvalidException("days must name at least one weekday (monday … sunday).");
        if (pickupTime.Second != 0 || pickupTime.Millisecond != 0) throw new RideScheduleInvalidException("pickupTime is hours and minutes (HH:mm).");
        if (!Label(pickupLabel)) throw new RideScheduleInvalidException($"pickupLabel has at most {MaxLabelLength} characters.");
        if (!Label(dropoffLabel)) throw new RideScheduleInvalidException($"dropoffLabel has at most {MaxLabelLength} characters.");
        var next = Occurrences.Next(distinct, pickupTime, zone, now + trips.MinScheduleAhead);
        CheckEnd(endsOn, zone, now);
        if (endsOn is { } last && Occurrences.LocalDay(next, zone) > last)
        {
            throw new RideScheduleInvalidException($"endsOn ({last:yyyy-MM-dd}) is before the first ride it would book, {Occurrences.LocalDay(next, zone):ddd d MMM}.");
        }
        return new RideSchedule
        {
            Id = id, RiderId = riderId, Days = distinct, PickupTime = pickupTime, TimeZone = zone.Id, Pickup = pickup, Dropoff = dropoff,
            PickupLabel = Blank(pickupLabel), DropoffLabel = Blank(dropoffLabel), VehicleClass = vehicleClass, CardId = cardId,
            PickupNote = pickupNote, WithPet = withPet, Profile = profile, CreatedAt = now, NextPickupAt = next, BookAt = next - rules.BookAhead,
            EndsOn = endsOn,
        };
    }

    /// <summary>
    /// Sets or clears (<paramref name="endsOn"/> null) the last day it books a ride for: an earlier end stops it once the
    /// rides up to that day are booked (a ride booked already stays booked, one being booked right now is booked); a later
    /// one books on from the next occurrence still ahead (an ended schedule starts again). A day already past, or more
    /// than <see cref="MaxEndAhead"/> ahead, is refused.
    /// </summary>
    public RideSchedule EndOn(DateOnly? endsOn, DateTimeOffset now)
    {
        CheckEnd(endsOn, Occurrences.Zone(TimeZone)!, now);
        return EndsOn == endsOn ? this : this with { EndsOn = endsOn };
    }

    private static void CheckEnd(DateOnly? endsOn, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (endsOn is not { } last) return;
        if (last < Occurrences.LocalDay(now, zone)) throw new RideScheduleInvalidException($"endsOn ({last:yyyy-MM-dd}) is in the past.");
        if (last > Occurrences.LocalDay(now + MaxEndAhead, zone)) throw new RideScheduleInvalidException("endsOn is at most a year ahead.");
    }

    private DateOnly LocalDay(DateTimeOffset at) => Occurrences.LocalDay(at, Occurrences.Zone(TimeZone)!);

    /// <summary>Due: not paused, its booking time reached, nothing pending.</summary>
    public bool IsDue(DateTimeOffset now) => !Paused && !Ended && BookAt <= now;

    /// <summary>
    /// Whether <see cref="NextPickupAt"/> can still be booked: a ride for later is at least <see cref="TripRules.MinScheduleAhead"/>
    /// ahead, so an occurrence found later than that (the service was down) is skipped, never booked too late.
    /// </summary>
    public bool CanStillBook(TripRules trips, DateTimeOffset now) => NextPickupAt >= now + trips.MinScheduleAhead;

    /// <summary>
    /// Claims the next occurrence with <paramref name="quoteId"/>; one already claimed keeps its quote, and one not due
    /// (paused, or skipped meanwhile to a later one) is not claimed.
    /// </summary>
    public RideSchedule Claim(string quoteId, DateTimeOffset now) =>
        Pending is not null || !IsDue(now) ? this : this with { Pending = new PendingBooking(quoteId, NextPickupAt, now) };

    /// <summary>The claimed quote expired unbooked: the next look quotes again.</summary>
    public RideSchedule Unclaim(string quoteId) => Pending?.QuoteId == quoteId ? this with { Pending = null } : this;

    /// <summary>The occurrence was booked as <paramref name="tripId"/> (or refused, saying why): the schedule moves on to the next.</summary>
    public RideSchedule Booked(DateTimeOffset pickupAt, string? tripId, string? refusal, RideScheduleRules rules, DateTimeOffset now)
    {
        if (pickupAt != NextPickupAt) return this; // recorded already (another replica)
        var zone = Occurrences.Zone(TimeZone)!;
        var next = Occurrences.Next(Days, PickupTime, zone, pickupAt.AddMinutes(1));
        return this with
        {
            Pending = null,
            LastBooking = new ScheduledBooking(pickupAt, tripId, refusal, now),
            NextPickupAt = next,
            BookAt = next - rules.BookAhead,
        };
    }

    /// <summary>An occurrence too close to book any more (<see cref="CanStillBook"/>): skipped, the next one ahead of <paramref name="now"/> becomes due.</summary>
    public RideSchedule SkipMissed(RideScheduleRules rules, TripRules trips, DateTimeOffset now)
    {
        var next = Occurrences.Next(Days, PickupTime, Occurrences.Zone(TimeZone)!, now + trips.MinScheduleAhead);
        return next == NextPickupAt && Pending is null ? this : this with { Pending = null, NextPickupAt = next, BookAt = next - rules.BookAhead };
    }

    /// <summary>
    /// Skips the next occurrence (a holiday): the one after it becomes next, booked <see cref="RideScheduleRules.BookAhead"/>
    /// before it. Only <paramref name="pickupAt"/>, the occurrence the rider saw as next, is skipped (a stale screen skips
    /// nothing more); a paused schedule, or an occurrence being booked now, cannot be skipped
    /// (<see cref="RideScheduleClosedException"/>: a ride already booked is cancelled under "Booked for later").
    /// </summary>
    public RideSchedule Skip(DateTimeOffset pickupAt, RideScheduleRules rules)
    {
        if (Paused) throw new RideScheduleClosedException("This repeating ride is paused: nothing is booked until you resume it.");
        if (Ended) throw new RideScheduleClosedException("This repeating ride has ended: nothing more is booked.");
        if (pickupAt != NextPickupAt)
        {
            throw new RideScheduleClosedException(LastBooking is { TripId: not null } last && last.PickupAt == pickupAt
                ? "That ride is booked already: cancel it under \"Booked for later\"."
                : "That is not this repeating ride's next ride any more; look again.");
        }
        if (Pending is not null) throw new RideScheduleClosedException("That ride is being booked right now: cancel it under \"Booked for later\" once it shows there.");
        var next = Occurrences.Next(Days, PickupTime, Occurrences.Zone(TimeZone)!, NextPickupAt.AddMinutes(1));
        return this with { NextPickupAt = next, BookAt = next - rules.BookAhead };
    }

    public RideSchedule Pause() => Paused ? this : this with { Paused = true, Pending = null };

    /// <summary>Books again from the first occurrence at least <see cref="TripRules.MinScheduleAhead"/> ahead.</summary>
    public RideSchedule Resume(RideScheduleRules rules, TripRules trips, DateTimeOffset now)
    {
        if (!Paused) return this;
        var next = Occurrences.Next(Days, PickupTime, Occurrences.Zone(TimeZone)!, now + trips.MinScheduleAhead);
        // An occurrence booked before the pause is not booked twice.
        if (LastBooking is { TripId: not null } last && next <= last.PickupAt) next = Occurrences.Next(Days, PickupTime, Occurrences.Zone(TimeZone)!, last.PickupAt.AddMinutes(1));
        return this with { Paused = false, NextPickupAt = next, BookAt = next - rules.BookAhead };
    }

    private static bool Label(string? label) => label is null || label.Trim().Length <= MaxLabelLength;

    private static string? Blank(string? label) => string.IsNullOrWhiteSpace(label) ? null : label.Trim();
}

/// <summary>Bad input for a schedule (INVALID_ARGUMENT, HTTP 400), naming the field.</summary>
public sealed class RideScheduleInvalidException(string message) : Exception(message);

/// <summary>The change does not fit the schedule as it is now (ABORTED, HTTP 409), saying why.</summary>
public sealed class RideScheduleClosedException(string message) : Exception(message);

/// <summary>The occurrence at <paramref name="PickupAt"/> is being booked with quote <paramref name="QuoteId"/> since <paramref name="ClaimedAt"/>.</summary>
public sealed record PendingBooking(string QuoteId, DateTimeOffset PickupAt, DateTimeOffset ClaimedAt);

/// <summary>How the last occurrence went: booked as <paramref name="TripId"/>, or refused saying why (<paramref name="Refusal"/>).</summary>
public sealed record ScheduledBooking(DateTimeOffset PickupAt, string? TripId, string? Refusal, DateTimeOffset At);

/// <summary>Repeating rides' policy, bound from configuration section "RideSchedules".</summary>
public sealed class RideScheduleRules
{
    /// <summary>Each occurrence is booked this long before its pickup time (at least <see cref="TripRules.MinScheduleAhead"/>).</summary>
    public TimeSpan BookAhead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often every trips replica looks for schedules due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public int MaxPerRider { get; set; } = 5;
}

/// <summary>Weekly local times in a time zone, daylight saving included.</summary>
public static class Occurrences
{
    public static TimeZoneInfo? Zone(string id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    /// <summary>The day it is in <paramref name="zone"/> at <paramref name="at"/>.</summary>
    public static DateOnly LocalDay(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>
    /// The first of <paramref name="days"/> at <paramref name="time"/> in <paramref name="zone"/> at or after
    /// <paramref name="after"/>. A local time the clock skips that day (spring forward) is taken an hour later; one it
    /// repeats (fall back), the first time.
    /// </summary>
    public static DateTimeOffset Next(IReadOnlyList<DayOfWeek> days, TimeOnly time, TimeZoneInfo zone, DateTimeOffset after)
    {
        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, zone).DateTime);
        for (var i = 0; i <= 8; i++)
        {
            var day = localDay.AddDays(i);
            if (!days.Contains(day.DayOfWeek)) continue;
            var at = Instant(day, time, zone);
            if (at >= after) return at;
        }
        throw new ArgumentException("days is empty.", nameof(days));
    }

    private static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        // Ambiguous: the larger offset is the earlier instant (the first time the clock shows it).
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
