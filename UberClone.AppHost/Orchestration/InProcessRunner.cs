using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.AppHost.Orchestration;

/// <summary>Resources without a process of their own: hosted inside the AppHost (embedded Kafka) or merely described (an external server, a database).</summary>
internal sealed class InProcessRunner(IResource resource) : IResourceRunner
{
    public IReadOnlyList<int> ProcessIds => [];

    public Task StartAsync(CancellationToken cancellationToken) =>
        resource is IHostedResource hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) =>
        resource is IResourceWithHealthCheck withHealthCheck
            ? withHealthCheck.CheckHealthAsync(cancellationToken)
            : Task.FromResult(HealthCheckResult.Healthy());

    public Task StopAsync() =>
        resource is IHostedResource hosted ? hosted.StopAsync(CancellationToken.None) : Task.CompletedTask;
}
