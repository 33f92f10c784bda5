using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.Messaging.Consuming;

/// <summary>
/// Whether this service's consumer has joined its group and received partitions. Until then a consumer that
/// starts from the latest offset (the gateway's realtime forwarding) would miss events, so the service is not
/// ready: the AppHost and Kubernetes wait for /health. For the instance handlers' consumer
/// (<see cref="InstanceHealthCheckName"/>): whether it has read its replay up to the end of every partition, so a new
/// replica answers from the recent past, not from an empty memory; the group consumer joins its group only then
/// (<see cref="WhenReady"/>), so it handles no message before that memory is filled either.
/// </summary>
public sealed class ConsumerReadiness(string notReady) : IHealthCheck
{
    public const string HealthCheckName = "kafka-consumer-assigned";
    public const string InstanceHealthCheckName = "kafka-instance-replayed";

    // Continuations run on the pool, never inline on the consumer thread that marks it ready.
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsumerReadiness() : this("The Kafka consumer has not been assigned partitions yet.")
    {
    }

    internal void MarkReady() => _ready.TrySetResult();

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes when the consumer becomes ready; it never becomes unready again.</summary>
    internal Task WhenReady => _ready.Task;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsReady
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(notReady));
}

/// <summary>
/// The instance consumer's <see cref="ConsumerReadiness"/>, under a type of its own so the group consumer can be given
/// it (and wait for it) without mistaking it for its own readiness.
/// </summary>
internal sealed class InstanceReplayReadiness(ConsumerReadiness replayed)
{
    public ConsumerReadiness Replayed { get; } = replayed;
}
