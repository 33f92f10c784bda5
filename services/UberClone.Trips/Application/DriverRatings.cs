using UberClone.Storage;

namespace UberClone.Trips.Application;

/// <summary>What riders think of a driver: the count and sum of the stars riders gave them.</summary>
public sealed record DriverRating(string DriverId, int Count, long Sum)
{
    public double Average => Count == 0 ? 0 : Math.Round((double)Sum / Count, 2);
}

/// <summary>Driver rating aggregates, kept up to date from trip.event.rated (riders' ratings only).</summary>
public sealed class DriverRatings(IDocumentDatabase database)
{
    private readonly IDocumentStore<DriverRating> _ratings = database.Collection<DriverRating>("driver_ratings");

    public async Task<DriverRating?> GetAsync(string driverId, CancellationToken ct) => (await _ratings.GetAsync(driverId, ct))?.Document;

    public async Task RecordAsync(string driverId, int stars, CancellationToken ct)
    {
        var updated = await _ratings.UpdateAsync(driverId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        if (updated is not null) return;
        try
        {
            await _ratings.InsertAsync(driverId, new DriverRating(driverId, 1, stars), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await _ratings.UpdateAsync(driverId, r => r with { Count = r.Count + 1, Sum = r.Sum + stars }, ct: ct);
        }
    }
}
