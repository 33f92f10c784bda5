using System.Text.Json;
using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

public sealed class DriverRepository(IDocumentDatabase database)
{
    public IDocumentStore<Driver> Drivers { get; } = database.Collection<Driver>("drivers", "state");
    public IDocumentStore<TripDispatch> Dispatches { get; } = database.Collection<TripDispatch>("dispatches", "status", TripDispatch.DueField);

    /// <summary>
    /// The stored records of these drivers (at most <see cref="DocumentBatches.MaxIdsPerGet"/>), in one read. If one of
    /// them cannot be read (not valid JSON) they are read one by one and each unreadable one is left out and handed to
    /// <paramref name="unreadable"/>: retrying cannot help, and one bad record must not fail the work of a whole batch
    /// (the stored-position writer's, the positions feed's), every time that driver is in one.
    /// </summary>
    public async Task<Dictionary<string, Versioned<Driver>>> GetReadableAsync(
        IReadOnlyCollection<string> driverIds, Action<string, JsonException> unreadable, CancellationToken ct)
    {
        try
        {
            return (await Drivers.GetManyAsync(driverIds, ct)).ToDictionary(d => d.Id);
        }
        catch (JsonException)
        {
            var records = new Dictionary<string, Versioned<Driver>>(driverIds.Count);
            foreach (var driverId in driverIds)
            {
                try
                {
                    if (await Drivers.GetAsync(driverId, ct) is { } stored) records[driverId] = stored;
                }
                catch (JsonException ex)
                {
                    unreadable(driverId, ex);
                }
            }
            return records;
        }
    }
}
