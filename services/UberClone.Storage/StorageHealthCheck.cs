using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.Storage;

internal sealed class StorageHealthCheck(IDocumentDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("Storage ping failed.", e);
        }
    }
}
