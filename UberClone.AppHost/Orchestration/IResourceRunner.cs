using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.AppHost.Orchestration;

/// <summary>How one resource is started, probed and stopped; the orchestrator owns its states and waits.</summary>
internal interface IResourceRunner
{
    /// <summary>Returns once the resource runs (its process started); readiness is <see cref="CheckHealthAsync"/>'s job.</summary>
    Task StartAsync(CancellationToken cancellationToken);
    Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken);
    Task StopAsync();
    IReadOnlyList<int> ProcessIds { get; }
}
