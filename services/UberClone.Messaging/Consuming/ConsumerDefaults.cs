using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace UberClone.Messaging.Consuming;

/// <summary>The consumer configuration: bound from Aspire:Confluent:Kafka:Consumer like any Kafka client, then completed.</summary>
internal sealed record MessagingConsumerConfig(ConsumerConfig Config)
{
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
