using System.Net;
using System.Net.Sockets;

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
    private const int BrokerId = 1; // the mock numbers its brokers from 1
    private const int ReplicationFactor = 1;

    private readonly IntPtr _client;
    private readonly IntPtr _cluster;
    private readonly TcpForwarder _forwarder;
    private int _disposed;

    private EmbeddedKafkaBroker(IntPtr client, IntPtr cluster, TcpForwarder forwarder, string host)
    {
        _client = client;
        _cluster = cluster;
        _forwarder = forwarder;
        BootstrapServers = $"{host}:{forwarder.Port}";
    }

    /// <summary>host:port, no scheme: the value of ConnectionStrings__kafka.</summary>
    public string BootstrapServers { get; }

    public static Task<EmbeddedKafkaBroker> StartAsync(EmbeddedKafkaOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Partitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ct.ThrowIfCancellationRequested();

        // The public port is claimed first so a clash fails before anything native is created.
        var forwarder = BindForwarder(options.Host, options.Port);
        var client = IntPtr.Zero;
        var cluster = IntPtr.Zero;
        try
        {
            client = LibRdKafka.NewHostHandle();
            cluster = LibRdKafka.rd_kafka_mock_cluster_new(client, 1);
            if (cluster == IntPtr.Zero)
            {
                throw new InvalidOperationException("librdkafka could not create its mock cluster.");
            }
            LibRdKafka.rd_kafka_mock_set_controller_id(cluster, BrokerId);
            // Without this every new consumer group waits 3 s before its first assignment.
            LibRdKafka.rd_kafka_mock_group_initial_rebalance_delay_ms(cluster, 0);
            // Clients learn broker addresses from metadata: advertise the forwarder, never the mock's random port.
            LibRdKafka.rd_kafka_mock_broker_set_host_port(cluster, BrokerId, options.Host, forwarder.Port);
            CreateTopics(cluster, options);
            forwarder.Start(MockEndpoint(LibRdKafka.Bootstraps(cluster)));
            return Task.FromResult(new EmbeddedKafkaBroker(client, cluster, forwarder, options.Host));
        }
        catch
        {
            forwarder.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (cluster != IntPtr.Zero) LibRdKafka.rd_kafka_mock_cluster_destroy(cluster);
            if (client != IntPtr.Zero) LibRdKafka.rd_kafka_destroy(client);
            throw;
        }
    }

    private static TcpForwarder BindForwarder(string host, int port)
    {
        var address = IPAddress.TryParse(host, out var parsed)
            ? parsed
            : Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        try
        {
            return TcpForwarder.Bind(address, port);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"{host}:{port} is in use: stop the other broker or set EmbeddedKafkaOptions.Port to a free port (0 = a random one).", ex);
        }
    }

    private static void CreateTopics(IntPtr cluster, EmbeddedKafkaOptions options)
    {
        foreach (var topic in options.Topics.Distinct(StringComparer.Ordinal))
        {
            var error = LibRdKafka.rd_kafka_mock_topic_create(cluster, topic, options.Partitions, ReplicationFactor);
            if (error != 0)
            {
                throw new InvalidOperationException($"The embedded broker could not create topic '{topic}': {LibRdKafka.ErrorName(error)}.");
            }
        }
    }

    /// <summary>The mock reports "127.0.0.1:port" (one entry per broker; there is one).</summary>
    private static IPEndPoint MockEndpoint(string bootstraps)
    {
        var first = bootstraps.Split(',')[0];
        return IPEndPoint.TryParse(first, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Unexpected mock cluster address '{bootstraps}'.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _forwarder.DisposeAsync();
        LibRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
        LibRdKafka.rd_kafka_destroy(_client);
    }
}
