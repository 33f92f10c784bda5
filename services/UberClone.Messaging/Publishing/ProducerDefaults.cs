using Confluent.Kafka;

namespace UberClone.Messaging.Publishing;

internal static class ProducerDefaults
{
    /// <summary>No loss, no duplicates from retries, order kept per key; anything set in configuration wins.</summary>
    public static void Apply(ProducerConfig config, MessagingOptions options)
    {
        config.EnableIdempotence ??= true;
        config.Acks ??= Acks.All;
        config.CompressionType ??= CompressionType.Zstd;
        // Batches messages published within a few ms of each other (the outbox relay's bursts) at a small latency cost.
        config.LingerMs ??= 5;
        config.ClientId ??= options.GroupId;
    }
}
