using UberClone.Storage;

namespace UberClone.Trips.Application;

/// <summary>What the other side thinks of a user: the count and sum of the stars they were given.</summary>
public sealed record RatingTally(int Count, long Sum)
{
    public double Average => Count == 0 ? 0 : Math.Round((double)Sum / Count, 2);
}

/// <summary>
/// Rating aggregates, kept up to date from trip.event.rated: riders' ratings of drivers (the rider's driver card) and
/// drivers' ratings of riders (the driver's rider card). One document per rated user and side.
/// </summary>
public sealed class Ratings(IDocumentDatabase database)
{
    private readonly IDocumentStore<RatingTally> _ofDrivers = database.Collection<RatingTally>("driver_ratings");
    private readonly IDocumentStore<RatingTally> _ofRiders = database.Collection<RatingTally>("rider_ratings");

    public async Task<RatingTally?> OfDriverAsync(string driverId, CancellationToken ct) => (await _ofDrivers.GetAsync(driverId, ct))?.Document;

    public async Task<RatingTally?> OfRiderAsync(string riderId, CancellationToken ct) => (await _ofRiders.GetAsync(riderId, ct))?.Document;

    public Task RecordForDriverAsync(string driverId, int stars, CancellationToken ct) => RecordAsync(_ofDrivers, driverId, stars, ct);

    public Task RecordForRiderAsync(string riderId, int stars, CancellationToken ct) => RecordAsync(_ofRiders, riderId, stars, ct);

    private static async Task RecordAsync(IDocumentStore<RatingTally> tallies, string userId, int stars, CancellationToken ct)
    {
        var updated = await tallies.UpdateAsync(userId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        if (updated is not null) return;
        try
        {
            await tallies.InsertAsync(userId, new RatingTally(1, stars), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await tallies.UpdateAsync(userId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        }
    }
}
