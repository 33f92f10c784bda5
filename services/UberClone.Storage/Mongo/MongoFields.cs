using MongoDB.Bson;
using MongoDB.Driver;

namespace UberClone.Storage.Mongo;

/// <summary>
/// The stored shape: <c>{_id, version, seq, updatedAt, data: {the document}, outbox: [pending messages]}</c>.
/// The outbox lives inside the document because a single-document write is the only atomic write a
/// standalone MongoDB (no transactions) offers.
/// </summary>
internal static class MongoFields
{
    public const string Id = "_id";
    public const string Version = "version";
    public const string Seq = "seq";
    public const string UpdatedAt = "updatedAt";
    public const string Data = "data";
    public const string Outbox = "outbox";
    public const string OutboxId = "outbox.id";

    public static IEnumerable<CreateIndexModel<BsonDocument>> Indexes(CollectionDefinition definition)
    {
        var keys = Builders<BsonDocument>.IndexKeys;
        foreach (var field in definition.IndexedFields)
        {
            yield return new CreateIndexModel<BsonDocument>(keys.Ascending($"{Data}.{field}").Descending(Seq));
        }
        // Only documents with pending messages are indexed, so the relay's scans stay as small as the backlog.
        yield return new CreateIndexModel<BsonDocument>(
            keys.Ascending(OutboxId),
            new CreateIndexOptions<BsonDocument> { PartialFilterExpression = HasPendingMessages });
    }

    /// <summary>Matches the partial index's filter, which a query must repeat for MongoDB to use that index.</summary>
    public static FilterDefinition<BsonDocument> HasPendingMessages => Builders<BsonDocument>.Filter.Exists(OutboxId);
}
