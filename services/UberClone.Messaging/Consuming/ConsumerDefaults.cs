using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace UberClone.Messaging.Consuming;

/// <summary>The consumer configuration: bound from Aspire:Confluent:Kafka:Consumer like any Kafka client, then completed.</summary>
internal sealed record MessagingConsumerConfig(ConsumerConfig Config)
{
    /// <summary>
    /// Set for a consumer of this instance alone: on every start it reads from this long ago (by message time),
    /// whatever it read before, and commits nothing.
    /// </summary>
    public TimeSpan? Replay { get; init; }

    /// <summary>
    /// The same cluster settings in a group of this instance alone (<c>{group}-{instance}</c>), so it receives every
    /// partition: each replica of the service sees every message.
    /// </summary>
    public MessagingConsumerConfig ForInstance(string instanceId, TimeSpan replay)
    {
        var config = new ConsumerConfig(Config.ToDictionary(p => p.Key, p => p.Value))
        {
            GroupId = $"{Config.GroupId}-{instanceId}",
            ClientId = $"{Config.GroupId}-{instanceId}",
            AutoOffsetReset = AutoOffsetReset.Latest,
            EnableAutoCommit = false,
            // The end of each partition tells when the replay has been read (readiness).
            EnablePartitionEof = true,
        };
        return new MessagingConsumerConfig(config) { Replay = replay };
    }

    public static MessagingConsumerConfig From(KafkaConsumerSettings settings, MessagingOptions options)
    {
        var config = settings.Config;
        config.BootstrapServers ??= settings.ConnectionString;
        config.GroupId = options.GroupId;
        config.ClientId ??= options.GroupId;
        // Local-friendly defaults; anything set in configuration wins.
        config.SessionTimeoutMs ??= 6000;
        config.PartitionAssignmentStrategy ??= PartitionAssignmentStrategy.CooperativeSticky;
        config.AutoOffsetReset ??= options.StartFromLatest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
        // Not overridable: the host stores an offset only once its message is handled or dead-lettered, and
        // librdkafka commits exactly those stored offsets (periodically, on revocation and on close).
        config.EnableAutoOffsetStore = false;
        config.EnableAutoCommit = true;
        return new MessagingConsumerConfig(config);
    }
}
