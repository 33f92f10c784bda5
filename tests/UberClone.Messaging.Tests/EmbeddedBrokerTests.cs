using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using UberClone.Messaging.Embedded;
using UberClone.Messaging.Tests.Infrastructure;

namespace UberClone.Messaging.Tests;

public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Embedded_broker_serves_metadata_with_precreated_topics()
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync(new EmbeddedKafkaOptions
        {
            Port = 0,
            Partitions = 3,
            Topics = ["meta.a", "meta.b"],
        }, TestContext.Current.CancellationToken);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));

        var advertised = Assert.Single(metadata.Brokers);
        Assert.Equal(broker.BootstrapServers, $"{advertised.Host}:{advertised.Port}");
        Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "meta.a").Partitions.Count);
        Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "meta.b").Partitions.Count);
    }

    [Fact]
    public async Task Embedded_broker_on_a_taken_port_says_so()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                EmbeddedKafkaBroker.StartAsync(new EmbeddedKafkaOptions { Port = port }, TestContext.Current.CancellationToken));
            Assert.StartsWith($"127.0.0.1:{port} is in use", error.Message);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task Embedded_broker_round_trips_a_message_through_its_forwarded_port()
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync(
            new EmbeddedKafkaOptions { Port = 0, Topics = ["roundtrip"] }, TestContext.Current.CancellationToken);
        using var producer = Kafka.Producer(broker);

        await producer.ProduceAsync("roundtrip", new Message<string, byte[]> { Key = "k", Value = [1, 2, 3] },
            TestContext.Current.CancellationToken);

        var read = Assert.Single(await Kafka.ReadAsync(broker, "roundtrip", 1));
        Assert.Equal([1, 2, 3], read.Message.Value);
    }
}
