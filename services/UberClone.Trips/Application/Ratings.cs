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
/// written before that have neither and start an empty window.
/// </summary>
public sealed record RatingTally(int Count, long Sum, IReadOnlyList<RatedTrip>? Recent = null, string? Standing = null)
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
                : t with { Count = t.Count + 1, Sum = t.Sum + stars, Recent = after.Window, Standing = after.Standing };
        }
        // The standing before is the stored one: the write carries the event only when the rating changed it.
        string? previous = null;
        IReadOnlyList<OutboxMessage> Told(RatingTally t) =>
            t.Standing == (previous ?? RatingStandings.Good) ? [] :
            [
                OutboxMessages.Create(Topics.TripDriverRatingStanding, driverId, new TripDriverRatingStandingIntegrationEvent(
                    driverId, t.Window.Standing, t.Window.Average, t.Window.Rated, rules.Value.WarnBelow, rules.Value.DeactivateBelow, now,
                    previous ?? RatingStandings.Good)),
            ];
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
