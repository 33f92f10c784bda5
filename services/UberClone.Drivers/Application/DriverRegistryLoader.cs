using UberClone.Drivers.Domain;
using UberClone.Storage;

namespace UberClone.Drivers.Application;

/// <summary>At start, rebuilds the in-memory view of online drivers from the store (positions refresh with the next pings).</summary>
public sealed class DriverRegistryLoader(DriverRepository repository, DriverRegistry registry, ILogger<DriverRegistryLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var page = new List<Driver>(DocumentBatches.MaxIdsPerGet);
        foreach (var state in new[] { DriverStates.Available, DriverStates.Offered, DriverStates.OnTrip })
        {
            await foreach (var driver in repository.Drivers.QueryAllAsync("state", state, cancellationToken))
            {
                page.Add(driver.Document);
                if (page.Count == DocumentBatches.MaxIdsPerGet) count += await ApplyAsync(page, cancellationToken);
            }
        }
        count += await ApplyAsync(page, cancellationToken);
        logger.LogInformation("Loaded {Count} online drivers from storage", count);
    }

    /// <summary>Keeps the page's drivers with their last stored positions (read in one read), then empties the page.</summary>
    private async Task<int> ApplyAsync(List<Driver> page, CancellationToken ct)
    {
        var positions = await repository.Positions.GetReadableAsync(page.Select(d => d.Id).ToArray(), (driverId, ex) =>
            logger.LogError(ex, "Driver {DriverId}'s stored position cannot be read; their record's is used", driverId), ct);
        // Every replica loads the same records: nothing to announce.
        foreach (var driver in page) registry.Apply(driver.WithStoredPosition(positions.GetValueOrDefault(driver.Id)?.Document));
        var count = page.Count;
        page.Clear();
        return count;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
