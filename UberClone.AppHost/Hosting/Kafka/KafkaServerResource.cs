using Aspire.Hosting.ApplicationModel;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UberClone.Messaging.Embedded;

namespace Aspire.Hosting.Kafka;

/// <summary>
/// A Kafka broker: an existing one given by ConnectionStrings:{name}, or librdkafka's mock cluster hosted inside the
/// AppHost (shared/EMBEDDED-KAFKA.md). Healthy when a produce succeeds, which is what services need of it.
/// </summary>
public sealed class KafkaServerResource : Resource, IResourceWithConnectionString, IResourceWithEndpoints,
    IResourceWithReferenceEnvironment, IResourceWithHealthCheck, IHostedResource
{
    public const string PrimaryEndpointName = "tcp";

    /// <summary>The topic the health check produces to (the one AspNetCore.HealthChecks.Kafka uses for Aspire).</summary>
    public const string HealthCheckTopic = "healthchecks-topic";

    private readonly string? _externalConnectionString;
    private TaskCompletionSource<string> _connectionString = NewConnectionStringSource();
    private EmbeddedKafkaBroker? _broker;

    internal KafkaServerResource(string name, string? externalConnectionString) : base(name)
    {
        _externalConnectionString = externalConnectionString;
        if (externalConnectionString is not null)
        {
            _connectionString.SetResult(externalConnectionString);
        }
    }

    public bool IsEmbedded => _externalConnectionString is null;

    /// <summary>Created on the embedded broker at start, so consumers subscribing before any produce find them.</summary>
    public List<string> Topics { get; } = [];

    /// <summary>host:port, no scheme. Waits for the embedded broker to start.</summary>
    public async ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default) =>
        await _connectionString.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// An empty fetch on the mock waits the full fetch.wait.max.ms (500 ms by default) even when data arrives: 50 ms keeps
    /// a hop's wait unnoticed while an idle consumer asks 20 times a second, not 100 (ADR 0057).
    /// </summary>
    public ValueTask ApplyReferenceEnvironmentAsync(EnvironmentCallbackContext context)
    {
        if (IsEmbedded)
        {
            context.EnvironmentVariables["Aspire__Confluent__Kafka__Consumer__Config__FetchWaitMaxMs"] = "50";
        }
        return ValueTask.CompletedTask;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsEmbedded)
        {
            return;
        }
        var endpoint = Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint
            ?? throw new InvalidOperationException($"Kafka '{Name}' has no port allocated.");
        try
        {
            _broker = await EmbeddedKafkaBroker.StartAsync(new EmbeddedKafkaOptions
            {
                Host = endpoint.Address,
                Port = endpoint.Port,
                Topics = [.. Topics.Append(HealthCheckTopic).Distinct()],
            }, cancellationToken);
            _connectionString.TrySetResult(_broker.BootstrapServers);
        }
        catch (Exception ex)
        {
            // Clients waiting for the address learn why; a later start gets a fresh chance.
            _connectionString.TrySetException(ex);
            _connectionString = NewConnectionStringSource();
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_broker is { } broker)
        {
            _broker = null;
            _connectionString = NewConnectionStringSource();
            await broker.DisposeAsync();
        }
    }

    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var bootstrapServers = await GetConnectionStringAsync(cancellationToken);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
            {
                BootstrapServers = bootstrapServers,
                MessageTimeoutMs = 3000,
                SocketTimeoutMs = 3000,
            })
            // An unreachable broker is an expected answer here, not something to print.
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        try
        {
            await producer.ProduceAsync(HealthCheckTopic, new Message<Null, string> { Value = "health" }, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (ProduceException<Null, string> ex)
        {
            return HealthCheckResult.Unhealthy($"produce to {bootstrapServers} failed: {ex.Error.Reason}");
        }
    }

    private static TaskCompletionSource<string> NewConnectionStringSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
