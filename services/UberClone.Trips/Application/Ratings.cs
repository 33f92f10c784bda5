using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// What the other side thinks of a user: the count and sum of the stars they were given (all time). A driver's tally
/// keeps their last rated trips too (<see cref="Recent"/>, ADR 0055), and so does a rider's (ADR 0056), and the standing
/// judged from them; documents written before that have neither and start an empty window. <see cref="StandingAt"/>: when the standing last changed
/// (null before it first did, and in documents written before it was kept).
/// </summary>
public sealed record RatingTally(int Count, long Sum, IReadOnlyList<RatedTrip>? Recent = null, string? Standing = null, DateTimeOffset? StandingAt = null)
{
    public double Average => Count == 0 ? 0 : Math.Round((double)Sum / Count, 2);

    public RatingStanding Window => new(Recent ?? [], Standing ?? RatingStandings.Good);
}

/// <summary>
/// Rating aggregates, kept up to date from trip.event.rated: riders' ratings of drivers (the rider's driver card, and the
/// driver's standing: ADR 0055) and drivers' ratings of riders (the driver's rider card, and the rider's standing: ADR 0056).
/// One document per rated user and side.
/// </summary>
public sealed class Ratings(IDocumentDatabase database, IOptions<RatingRules> rules, IOptions<RiderRatingRules> riderRules, TimeProvider clock)
{
    private readonly IDocumentStore<RatingTally> _ofDrivers = database.Collection<RatingTally>("driver_ratings");
    private readonly IDocumentStore<RatingTally> _ofRiders = database.Collection<RatingTally>("rider_ratings");

    public RatingRules Rules => rules.Value;

    public RiderRatingRules RiderRules => riderRules.Value;

    public async Task<RatingTally?> OfDriverAsync(string driverId, CancellationToken ct) => (await _ofDrivers.GetAsync(driverId, ct))?.Document;

    public async Task<RatingTally?> OfRiderAsync(string riderId, CancellationToken ct) => (await _ofRiders.GetAsync(riderId, ct))?.Document;

    /// <summary>
    /// A rider's stars for <paramref name="tripId"/>: counted once (a trip already in the driver's window is not counted
    /// again, whatever delivers it), and when they change the driver's standing, trip.event.driver_rating_standing is
    /// written with the tally.
    /// </summary>
    public Task RecordForDriverAsync(string driverId, string tripId, int stars, CancellationToken ct) =>
        RecordAsync(_ofDrivers, driverId, new RatedTrip(tripId, stars), rules.Value, DriverStandingTold, ct);

    /// <summary>
    /// A driver's stars for <paramref name="tripId"/>, as <see cref="RecordForDriverAsync"/> on the rider's side (ADR 0056):
    /// counted once, and a change of the rider's standing writes trip.event.rider_rating_standing with the tally.
    /// </summary>
    public Task RecordForRiderAsync(string riderId, string tripId, int stars, CancellationToken ct) =>
        RecordAsync(_ofRiders, riderId, new RatedTrip(tripId, stars), riderRules.Value, RiderStandingTold, ct);

    private delegate IReadOnlyList<OutboxMessage> StandingMessages(string userId, string? previous, RatingTally tally, DateTimeOffset now);

    private async Task RecordAsync(IDocumentStore<RatingTally> tallies, string userId, RatedTrip rated, IRatingLines lines, StandingMessages told, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        RatingTally Add(RatingTally t)
        {
            var before = t.Window;
            var after = before.With(rated, lines);
            return ReferenceEquals(after, before) ? t
                : t with
                {
                    Count = t.Count + 1, Sum = t.Sum + rated.Stars, Recent = after.Window, Standing = after.Standing,
                    StandingAt = before.Changed(after) ? now : t.StandingAt,
                };
        }
        // The standing before is the stored one: the write carries the event only when the rating changed it.
        string? previous = null;
        IReadOnlyList<OutboxMessage> Told(RatingTally t) => told(userId, previous, t, now);
        while (true)
        {
            var updated = await tallies.UpdateAsync(userId, t =>
            {
                previous = t.Window.Standing;
                return Add(t);
            }, Told, ct);
            if (updated is not null) return;
            previous = RatingStandings.Good;
            var first = Add(new RatingTally(0, 0));
            try
            {
                await tallies.InsertAsync(userId, first, Told(first), ct);
                return;
            }
            catch (DuplicateDocumentException)
            {
                // The user's first rating came in between: add this one to it.
            }
        }
    }

    /// <summary>
    /// Support approved <paramref name="driverId"/> to drive at <paramref name="approvedAt"/> (account.event.driver_approval):
    /// a driver their standing had taken off the road starts afresh (<see cref="RatingStanding.Reinstated"/>; ADR 0055,
    /// amended), told as a change to <c>good</c>. An approval no later than the standing's change (delivered late, or the
    /// approval the standing took away) changes nothing. Whether it changed anything.
    /// </summary>
    public async Task<bool> ReinstateDriverAsync(string driverId, DateTimeOffset approvedAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        string? previous = null;
        var updated = await _ofDrivers.UpdateAsync(driverId, t =>
        {
            previous = t.Window.Standing;
            if (t.StandingAt is { } since && approvedAt <= since) return t;
            var after = t.Window.Reinstated();
            return ReferenceEquals(after, t.Window) ? t : t with { Recent = after.Window, Standing = after.Standing, StandingAt = now };
        }, t => DriverStandingTold(driverId, previous, t, now), ct);
        return updated is not null && previous != updated.Window.Standing;
    }

    /// <summary>
    /// Support reinstates a rider their standing restricted (ADR 0056): the same fresh start as a driver's
    /// (<see cref="RatingStanding.Reinstated"/>), told as a change to <c>good</c>; they book again at once.
    /// </summary>
    /// <exception cref="RiderNotRestrictedException">The rider is not restricted (never was, or reinstated already).</exception>
    public async Task<RatingTally> ReinstateRiderAsync(string riderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        string? previous = null;
        var updated = await _ofRiders.UpdateAsync(riderId, t =>
        {
            previous = t.Window.Standing;
            var after = t.Window.Reinstated();
            return ReferenceEquals(after, t.Window) ? t : t with { Recent = after.Window, Standing = after.Standing, StandingAt = now };
        }, t => RiderStandingTold(riderId, previous, t, now), ct);
        if (updated is null || previous != RatingStandings.Restricted) throw new RiderNotRestrictedException(riderId);
        return updated;
    }

    /// <summary>A restricted rider books nothing new (ADR 0056): quotes, rides under way and rides booked before are not touched.</summary>
    /// <exception cref="RiderRatingTooLowException">The rider is restricted, with the numbers.</exception>
    public async Task EnsureRiderMayBookAsync(string riderId, CancellationToken ct)
    {
        if (await OfRiderAsync(riderId, ct) is { Standing: RatingStandings.Restricted } tally)
        {
            throw new RiderRatingTooLowException(tally.Window.Average, tally.Window.Rated, riderRules.Value.RestrictBelow);
        }
    }

    /// <summary>The event a write of <paramref name="driverId"/>'s tally carries: the standing's change, if it changed.</summary>
    private IReadOnlyList<OutboxMessage> DriverStandingTold(string driverId, string? previous, RatingTally t, DateTimeOffset now) =>
        t.Window.Standing == (previous ?? RatingStandings.Good) ? [] :
        [
            OutboxMessages.Create(Topics.TripDriverRatingStanding, driverId, new TripDriverRatingStandingIntegrationEvent(
                driverId, t.Window.Standing, t.Window.Average, t.Window.Rated, rules.Value.WarnBelow, rules.Value.DeactivateBelow, now,
                previous ?? RatingStandings.Good)),
        ];

    /// <summary>The event a write of <paramref name="riderId"/>'s tally carries: the standing's change, if it changed.</summary>
    private IReadOnlyList<OutboxMessage> RiderStandingTold(string riderId, string? previous, RatingTally t, DateTimeOffset now) =>
        t.Window.Standing == (previous ?? RatingStandings.Good) ? [] :
        [
            OutboxMessages.Create(Topics.TripRiderRatingStanding, riderId, new TripRiderRatingStandingIntegrationEvent(
                riderId, t.Window.Standing, t.Window.Average, t.Window.Rated, riderRules.Value.WarnBelow, riderRules.Value.RestrictBelow, now,
                previous ?? RatingStandings.Good)),
        ];
}

/// <summary>
/// A restricted rider asked to book (ADR 0056): 403 with the problem type <c>rider-rating-too-low</c> and the numbers,
/// in the message and as fields.
/// </summary>
public sealed class RiderRatingTooLowException(double average, int rated, double restrictBelow) : Exception(
    string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"Your rating {average:0.00} over your last {rated} rated trips is below {restrictBelow:0.00}: you cannot book rides for now. Contact support to have your account reviewed."))
{
    /// <summary>The gRPC ErrorInfo reason: the gateway's problem type <c>rider-rating-too-low</c>.</summary>
    public const string Reason = "RIDER_RATING_TOO_LOW";

    public double Average { get; } = average;

    public int Rated { get; } = rated;

    public double RestrictBelow { get; } = restrictBelow;
}

/// <summary>Support reinstated a rider who is not restricted (never was, or was reinstated already): 409.</summary>
public sealed class RiderNotRestrictedException(string riderId) : Exception($"Rider {riderId} is not restricted for their rating: there is nothing to reinstate.");
