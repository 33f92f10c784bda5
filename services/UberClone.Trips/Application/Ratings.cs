using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// What the other side thinks of a user: the count and sum of the stars they were given (all time). A driver's tally
/// keeps their last rated trips too (<see cref="Recent"/>, ADR 0055) and the standing judged from them; documents
/// written before that have neither and start an empty window. <see cref="StandingAt"/>: when the standing last changed
/// (null before it first did, and in documents written before it was kept).
/// </summary>
public sealed record RatingTally(int Count, long Sum, IReadOnlyList<RatedTrip>? Recent = null, string? Standing = null, DateTimeOffset? StandingAt = null)
{
    public double Average => Count == 0 ? 0 : Math.Round((double)Sum / Count, 2);

    public RatingStanding Window => new(Recent ?? [], Standing ?? RatingStandings.Good);
}

/// <summary>
/// Rating aggregates, kept up to date from trip.event.rated: riders' ratings of drivers (the rider's driver card, and the
/// driver's standing: ADR 0055) and drivers' ratings of riders (the driver's rider card). One document per rated user and side.
/// </summary>
public sealed class Ratings(IDocumentDatabase database, IOptions<RatingRules> rules, TimeProvider clock)
{
    private readonly IDocumentStore<RatingTally> _ofDrivers = database.Collection<RatingTally>("driver_ratings");
    private readonly IDocumentStore<RatingTally> _ofRiders = database.Collection<RatingTally>("rider_ratings");

    public RatingRules Rules => rules.Value;

    public async Task<RatingTally?> OfDriverAsync(string driverId, CancellationToken ct) => (await _ofDrivers.GetAsync(driverId, ct))?.Document;

    public async Task<RatingTally?> OfRiderAsync(string riderId, CancellationToken ct) => (await _ofRiders.GetAsync(riderId, ct))?.Document;

    /// <summary>
    /// A rider's stars for <paramref name="tripId"/>: counted once (a trip already in the driver's window is not counted
    /// again, whatever delivers it), and when they change the driver's standing, trip.event.driver_rating_standing is
    /// written with the tally.
    /// </summary>
    public async Task RecordForDriverAsync(string driverId, string tripId, int stars, CancellationToken ct)
    {
        var rated = new RatedTrip(tripId, stars);
        var now = clock.GetUtcNow();
        RatingTally Add(RatingTally t)
        {
            var before = t.Window;
            var after = before.With(rated, rules.Value);
            return ReferenceEquals(after, before) ? t
                : t with
                {
                    Count = t.Count + 1, Sum = t.Sum + stars, Recent = after.Window, Standing = after.Standing,
                    StandingAt = before.Changed(after) ? now : t.StandingAt,
                };
        }
        // The standing before is the stored one: the write carries the event only when the rating changed it.
        string? previous = null;
        IReadOnlyList<OutboxMessage> Told(RatingTally t) => StandingTold(driverId, previous, t, now);
        while (true)
        {
            var updated = await _ofDrivers.UpdateAsync(driverId, t =>
            {
                previous = t.Window.Standing;
                return Add(t);
            }, Told, ct);
            if (updated is not null) return;
            previous = RatingStandings.Good;
            var first = Add(new RatingTally(0, 0));
            try
            {
                await _ofDrivers.InsertAsync(driverId, first, Told(first), ct);
                return;
            }
            catch (DuplicateDocumentException)
            {
                // The driver's first rating came in between: add this one to it.
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
        }, t => StandingTold(driverId, previous, t, now), ct);
        return updated is not null && previous != updated.Window.Standing;
    }

    /// <summary>The event a write of <paramref name="driverId"/>'s tally carries: the standing's change, if it changed.</summary>
    private IReadOnlyList<OutboxMessage> StandingTold(string driverId, string? previous, RatingTally t, DateTimeOffset now) =>
        t.Window.Standing == (previous ?? RatingStandings.Good) ? [] :
        [
            OutboxMessages.Create(Topics.TripDriverRatingStanding, driverId, new TripDriverRatingStandingIntegrationEvent(
                driverId, t.Window.Standing, t.Window.Average, t.Window.Rated, rules.Value.WarnBelow, rules.Value.DeactivateBelow, now,
                previous ?? RatingStandings.Good)),
        ];

    public async Task RecordForRiderAsync(string riderId, int stars, CancellationToken ct)
    {
        var updated = await _ofRiders.UpdateAsync(riderId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        if (updated is not null) return;
        try
        {
            await _ofRiders.InsertAsync(riderId, new RatingTally(1, stars), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await _ofRiders.UpdateAsync(riderId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        }
    }
}
