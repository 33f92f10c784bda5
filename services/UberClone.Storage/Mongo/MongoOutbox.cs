using System.Collections.Concurrent;
using System.Globalization;
using MongoDB.Bson;
using MongoDB.Driver;

namespace UberClone.Storage.Mongo;

/// <summary>
/// Pending messages are entries of the <c>outbox</c> array inside the documents that carried them; this scans
/// the collections opened on the database and removes entries once published.
/// </summary>
internal sealed class MongoOutbox(ConcurrentDictionary<string, IMongoCollection<BsonDocument>> collections) : IOutbox
{
    public static BsonDocument ToBson(OutboxMessage message, long seq) => new()
    {
        { "id", message.Id },
        { "topic", message.Topic },
        { "key", message.Key },
        { "type", message.Type },
        { "value", message.Value },
        { "traceparent", message.TraceParent is null ? BsonNull.Value : message.TraceParent },
        // A string, not a BSON date: BSON dates keep neither the offset nor sub-millisecond precision.
        { "createdAt", message.CreatedAt.ToString("O", CultureInfo.InvariantCulture) },
        { MongoFields.Seq, seq },
    };

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var pipeline = new EmptyPipelineDefinition<BsonDocument>()
            .Match(MongoFields.HasPendingMessages)
            .Unwind(MongoFields.Outbox)
            .ReplaceRoot<BsonDocument, BsonDocument, BsonDocument>($"${MongoFields.Outbox}")
            .Sort(Builders<BsonDocument>.Sort.Ascending(MongoFields.Seq))
            .Limit(max);

        var pending = new List<BsonDocument>();
        foreach (var collection in collections.Values)
        {
            pending.AddRange(await (await collection.AggregateAsync(pipeline, cancellationToken: ct)).ToListAsync(ct));
        }
        return pending.OrderBy(entry => entry[MongoFields.Seq].ToInt64()).Take(max).Select(FromBson).ToList();
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return;
        }
        var filter = MongoFields.HasPendingMessages & Builders<BsonDocument>.Filter.In(MongoFields.OutboxId, messageIds);
        var update = Builders<BsonDocument>.Update.PullFilter(
            MongoFields.Outbox, Builders<BsonDocument>.Filter.In("id", messageIds));
        foreach (var collection in collections.Values)
        {
            await collection.UpdateManyAsync(filter, update, cancellationToken: ct);
        }
    }

    private static OutboxMessage FromBson(BsonDocument entry) => new(
        entry["id"].AsString,
        entry["topic"].AsString,
        entry["key"].AsString,
        entry["type"].AsString,
        entry["value"].AsString,
        entry["traceparent"].IsBsonNull ? null : entry["traceparent"].AsString,
        DateTimeOffset.Parse(entry["createdAt"].AsString, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
