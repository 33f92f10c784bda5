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

    /// <summary>
    /// The same settings in another group shared by every instance (<paramref name="groupId"/>): each of its messages is
    /// handled by one instance, independently of the service's main group. A partition without a committed offset
    /// (a new group, or one no message has reached yet) is read from its earliest message, so nothing published while
    /// partitions move between replicas is missed, but messages older than <see cref="SideGroupMaxAge"/> are passed
    /// over: a new group does not act on the whole of a topic's retention (a week of receipts mailed at once).
    /// </summary>
    public MessagingConsumerConfig ForGroup(string groupId) =>
        new(new ConsumerConfig(Config.ToDictionary(p => p.Key, p => p.Value))
        {
            GroupId = groupId,
            ClientId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }) { ReadyWhenJoined = true, MaxAge = SideGroupMaxAge };

    public static readonly TimeSpan SideGroupMaxAge = TimeSpan.FromDays(1);

    /// <summary>Messages older than this (by message time) are passed over unhandled, like a handled message.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>
    /// Ready once the consumer has joined its group, even with no partition of its own (more replicas than partitions):
    /// a side group must not keep a replica out of service. Otherwise ready once it holds a partition.
    /// </summary>
    public bool ReadyWhenJoined { get; init; }

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
