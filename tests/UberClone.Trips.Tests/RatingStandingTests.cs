using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.IntegrationEvents.EventHandling;

namespace UberClone.Trips.Tests;

/// <summary>
/// A driver's standing over their recent rated trips (ADR 0055): the window, the lines, the minimum, and the handler
/// that keeps it from trip.event.rated against a real SQLite store (told only on a change, a rating counted once). A
/// rider's the same way with their own lines (ADR 0056): restricted, they book nothing new until support reinstates them.
/// </summary>
public sealed class RatingStandingTests : IDisposable
{
    private static readonly RatingRules Rules = new() { Window = 4, WarnBelow = 4.6, DeactivateBelow = 4.5, MinimumRated = 3 };
    private static readonly RiderRatingRules RiderRules = new() { Window = 4, WarnBelow = 4.3, RestrictBelow = 4.0, MinimumRated = 3 };

    private readonly TripsDatabaseFile _file = new();
    private readonly TestMeters _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RatingStanding Rated(params int[] stars) =>
        stars.Select((s, i) => new RatedTrip($"t{i}", s)).Aggregate(RatingStanding.Empty, (w, r) => w.With(r, Rules));

    [Fact]
    public void The_window_keeps_only_the_last_ratings()
    {
        var standing = Rated(1, 1, 5, 5, 5, 5);

        Assert.Equal([5, 5, 5, 5], standing.Window.Select(r => r.Stars));
        Assert.Equal(4, standing.Rated);
        Assert.Equal(RatingStandings.Good, standing.Standing);
    }

    [Fact]
    public void Fewer_rated_trips_than_the_minimum_are_not_judged()
    {
        Assert.Equal(RatingStandings.Good, Rated(1, 1).Standing);
        Assert.Equal(RatingStandings.Deactivate, Rated(1, 1, 1).Standing);
    }

    [Theory]
    [InlineData(new[] { 5, 5, 5, 4 }, 4.75, RatingStandings.Good)]
    [InlineData(new[] { 5, 5, 4, 4 }, 4.5, RatingStandings.Warned)]  // on the lower line: warned, not taken off
    [InlineData(new[] { 5, 4, 4, 4 }, 4.25, RatingStandings.Deactivate)]
    public void The_average_is_judged_against_both_lines(int[] stars, double average, string standing)
    {
        var judged = Rated(stars);

        Assert.Equal((average, standing), (judged.Average, judged.Standing));
    }

    [Fact]
    public void A_trip_already_in_the_window_is_not_counted_again()
    {
        var standing = Rated(5, 5, 5);

        Assert.Same(standing, standing.With(new RatedTrip("t1", 1), Rules));
    }

    [Fact]
    public void A_standing_changes_only_when_its_judgement_does()
    {
        var warned = Rated(5, 4, 5, 4);
        Assert.Equal(RatingStandings.Warned, warned.Standing);

        Assert.False(warned.Changed(warned.With(new RatedTrip("t8", 5), Rules))); // 4, 5, 4, 5: 4.5 again
        Assert.True(warned.Changed(warned.With(new RatedTrip("t9", 4), Rules)));  // 4, 5, 4, 4: 4.25
    }

    private static TripRatedIntegrationEvent ByRider(string tripId, int stars) => new(tripId, "r1", "d1", TripActors.Rider, stars, TestTrips.Now);

    private Ratings NewRatings() => new(_file.Database, Options.Create(Rules), Options.Create(RiderRules), TimeProvider.System);

    private async Task RateAsync(Ratings ratings, string tripId, int stars)
    {
        var rated = ByRider(tripId, stars);
        await new TripRatedHandler(ratings).HandleAsync(rated, new MessageContext($"m-{tripId}", Topics.TripRated, tripId, nameof(TripRatedIntegrationEvent), rated.At, 1), Ct);
    }

    private Task<List<TripDriverRatingStandingIntegrationEvent>> ToldAsync() =>
        _file.PublishedAsync<TripDriverRatingStandingIntegrationEvent>(Topics.TripDriverRatingStanding);

    [Fact]
    public async Task The_driver_is_told_only_when_a_rating_changes_their_standing()
    {
        var ratings = NewRatings();

        await RateAsync(ratings, "a", 5);
        await RateAsync(ratings, "b", 4);
        Assert.Empty(await ToldAsync()); // two rated trips: not judged yet
        await RateAsync(ratings, "c", 4); // 4.33: below both lines
        await RateAsync(ratings, "d", 5); // 4.5: warned
        await RateAsync(ratings, "e", 5); // 4.5 (4, 4, 5, 5): still warned, nothing new
        await RateAsync(ratings, "f", 5); // 4.75 (4, 5, 5, 5): good again

        var told = await ToldAsync();
        Assert.Equal([(RatingStandings.Good, RatingStandings.Deactivate), (RatingStandings.Deactivate, RatingStandings.Warned), (RatingStandings.Warned, RatingStandings.Good)],
            told.Select(t => (t.Previous, t.Standing)));
        Assert.Equal(("d1", 4.33, 3, 4.6, 4.5), (told[0].DriverId, told[0].Average, told[0].Rated, told[0].WarnBelow, told[0].DeactivateBelow));
        var tally = await ratings.OfDriverAsync("d1", Ct);
        Assert.Equal((6, 28L, 4), (tally!.Count, tally.Sum, tally.Recent!.Count));
    }

    [Fact]
    public async Task A_rating_delivered_again_is_neither_counted_nor_told_twice()
    {
        var ratings = NewRatings();
        await RateAsync(ratings, "a", 1);
        await RateAsync(ratings, "b", 1);
        await RateAsync(ratings, "c", 1);

        await RateAsync(ratings, "c", 1); // redelivered after a crash lost its processed-message record

        var tally = await ratings.OfDriverAsync("d1", Ct);
        Assert.Equal((3, 3L), (tally!.Count, tally.Sum));
        Assert.Single(await ToldAsync());
    }

    [Fact]
    public async Task A_tally_written_before_the_window_starts_an_empty_one()
    {
        await _file.Database.Collection<RatingTally>("driver_ratings").InsertAsync("d1", new RatingTally(200, 900), ct: Ct);
        var ratings = NewRatings();

        await RateAsync(ratings, "a", 2);

        var tally = await ratings.OfDriverAsync("d1", Ct);
        Assert.Equal((201, 902L, 1, RatingStandings.Good), (tally!.Count, tally.Sum, tally.Recent!.Count, tally.Standing));
        Assert.Empty(await ToldAsync());
    }

    [Fact]
    public void A_reinstated_driver_is_judged_again_only_from_new_ratings()
    {
        var reinstated = Rated(1, 1, 1).Reinstated();

        Assert.Equal((RatingStandings.Good, 0, 0.0), (reinstated.Standing, reinstated.Rated, reinstated.Average));
        Assert.Same(reinstated, reinstated.With(new RatedTrip("t1", 1), Rules)); // a cleared rating delivered again
        var rated = reinstated.With(new RatedTrip("n1", 5), Rules).With(new RatedTrip("n2", 5), Rules);
        Assert.Equal((RatingStandings.Good, 2, 5.0), (rated.Standing, rated.Rated, rated.Average)); // 1, 1, 1 no longer count
        var low = rated.With(new RatedTrip("n3", 1), Rules); // the window: cleared 1, then 5, 5, 1
        Assert.Equal((RatingStandings.Deactivate, 3, 3.67), (low.Standing, low.Rated, low.Average));
        Assert.Same(rated, rated.Reinstated()); // only a driver taken off the road is reinstated
    }

    private Task ApproveAsync(Ratings ratings, DateTimeOffset at, string outcome = "approved")
    {
        var approved = new DriverApprovalChangedIntegrationEvent("d1", outcome == "revoked" ? "revoked" : "approved", outcome == "revoked" ? [] : ["economy"], null, null, at, outcome);
        return new DriverReinstatedHandler(ratings, Microsoft.Extensions.Logging.Abstractions.NullLogger<DriverReinstatedHandler>.Instance)
            .HandleAsync(approved, new MessageContext($"m-{Guid.NewGuid():N}", Topics.AccountDriverApproval, "d1", nameof(DriverApprovalChangedIntegrationEvent), at, 1), Ct);
    }

    [Fact]
    public async Task Support_approving_a_driver_taken_off_the_road_starts_their_standing_afresh_and_tells_it()
    {
        var ratings = NewRatings();
        await RateAsync(ratings, "a", 1);
        await RateAsync(ratings, "b", 1);
        await RateAsync(ratings, "c", 1); // deactivate
        var deactivatedAt = (await ratings.OfDriverAsync("d1", Ct))!.StandingAt!.Value;

        await ApproveAsync(ratings, deactivatedAt.AddSeconds(5), outcome: "revoked"); // the deactivation's own approval change
        await ApproveAsync(ratings, deactivatedAt.AddSeconds(-5)); // an approval from before it, delivered late
        Assert.Equal(RatingStandings.Deactivate, (await ratings.OfDriverAsync("d1", Ct))!.Standing);

        await ApproveAsync(ratings, deactivatedAt.AddSeconds(5));
        await ApproveAsync(ratings, deactivatedAt.AddSeconds(6)); // a renewal later: nothing more

        var tally = await ratings.OfDriverAsync("d1", Ct);
        Assert.Equal((RatingStandings.Good, 0, 3, 3), (tally!.Standing, tally.Window.Rated, tally.Recent!.Count, tally.Count));
        Assert.Equal([(RatingStandings.Good, RatingStandings.Deactivate), (RatingStandings.Deactivate, RatingStandings.Good)],
            (await ToldAsync()).Select(t => (t.Previous, t.Standing)));
        await RateAsync(ratings, "c", 1); // a cleared rating redelivered: not counted
        await RateAsync(ratings, "d", 1);
        await RateAsync(ratings, "e", 2);
        Assert.Equal((5, 6L), ((await ratings.OfDriverAsync("d1", Ct))!.Count, (await ratings.OfDriverAsync("d1", Ct))!.Sum));
        await RateAsync(ratings, "f", 1); // three new ones: 1.33, off the road again
        Assert.Equal(RatingStandings.Deactivate, (await ToldAsync()).Last().Standing);
    }

    private static RatingStanding RiderRated(params int[] stars) =>
        stars.Select((s, i) => new RatedTrip($"t{i}", s)).Aggregate(RatingStanding.Empty, (w, r) => w.With(r, RiderRules));

    [Theory]
    [InlineData(new[] { 5, 4, 4, 4 }, 4.25, RatingStandings.Warned)]   // a driver's 4.25 is taken off the road; a rider's is warned
    [InlineData(new[] { 5, 4, 4, 3 }, 4.0, RatingStandings.Warned)]    // on the lower line: warned, not restricted
    [InlineData(new[] { 5, 4, 3, 3 }, 3.75, RatingStandings.Restricted)]
    [InlineData(new[] { 5, 5, 4, 4 }, 4.5, RatingStandings.Good)]
    public void A_riders_average_is_judged_against_the_riders_lines(int[] stars, double average, string standing)
    {
        var judged = RiderRated(stars);

        Assert.Equal((average, standing), (judged.Average, judged.Standing));
    }

    [Fact]
    public void A_reinstated_rider_is_judged_again_only_from_new_ratings()
    {
        var restricted = RiderRated(3, 3, 3);
        Assert.Equal(RatingStandings.Restricted, restricted.Standing);

        var reinstated = restricted.Reinstated();

        Assert.Equal((RatingStandings.Good, 0), (reinstated.Standing, reinstated.Rated));
        Assert.Same(reinstated, reinstated.With(new RatedTrip("t2", 3), RiderRules)); // a cleared rating delivered again
    }

    private static TripRatedIntegrationEvent ByDriver(string tripId, int stars) => new(tripId, "r1", "d1", TripActors.Driver, stars, TestTrips.Now);

    private async Task RateRiderAsync(Ratings ratings, string tripId, int stars)
    {
        var rated = ByDriver(tripId, stars);
        await new TripRatedHandler(ratings).HandleAsync(rated, new MessageContext($"m-{tripId}", Topics.TripRated, tripId, nameof(TripRatedIntegrationEvent), rated.At, 1), Ct);
    }

    private Task<List<TripRiderRatingStandingIntegrationEvent>> RiderToldAsync() =>
        _file.PublishedAsync<TripRiderRatingStandingIntegrationEvent>(Topics.TripRiderRatingStanding);

    [Fact]
    public async Task The_rider_is_told_only_when_a_drivers_rating_changes_their_standing_and_a_redelivery_counts_once()
    {
        var ratings = NewRatings();

        await RateRiderAsync(ratings, "a", 5);
        await RateRiderAsync(ratings, "b", 4);
        await RateRiderAsync(ratings, "c", 4); // 4.33: good
        await RateRiderAsync(ratings, "d", 4); // 4.25: warned
        await RateRiderAsync(ratings, "d", 4); // redelivered after a crash lost its processed-message record
        await RateRiderAsync(ratings, "e", 3); // 3.75 (4, 4, 4, 3): restricted

        var told = await RiderToldAsync();
        Assert.Equal([(RatingStandings.Good, RatingStandings.Warned), (RatingStandings.Warned, RatingStandings.Restricted)], told.Select(t => (t.Previous, t.Standing)));
        Assert.Equal(("r1", 3.75, 4, 4.3, 4.0), (told[1].RiderId, told[1].Average, told[1].Rated, told[1].WarnBelow, told[1].RestrictBelow));
        var tally = await ratings.OfRiderAsync("r1", Ct);
        Assert.Equal((5, 20L, 4), (tally!.Count, tally.Sum, tally.Recent!.Count));
        Assert.Empty(await ToldAsync()); // nothing on the drivers' side
    }

    [Fact]
    public async Task A_restricted_rider_is_refused_new_bookings_with_the_numbers_until_support_reinstates_them()
    {
        var clock = new FakeTimeProvider(TestTrips.Now);
        var repository = new TripRepository(_file.Database);
        var trips = TestApplications.Trips(repository, _file.Database, Options.Create(new Pricing.PricingOptions()), clock, _meters);
        var ratings = NewRatings();
        Task<Trip> BookAsync(Quote quote) => trips.BookAsync("r1", quote.Id, "economy", null, null, null, null, RideProfile.PersonalRide, withPet: false, payInCash: false,
            wheelchairAccessible: false, Ct);
        var mitte = new GeoPoint(52.52, 13.40);
        var kreuzberg = new GeoPoint(52.50, 13.45);
        var first = await trips.QuoteAsync("r1", mitte, kreuzberg, Ct);
        var booked = await BookAsync(first); // booked before the restriction: not touched
        await RateRiderAsync(ratings, "a", 4);
        await RateRiderAsync(ratings, "b", 4);
        await RateRiderAsync(ratings, "c", 3); // 3.67: restricted
        await Assert.ThrowsAsync<RiderNotRestrictedException>(() => ratings.ReinstateRiderAsync("r2", Ct));

        var quote = await trips.QuoteAsync("r1", mitte, kreuzberg, Ct); // quotes are fine
        var refused = await Assert.ThrowsAsync<RiderRatingTooLowException>(() => BookAsync(quote));

        Assert.StartsWith("Your rating 3.67 over your last 3 rated trips is below 4.00", refused.Message);
        Assert.Contains("Contact support", refused.Message);
        Assert.Equal(booked.Id, (await BookAsync(first)).Id); // the booking made before, asked again: answered as before
        var reinstated = await ratings.ReinstateRiderAsync("r1", Ct);
        Assert.Equal((RatingStandings.Good, 0, 3), (reinstated.Standing, reinstated.Window.Rated, reinstated.Count));
        Assert.Equal([(RatingStandings.Good, RatingStandings.Restricted), (RatingStandings.Restricted, RatingStandings.Good)],
            (await RiderToldAsync()).Select(t => (t.Previous, t.Standing)));
        await Assert.ThrowsAsync<RiderNotRestrictedException>(() => ratings.ReinstateRiderAsync("r1", Ct)); // again: nothing to reinstate

        await trips.CancelAsRiderAsync("r1", booked.Id, "plans changed", null, Ct);
        Assert.Equal("r1", (await BookAsync(quote)).RiderId);
    }
}
