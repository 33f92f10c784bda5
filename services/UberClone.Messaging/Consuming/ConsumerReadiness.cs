using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.Messaging.Consuming;

/// <summary>
/// Whether this service's consumer has joined its group and received partitions. Until then a consumer that
/// starts from the latest offset (the gateway's realtime forwarding) would miss events, so the service is not
/// ready: the AppHost and Kubernetes wait for /health.
/// </summary>
public sealed class ConsumerReadiness : IHealthCheck
{
    public const string HealthCheckName = "kafka-consumer-assigned";
    private volatile bool _ready;

    internal void MarkReady() => _ready = true;

    public bool IsReady => _ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The Kafka consumer has not been assigned partitions yet."));
}
