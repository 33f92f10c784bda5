namespace UberClone.Messaging.Embedded;

public sealed record EmbeddedKafkaOptions
{
    /// <summary>Address clients use (bootstrap and advertised). Port 0 = a random free port.</summary>
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 9092;
    public int Partitions { get; init; } = 4;
    /// <summary>Topics created at start (a consumer subscribing to a missing topic does not create it on the mock).</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];
}

/// <summary>librdkafka's mock cluster hosted in this process, reachable on a fixed address through a TCP forwarder.</summary>
public sealed class EmbeddedKafkaBroker : IAsyncDisposable
{
    private EmbeddedKafkaBroker() { }

    /// <summary>host:port, no scheme: the value of ConnectionStrings__kafka.</summary>
    public string BootstrapServers => throw new NotImplementedException("filled in by the Messaging work");

    public static Task<EmbeddedKafkaBroker> StartAsync(EmbeddedKafkaOptions options, CancellationToken ct = default)
        => throw new NotImplementedException("filled in by the Messaging work");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
