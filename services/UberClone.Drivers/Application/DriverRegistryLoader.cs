using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Application;

/// <summary>At start, rebuilds the in-memory view of online drivers from the store (positions refresh with the next pings).</summary>
public sealed class DriverRegistryLoader(DriverRepository repository, DriverRegistry registry, ILogger<DriverRegistryLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var state in new[] { DriverStates.Available, DriverStates.Offered, DriverStates.OnTrip })
        {
            await foreach (var driver in repository.Drivers.QueryAllAsync("state", state, cancellationToken))
            {
                registry.Apply(driver.Document); // every replica loads the same records: nothing to announce
                count++;
            }
        }
        logger.LogInformation("Loaded {Count} online drivers from storage", count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
