using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace UberClone.Messaging.Consuming;

/// <summary>
/// The service's one consumer: subscribed to every topic with a handler, polled by one loop on a dedicated thread,
/// one message at a time (so each key's messages are handled in order). When the service has instance handlers, the
/// group consumer is given their <paramref name="instanceReplay"/> and joins its group only once that replay is read:
/// a replica that took partitions earlier would handle them (dispatch a trip) from a memory still empty.
/// An instance consumer is given the <paramref name="ownMessages"/> its handlers skip; the group consumer keeps
/// <paramref name="ownership"/> (which partitions this replica holds) up to date.
/// </summary>
internal sealed class KafkaConsumerHost(
    MessagingConsumerConfig config,
    IEnumerable<MessageHandlerRegistration> registrations,
    MessageProcessor processor,
    ConsumerReadiness readiness,
    ILogger<KafkaConsumerHost> logger,
    InstanceReplayReadiness? instanceReplay = null,
    OwnMessages? ownMessages = null,
    PartitionOwnership? ownership = null) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, MessageHandlerRegistration> _handlers = registrations.ToDictionary(r => r.Topic);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_handlers.Count == 0)
        {
            readiness.MarkReady();
            return Task.CompletedTask;
        }
        // Consume blocks inside librdkafka; a thread of its own keeps that off the thread pool.
        return Task.Factory.StartNew(
            () => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Never lets a failure stop the host: the consumer is rebuilt and resumes from the committed offsets.</summary>
    private void Run(CancellationToken stopping)
    {
        if (!WaitForInstanceReplay(stopping))
        {
            return;
        }
        logger.LogInformation("Consumer group {GroupId} subscribing to {Topics}.", config.Config.GroupId, _handlers.Keys);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                ConsumeUntilStopped(stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(ex, "The Kafka consumer of group {GroupId} failed; a new one starts in {Delay}.",
                    config.Config.GroupId, RestartDelay);
                stopping.WaitHandle.WaitOne(RestartDelay);
            }
        }
    }

    /// <summary>
    /// Until the instance replay is read, the group's partitions stay with the replicas already running, which can
    /// handle them; false if the service stops first.
    /// </summary>
    private bool WaitForInstanceReplay(CancellationToken stopping)
    {
        if (instanceReplay is null || instanceReplay.Replayed.IsReady)
        {
            return true;
        }
        logger.LogInformation("Waiting for the instance replay before joining group {GroupId}.", config.Config.GroupId);
        try
        {
            instanceReplay.Replayed.WhenReady.Wait(stopping);
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private void ConsumeUntilStopped(CancellationToken stopping)
    {
        using var consumer = BuildConsumer();
        consumer.Subscribe(_handlers.Keys);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (ConsumeNext(consumer, stopping) is not { } result)
                {
                    continue;
                }
                // Passed like a handled message: its offset is stored, and the partition's end (replay read) still comes.
                if (IsBeforeReplay(result) || IsTooOld(result) || ownMessages?.Contains(result) == true)
                {
                    StoreOffset(consumer, result);
                    continue;
                }
                processor.ProcessAsync(result, _handlers[result.Topic], config.Config.GroupId, stopping).GetAwaiter().GetResult();
                StoreOffset(consumer, result);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // A message interrupted by shutdown keeps its offset unstored, so it is delivered again.
        }
        finally
        {
            Close(consumer);
        }
    }

    private ConsumeResult<string, byte[]>? ConsumeNext(IConsumer<string, byte[]> consumer, CancellationToken stopping)
    {
        try
        {
            var result = consumer.Consume(stopping);
            if (result is { IsPartitionEOF: true }) ReachedEnd(result.TopicPartition);
            return result is null || result.IsPartitionEOF ? null : result;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            // A missing topic, a broker that is away: librdkafka recovers by itself, so keep polling.
            logger.LogWarning("Kafka consume error {Code}: {Reason}", ex.Error.Code, ex.Error.Reason);
            return null;
        }
    }

    private void StoreOffset(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result)
    {
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException ex)
        {
            // The partition was taken away while the message was handled; its new owner receives it again.
            logger.LogWarning("Could not store the offset of {Topic} [{Partition}] @{Offset}: {Reason}",
                result.Topic, result.Partition.Value, result.Offset.Value, ex.Error.Reason);
        }
    }

    /// <summary>Commits the stored offsets and leaves the group, so the partitions move to other members at once.</summary>
    private void Close(IConsumer<string, byte[]> consumer)
    {
        try
        {
            consumer.Close();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The Kafka consumer of group {GroupId} did not close cleanly.", config.Config.GroupId);
        }
    }

    private IConsumer<string, byte[]> BuildConsumer() =>
        new ConsumerBuilder<string, byte[]>(config.Config)
            .SetErrorHandler((_, error) => logger.Log(LevelOf(error),
                "Kafka consumer error {Code}: {Reason}", error.Code, error.Reason))
            .SetLogHandler((_, message) => logger.Log(LevelOf(message.Level),
                "librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .SetPartitionsAssignedHandler((consumer, partitions) =>
            {
                logger.LogInformation("Assigned {Partitions}.", Describe(partitions));
                if (config.Replay is null && (partitions.Count > 0 || config.ReadyWhenJoined)) readiness.MarkReady();
                if (config.Replay is not null) lock (_replaying) _replaying.UnionWith(partitions);
                foreach (var topic in partitions.GroupBy(p => p.Topic)) ownership?.Assign(topic.Key, topic.Select(p => p.Partition.Value));
                return StartOffsets(consumer, partitions);
            })
            // librdkafka commits the stored offsets of revoked partitions itself (auto-commit), before they move.
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                logger.LogInformation("Revoked {Partitions}.", Describe(partitions));
                foreach (var topic in partitions.GroupBy(p => p.Topic)) ownership?.Revoke(topic.Key, topic.Select(p => p.Partition.Value));
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                logger.LogWarning("Lost {Partitions}; their uncommitted messages will be redelivered.", Describe(partitions));
                foreach (var topic in partitions.GroupBy(p => p.Topic)) ownership?.Revoke(topic.Key, topic.Select(p => p.Partition.Value));
            })
            .Build();

    /// <summary>
    /// Where newly assigned partitions start: the group's committed offsets (else auto.offset.reset), or for a replaying
    /// consumer the first message at most <see cref="MessagingConsumerConfig.Replay"/> old. A broker that cannot look
    /// offsets up by time (the embedded one answers "end" for every time) is read from at most
    /// <see cref="MaxReplayPerPartition"/> messages back, and the older ones among them are skipped by their time.
    /// </summary>
    private IEnumerable<TopicPartitionOffset> StartOffsets(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions)
    {
        if (config.Replay is not { } replay || partitions.Count == 0) return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset));
        var since = DateTimeOffset.UtcNow - replay;
        _replaySince = since;
        try
        {
            var found = consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p, new Timestamp(since))), ReplayLookupTimeout);
            return found.Select(p => p.Offset != Offset.End ? p : new TopicPartitionOffset(p.TopicPartition, RecentStart(consumer, p.TopicPartition))).ToList();
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("Could not find the offsets of {Since:O} ({Reason}); reading only new messages.", since, ex.Error.Reason);
            return partitions.Select(p => new TopicPartitionOffset(p, Offset.End));
        }
    }

    private static Offset RecentStart(IConsumer<string, byte[]> consumer, TopicPartition partition)
    {
        var marks = consumer.QueryWatermarkOffsets(partition, ReplayLookupTimeout);
        return new Offset(Math.Max(marks.Low.Value, marks.High.Value - MaxReplayPerPartition));
    }

    /// <summary>Partitions a replaying consumer has not yet read to their end; once none is left, it is ready.</summary>
    private readonly HashSet<TopicPartition> _replaying = [];

    private void ReachedEnd(TopicPartition partition)
    {
        if (config.Replay is null || readiness.IsReady) return;
        lock (_replaying)
        {
            if (!_replaying.Remove(partition) || _replaying.Count > 0) return;
        }
        logger.LogInformation("Read the last {Replay} of {Topics}: ready.", config.Replay, _handlers.Keys);
        readiness.MarkReady();
    }

    /// <summary>A replaying consumer skips messages older than this (set when its partitions are assigned).</summary>
    private DateTimeOffset? _replaySince;

    private bool IsBeforeReplay(ConsumeResult<string, byte[]> result) =>
        _replaySince is { } since && result.Message.Timestamp.Type != TimestampType.NotAvailable && result.Message.Timestamp.UtcDateTime < since.UtcDateTime;

    private bool IsTooOld(ConsumeResult<string, byte[]> result) =>
        config.MaxAge is { } maxAge && result.Message.Timestamp.Type != TimestampType.NotAvailable
        && result.Message.Timestamp.UtcDateTime < DateTime.UtcNow - maxAge;

    private const long MaxReplayPerPartition = 100_000;
    private static readonly TimeSpan ReplayLookupTimeout = TimeSpan.FromSeconds(10);

    private static string Describe(IEnumerable<TopicPartition> partitions) => string.Join(", ", partitions);

    private static string Describe(IEnumerable<TopicPartitionOffset> partitions) =>
        Describe(partitions.Select(p => p.TopicPartition));

    /// <summary>
    /// While a broker is away librdkafka reports every reconnect attempt (several a second); "all brokers are down"
    /// is reported once per outage and says the same, so only that one is a warning.
    /// </summary>
    private static LogLevel LevelOf(Error error) => error switch
    {
        { IsFatal: true } => LogLevel.Error,
        { Code: ErrorCode.Local_Transport } => LogLevel.Debug,
        _ => LogLevel.Warning,
    };

    private static LogLevel LevelOf(SyslogLevel level) => level switch
    {
        <= SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
