using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Applies the fixes another drivers replica accepted to this replica's geo index (instance handler, own messages
/// skipped). A fix of a driver this view does not know, or knows at an older revision than the sender's, means a
/// state announcement was missed: those drivers' records are read from the store (one read per batch), then the
/// fixes applied. A record that cannot be read is logged and its driver's fix dropped, not the batch.
/// </summary>
public sealed class DriverPositionsHandler(DriverRegistry registry, DriverRepository repository, ILogger<DriverPositionsHandler> logger)
    : IMessageHandler<DriverFixBatch>
{
    public async Task HandleAsync(DriverFixBatch batch, MessageContext context, CancellationToken ct)
    {
        var behind = registry.ApplyFixes(batch.Fixes ?? []);
        if (behind.Count == 0) return;
        foreach (var ids in behind.Select(f => f.DriverId).Distinct().Chunk(DocumentBatches.MaxIdsPerGet))
        {
            var records = await repository.Drivers.GetReadableAsync(ids, (driverId, ex) =>
                logger.LogError(ex, "Driver {DriverId}'s stored record cannot be read; their fix is not applied", driverId), ct);
            foreach (var stored in records.Values) registry.Apply(stored.Document);
        }
        registry.ApplyFixes(behind, catchUp: false);
    }
}
