using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.Messaging.Consuming;

/// <summary>
/// Whether this service's consumer has joined its group and received partitions. Until then a consumer that
/// starts from the latest offset (the gateway's realtime forwarding) would miss events, so the service is not
/// ready: the AppHost and Kubernetes wait for /health. For the instance handlers' consumer
/// (<see cref="InstanceHealthCheckName"/>): whether it has read its replay up to the end of every partition, so a new
/// replica answers from the recent past, not from an empty memory.
/// </summary>
public sealed class ConsumerReadiness(string notReady) : IHealthCheck
{
    public const string HealthCheckName = "kafka-consumer-assigned";
    public const string InstanceHealthCheckName = "kafka-instance-replayed";
    private volatile bool _ready;

    public ConsumerReadiness() : this("The Kafka consumer has not been assigned partitions yet.")
    {
    }

    internal void MarkReady() => _ready = true;

    public bool IsReady => _ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(notReady));
}
