using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Applies the fixes another drivers replica accepted to this replica's geo index (instance handler, own messages
/// skipped). A fix of a driver this view does not know, or knows at an older revision than the sender's, means a
/// state announcement was missed: the driver's record is read from the store, then the fix applied.
/// </summary>
public sealed class DriverPositionsHandler(DriverRegistry registry, DriverRepository repository) : IMessageHandler<DriverFixBatch>
{
    public async Task HandleAsync(DriverFixBatch batch, MessageContext context, CancellationToken ct)
    {
        var behind = registry.ApplyFixes(batch.Fixes ?? []);
        if (behind.Count == 0) return;
        foreach (var fix in behind)
        {
            if ((await repository.Drivers.GetAsync(fix.DriverId, ct))?.Document is { } stored) registry.Apply(stored);
        }
        registry.ApplyFixes(behind, catchUp: false);
    }
}
