using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Messaging.Consuming;

/// <summary>A message this consumer group has handled. Id: "{groupId}:{messageId}".</summary>
public sealed record ProcessedMessage(string GroupId, string MessageId, string Topic, DateTimeOffset ProcessedAt)
{
    /// <summary>Indexed, so records past <see cref="MessagingOptions.ProcessedMessageRetention"/> can be deleted in order.</summary>
    public long ProcessedAtMs => ProcessedAt.ToUnixTimeMilliseconds();
}

/// <summary>
/// Remembers handled message ids so a redelivery (after a crash, a rebalance or a duplicate publish) is skipped.
/// The record is written after the handler's own write, not with it, so a crash in between still re-runs the
/// handler: handlers stay state-guarded; this only makes the common duplicate cheap and harmless.
/// </summary>
internal sealed class ProcessedMessageLog(MessagingOptions options, TimeProvider time, ILogger<ProcessedMessageLog> logger)
{
    public const string CollectionName = "processed_messages";
    public const string ProcessedAtField = "processedAtMs";

    private readonly ConditionalWeakTable<IDocumentDatabase, IDocumentStore<ProcessedMessage>> _collections = new();

    public async Task<bool> ContainsAsync(IDocumentDatabase database, string group, string messageId, CancellationToken ct) =>
        await Collection(database).GetAsync(Id(group, messageId), ct) is not null;

    /// <summary>Never throws: the handler already succeeded, and failing now would only make it run again.</summary>
    public async Task RecordAsync(IDocumentDatabase database, string group, string messageId, string topic)
    {
        try
        {
            await Collection(database).InsertAsync(
                Id(group, messageId), new ProcessedMessage(group, messageId, topic, time.GetUtcNow()), ct: CancellationToken.None);
        }
        catch (DuplicateDocumentException)
        {
            // Another member of the group handled it concurrently (e.g. during a rebalance).
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record message {MessageId} from {Topic} as processed; a redelivery would run its handler again.",
                messageId, topic);
        }
    }

    private static string Id(string group, string messageId) => $"{group}:{messageId}";

    /// <summary>
    /// Records older than <see cref="MessagingOptions.ProcessedMessageRetention"/> go: a redelivery comes minutes after
    /// the first delivery, not days, and a message older than the topic's own retention cannot come again at all.
    /// </summary>
    public RetentionRule RetentionRule(IDocumentDatabase database) =>
        Storage.Retention.RetentionRule.For(Collection(database), CollectionName, ProcessedAtField, options.ProcessedMessageRetention);

    // Opening a collection may touch the database (creating it); do it once per database.
    private IDocumentStore<ProcessedMessage> Collection(IDocumentDatabase database) =>
        _collections.GetValue(database, db => db.Collection<ProcessedMessage>(CollectionName, ProcessedAtField));
}
