using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using UberClone.Messaging.Embedded;

namespace UberClone.Messaging.Tests.Infrastructure;

/// <summary>Plain Confluent clients, to look at topics from outside the library under test.</summary>
public static class Kafka
{
    public static async Task<EmbeddedKafkaBroker> StartBrokerAsync(params string[] topics) =>
        await EmbeddedKafkaBroker.StartAsync(
            new EmbeddedKafkaOptions { Port = 0, Partitions = 4, Topics = topics },
            TestContext.Current.CancellationToken);

    /// <summary>
    /// A message with the given time, as an earlier run of the platform would have left it on the topic; written by
    /// a plain producer, it has no headers (no publisher-instance either, like one from kcat).
    /// </summary>
    public static async Task ProduceAtAsync(EmbeddedKafkaBroker broker, string topic, Ping data, DateTimeOffset at)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(
            new MessageEnvelope<Ping>(Guid.NewGuid().ToString("N"), "Ping", MessageEnvelope.CurrentVersion, at, "key", data), MessageEnvelope.SerializerOptions);
        await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "key", Value = envelope, Timestamp = new Timestamp(at) },
            TestContext.Current.CancellationToken);
    }

    /// <summary>The first <paramref name="count"/> messages of a topic, read by a fresh group from the start.</summary>
    public static Task<List<ConsumeResult<string, byte[]>>> ReadAsync(EmbeddedKafkaBroker broker, string topic, int count, TimeSpan? timeout = null) =>
        Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = broker.BootstrapServers,
                GroupId = TestHosts.Unique("reader"),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                FetchWaitMaxMs = 10,
            }).Build();
            consumer.Subscribe(topic);
            var deadline = DateTime.UtcNow + (timeout ?? Deadlines.Message);
            var results = new List<ConsumeResult<string, byte[]>>();
            while (results.Count < count && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
                {
                    results.Add(result);
                }
            }
            consumer.Close();
            Assert.True(results.Count == count, $"Read {results.Count} of {count} messages from {topic}.");
            return results;
        });

    public static IProducer<string, byte[]> Producer(EmbeddedKafkaBroker broker) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();

    /// <summary>The offset the group has committed on a partition, or null if none.</summary>
    public static long? Committed(EmbeddedKafkaBroker broker, string groupId, TopicPartition partition)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
        }).Build();
        var offset = consumer.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset;
        return offset == Offset.Unset ? null : offset.Value;
    }

    /// <summary>How many messages a topic holds (all partitions).</summary>
    public static long Count(EmbeddedKafkaBroker broker, string topic, int partitions = 4)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = TestHosts.Unique("counter"),
        }).Build();
        return Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)))
            .Sum(w => w.High.Value - w.Low.Value);
    }

    public static string Header(ConsumeResult<string, byte[]> result, string key) =>
        result.Message.Headers.TryGetLastBytes(key, out var value)
            ? Encoding.UTF8.GetString(value)
            : throw new Xunit.Sdk.XunitException($"Header '{key}' is missing.");
}
