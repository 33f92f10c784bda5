using UberClone.Contracts;

namespace UberClone.Trips.Domain;

/// <summary>
/// A driver reserved a ride booked for later (ADR 0047): they are offered it first when its search starts.
/// <see cref="ReleasedAt"/>: when it ended before that — by the driver, by support, or the rider moving the ride
/// (<see cref="ReleasedBy"/> one of <see cref="TripActors"/>, <see cref="ReleaseReason"/> why). <see cref="RemindAt"/>: when the
/// driver is reminded of the pickup (ADR 0050; null: none, reserved too close to it), <see cref="RemindedAt"/> when they were.
/// </summary>
public sealed record DriverReservation(string DriverId, DateTimeOffset ReservedAt, DateTimeOffset? ReleasedAt = null, string? ReleasedBy = null, string? ReleaseReason = null,
    DateTimeOffset? RemindAt = null, DateTimeOffset? RemindedAt = null)
{
    public bool IsHeld => ReleasedAt is null;
}

/// <summary>Drivers' reservations of rides booked for later (ADR 0047), the <c>Reservations</c> configuration section.</summary>
public sealed class ReservationRules
{
    /// <summary>How far from the driver a ride's pickup may be to be listed to them.</summary>
    public double RadiusMeters { get; set; } = 15_000;

    /// <summary>How many upcoming reservations a driver may hold at once.</summary>
    public int MaxPerDriver { get; set; } = 3;

    /// <summary>Two reservations of one driver have pickups at least this far apart: time to do one and reach the other.</summary>
    public TimeSpan MinGap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A driver may release a reservation until this long before its pickup; after that support does it.</summary>
    public TimeSpan ReleaseUntil { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The reserving driver is reminded this long before the pickup (ADR 0050); <c>00:00:00</c>: never.</summary>
    public TimeSpan RemindBefore { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>A driver releasing a reservation closer than this to the pickup earns a strike (ADR 0050).</summary>
    public TimeSpan LateReleaseWindow { get; set; } = TimeSpan.FromHours(12);

    /// <summary>This many strikes within <see cref="StrikeWindow"/> pause the driver's reserving for <see cref="StrikePause"/>.</summary>
    public int MaxStrikes { get; set; } = 2;

    public TimeSpan StrikeWindow { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan StrikePause { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most rides one listing shows.</summary>
    public const int MaxListed = 50;

    /// <summary>
    /// A driver who holds reservations picked up at <paramref name="othersPickups"/> may add one picked up at
    /// <paramref name="pickupAt"/>: fewer than <see cref="MaxPerDriver"/>, none closer than <see cref="MinGap"/>; else
    /// <see cref="ReservationConflictException"/> saying which.
    /// </summary>
    public void RequireRoomFor(DateTimeOffset pickupAt, IReadOnlyCollection<DateTimeOffset> othersPickups)
    {
        if (othersPickups.Count >= MaxPerDriver)
        {
            throw new ReservationConflictException($"You hold {othersPickups.Count} reservations already, the most a driver may (release one to reserve another).");
        }
        if (othersPickups.Where(at => (at - pickupAt).Duration() < MinGap).Select(at => (DateTimeOffset?)at).FirstOrDefault() is { } close)
        {
            throw new ReservationConflictException(
                $"You reserved a ride picked up at {close:u}; two reservations' pickups are at least {Trip.Describe(MinGap)} apart.");
        }
    }
}

/// <summary>A driver's claim on reserving a ride (<see cref="DriverReservationLedger"/>): which, picked up when, claimed when.</summary>
public sealed record ReservationClaim(string TripId, DateTimeOffset PickupAt, DateTimeOffset ClaimedAt);

/// <summary>
/// One document per driver (ADR 0050): the reservations they claimed, so that <see cref="ReservationRules.MaxPerDriver"/>
/// and <see cref="ReservationRules.MinGap"/> hold when they reserve several rides at the same instant. A reservation is
/// claimed here first, with a versioned write of this one document (two claims at once: one writes, the other reads
/// again and decides on what the first claimed), and only then written to its trip; a claim whose trip write lost is
/// taken back. The trip stays the truth of who holds a ride: a claim its trip does not show counts only while its trip
/// write may still be under way (<see cref="InFlight"/>), so a crash between the two writes blocks nobody for long.
/// </summary>
/// <remarks><see cref="Strikes"/>: the driver's strikes (ADR 0050), at most one per ride; null in a ledger written before strikes.</remarks>
public sealed record DriverReservationLedger(string DriverId, IReadOnlyList<ReservationClaim> Claims, IReadOnlyList<ReservationStrike>? Strikes = null)
{
    /// <summary>How long a claim its trip does not show yet still counts: longer than any trip write takes.</summary>
    public static readonly TimeSpan InFlight = TimeSpan.FromMinutes(1);

    public static DriverReservationLedger For(string driverId) => new(driverId, []);

    /// <summary>
    /// The claims that still count, given their trips as stored now (<paramref name="trips"/>, by id; a missing one is
    /// gone): the trip holds this driver's reservation, or it shows nothing of this claim yet and the claim is younger
    /// than <see cref="InFlight"/>. A trip that no longer waits, held by someone else, or whose reservation by this driver
    /// was made and since released, ends its claim.
    /// </summary>
    /// <remarks>
    /// <paramref name="held"/>: the rides the driver's reservation holds as stored (found by <see cref="Trip.ReservedBy"/>),
    /// counted even without a claim: reserved before claims existed.
    /// </remarks>
    public DriverReservationLedger Live(IReadOnlyDictionary<string, Trip> trips, IEnumerable<Trip> held, DateTimeOffset now)
    {
        var live = Claims.Where(c => trips.TryGetValue(c.TripId, out var trip) && Counts(c, trip, now)).ToList();
        var unclaimed = held.Where(t => t.ReservedBy == DriverId && t.ScheduledFor is not null && live.All(c => c.TripId != t.Id))
            .Select(t => new ReservationClaim(t.Id, t.ScheduledFor!.Value, t.Reservation!.ReservedAt)).ToList();
        return live.Count == Claims.Count && unclaimed.Count == 0 ? this : this with { Claims = [.. live, .. unclaimed] };
    }

    private bool Counts(ReservationClaim claim, Trip trip, DateTimeOffset now)
    {
        if (trip.Status != TripStatus.Scheduled) return false;
        if (trip.ReservedBy == DriverId) return true;
        if (trip.Reservation is not null) return false; // another driver's
        var written = trip.DriverReservations.Any(r => r.DriverId == DriverId && r.ReservedAt >= claim.ClaimedAt);
        return !written && now - claim.ClaimedAt < InFlight;
    }

    /// <summary>
    /// Claims the ride picked up at <paramref name="pickupAt"/> if the driver's live claims leave room for it
    /// (<see cref="ReservationRules.RequireRoomFor"/>; call on <see cref="Live"/>'s result). Claimed already: unchanged.
    /// </summary>
    public DriverReservationLedger Claim(string tripId, DateTimeOffset pickupAt, ReservationRules rules, DateTimeOffset now)
    {
        if (Claims.Any(c => c.TripId == tripId)) return this;
        new ReservationStrikes(Strikes ?? [], rules).RequireNotPaused(now);
        rules.RequireRoomFor(pickupAt, Claims.Select(c => c.PickupAt).ToList());
        return this with { Claims = [.. Claims, new ReservationClaim(tripId, pickupAt, now)] };
    }

    /// <summary>With <paramref name="strike"/>; unchanged when the driver has one for that ride already.</summary>
    public DriverReservationLedger With(ReservationStrike strike) =>
        (Strikes ?? []).Any(s => s.TripId == strike.TripId) ? this : this with { Strikes = [.. Strikes ?? [], strike] };

    /// <summary>
    /// Support removed the driver's strike for <paramref name="tripId"/> (ADR 0050: the rider asked them to drop it, a
    /// crash): kept, marked removed by whom, when and why, so that it no longer counts and a redelivered message that
    /// made it does not make it again. Removed already: unchanged. No such strike: <see cref="ReservationStrikeNotFoundException"/>.
    /// </summary>
    public DriverReservationLedger WithoutStrike(string tripId, string by, string reason, DateTimeOffset now)
    {
        var strike = (Strikes ?? []).FirstOrDefault(s => s.TripId == tripId)
            ?? throw new ReservationStrikeNotFoundException($"Driver {DriverId} has no strike for trip {tripId}.");
        if (strike.IsRemoved) return this;
        return this with { Strikes = [.. Strikes!.Select(s => s.TripId == tripId ? s with { RemovedAt = now, RemovedBy = by, RemovedReason = reason } : s)] };
    }

    /// <summary>The claim on <paramref name="tripId"/> taken back (its trip write lost); none: unchanged.</summary>
    public DriverReservationLedger Without(string tripId) =>
        Claims.Any(c => c.TripId == tripId) ? this with { Claims = [.. Claims.Where(c => c.TripId != tripId)] } : this;
}

/// <summary>
/// What a driver's car and settings take (ADR 0047's listing), as dispatch decides it from the driver's record
/// (<c>Driver.Takes(RideNeeds)</c> in the drivers service; the same three rules, read from its <c>GetMe</c>): a ride the
/// driver would never be offered is not listed.
/// </summary>
public sealed record DriverSuitability(bool PetsWelcome, bool AcceptsCash, bool CashPaused, bool WheelchairAccessible)
{
    /// <summary>A driver the drivers service has no record of: the defaults of a new one (no pets, cash accepted, no wheelchair).</summary>
    public static readonly DriverSuitability Default = new(PetsWelcome: false, AcceptsCash: true, CashPaused: false, WheelchairAccessible: false);

    public bool Takes(Trip ride) =>
        (!ride.WithPet || PetsWelcome)
        && (!ride.PayInCash || (AcceptsCash && !CashPaused))
        && (!ride.WheelchairAccessible || WheelchairAccessible);
}

/// <summary>
/// The rides booked for later a driver may reserve (ADR 0047): waiting, nobody's, of a class they are approved for, picked
/// up near them, suiting their car; soonest pickup first or newest booked first.
/// </summary>
public static class ReservableRides
{
    public const string SoonestFirst = "pickup";
    public const string NewestFirst = "newest";

    public static IReadOnlyList<Trip> For(IEnumerable<Trip> open, string driverId, GeoPoint near, IReadOnlyCollection<string> classes, DriverSuitability suits,
        ReservationRules rules, string order, int limit, DateTimeOffset now)
    {
        var listed = open.Where(t => t.ReservableAtMs is not null && t.ScheduledFor > now && t.RiderId != driverId
                && classes.Contains(t.VehicleClass) && !t.DriversWhoCancelled.Contains(driverId) && suits.Takes(t)
                && Geo.DistanceMeters(near.Lat, near.Lng, t.Pickup.Lat, t.Pickup.Lng) <= rules.RadiusMeters);
        listed = order == NewestFirst ? listed.OrderByDescending(t => t.CreatedAt) : listed.OrderBy(t => t.ScheduledFor);
        return [.. listed.Take(limit)];
    }

    /// <summary>A point shown for a ride nobody reserved yet: about a kilometre (0.01°), the area, not the rider's door.</summary>
    public static GeoPoint Area(GeoPoint point) => new(Math.Round(point.Lat, 2), Math.Round(point.Lng, 2));
}

/// <summary>
/// The reservation cannot be made or released as asked (ADR 0047): another driver has it, the driver holds too many or
/// one too close in time, the pickup is too near to release it, or the ride no longer waits. A conflict (HTTP 409).
/// </summary>
public class ReservationConflictException(string message) : Exception(message);

/// <summary>
/// A reserved ride the driver let down (ADR 0050): released within <see cref="ReservationRules.LateReleaseWindow"/> of its
/// pickup (<see cref="LateRelease"/>), or its search found them not taking it — declined, let expire, or not available
/// (<see cref="Missed"/>). <see cref="At"/>: when it happened. <see cref="RemovedAt"/>: support took it back (by
/// <see cref="RemovedBy"/>, <see cref="RemovedReason"/> why); it is kept, and counts no more.
/// </summary>
public sealed record ReservationStrike(string TripId, string Why, DateTimeOffset At, DateTimeOffset? RemovedAt = null, string? RemovedBy = null, string? RemovedReason = null)
{
    public const string LateRelease = "late_release";
    public const string Missed = "missed";

    public bool IsRemoved => RemovedAt is not null;

    /// <summary>
    /// The strike <paramref name="trip"/> gives <paramref name="driverId"/> as it stands, if any: their reservation of it
    /// released by them late, or held when its search ended with another driver or none. A ride cancelled, released in
    /// time, still waiting or still searching gives none.
    /// </summary>
    public static ReservationStrike? For(Trip trip, string driverId, ReservationRules rules)
    {
        if (trip.ScheduledFor is not { } pickupAt) return null;
        if (trip.DriverReservations.LastOrDefault(r => r.DriverId == driverId && r.ReleasedBy == TripActors.Driver && r.ReleasedAt is not null) is { } released
            && pickupAt - released.ReleasedAt!.Value < rules.LateReleaseWindow)
        {
            return new ReservationStrike(trip.Id, LateRelease, released.ReleasedAt.Value);
        }
        var searchEndedWithout = trip.Status == TripStatus.NoDriversFound
            || (trip.Driver is { } driver && driver.DriverId != driverId && trip.Status != TripStatus.Cancelled);
        return searchEndedWithout && trip.Reservation?.DriverId == driverId
            ? new ReservationStrike(trip.Id, Missed, trip.Driver?.AssignedAt ?? trip.UpdatedAt)
            : null;
    }
}

/// <summary>
/// A driver's strikes under the rules (ADR 0050): <see cref="ReservationRules.MaxStrikes"/> within
/// <see cref="ReservationRules.StrikeWindow"/> pause their reserving for <see cref="ReservationRules.StrikePause"/> from the
/// strike that made it that many.
/// </summary>
public sealed record ReservationStrikes(IReadOnlyList<ReservationStrike> All, ReservationRules Rules)
{
    /// <summary>
    /// The strikes within the window before <paramref name="now"/>, oldest first: what support and the driver see, those
    /// support removed among them (marked so).
    /// </summary>
    public IReadOnlyList<ReservationStrike> Recent(DateTimeOffset now) => [.. All.Where(s => s.At > now - Rules.StrikeWindow && s.At <= now).OrderBy(s => s.At)];

    /// <summary>Until when the driver may not reserve, if that is after <paramref name="now"/>; null: they may. Removed strikes do not count.</summary>
    public DateTimeOffset? Pause(DateTimeOffset now)
    {
        var ordered = All.Where(s => s.At <= now && !s.IsRemoved).OrderBy(s => s.At).ToList();
        var until = ordered.Where(s => ordered.Count(o => o.At > s.At - Rules.StrikeWindow && o.At <= s.At) >= Rules.MaxStrikes)
            .Select(s => (DateTimeOffset?)(s.At + Rules.StrikePause)).Max();
        return until > now ? until : null;
    }

    /// <summary>Paused (<see cref="Pause"/>) → <see cref="ReservingPausedException"/>: "You can reserve again on Mon, Dec 14: …".</summary>
    public void RequireNotPaused(DateTimeOffset now)
    {
        if (Pause(now) is { } until) throw new ReservingPausedException(until, PausedMessage(until, now));
    }

    /// <summary>"You can reserve again on Mon, Dec 14: you released 2 reserved rides late in 30 days".</summary>
    public string PausedMessage(DateTimeOffset until, DateTimeOffset now)
    {
        var recent = All.Where(s => s.At > until - Rules.StrikePause - Rules.StrikeWindow && s.At <= now && !s.IsRemoved).ToList();
        var late = recent.Count(s => s.Why == ReservationStrike.LateRelease);
        var missed = recent.Count - late;
        string Rides(int n) => n == 1 ? "1 reserved ride" : $"{n} reserved rides";
        var what = (late, missed) switch
        {
            (_, 0) => $"you released {Rides(late)} late",
            (0, _) => $"you did not take {Rides(missed)} when offered",
            _ => $"you released {Rides(late)} late and did not take {missed} when offered",
        };
        return $"You can reserve again on {until.ToString("ddd, MMM d", System.Globalization.CultureInfo.InvariantCulture)}: {what} in {Trip.Describe(Rules.StrikeWindow)}";
    }
}

/// <summary>The driver has no strike for the ride support asked to remove (HTTP 404).</summary>
public sealed class ReservationStrikeNotFoundException(string message) : Exception(message);

/// <summary>The driver's reserving is paused after too many strikes (ADR 0050) until <see cref="Until"/>: a conflict (HTTP 409).</summary>
public sealed class ReservingPausedException(DateTimeOffset until, string message) : ReservationConflictException(message)
{
    public DateTimeOffset Until { get; } = until;
}
