using System.Runtime.CompilerServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace UberClone.Storage.Mongo;

internal sealed class MongoDocumentStore<T>(
    IMongoCollection<BsonDocument> collection, CollectionDefinition definition, MongoSequence sequence) : IDocumentStore<T>
    where T : class
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly UpdateDefinitionBuilder<BsonDocument> Update = Builders<BsonDocument>.Update;
    private static readonly ProjectionDefinition<BsonDocument> WithoutOutbox = Builders<BsonDocument>.Projection.Exclude(MongoFields.Outbox);

    public async Task<Versioned<T>?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var stored = await collection.Find(Filter.Eq(MongoFields.Id, id)).Project(WithoutOutbox).FirstOrDefaultAsync(ct);
        return stored is null ? null : ToVersioned(stored);
    }

    public async Task<IReadOnlyList<Versioned<T>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        DocumentBatches.CheckIds(ids);
        if (ids.Count == 0) return [];
        var found = await collection.Find(Filter.In(MongoFields.Id, ids)).Project(WithoutOutbox).ToListAsync(ct);
        return found.Select(ToVersioned).ToList();
    }

    public async Task<Versioned<T>> InsertAsync(
        string id, T document, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(document);
        var stored = new BsonDocument
        {
            { MongoFields.Id, id },
            { MongoFields.Version, 1L },
            { MongoFields.Seq, sequence.Next() },
            { MongoFields.UpdatedAt, DateTime.UtcNow },
            { MongoFields.Data, BsonJson.ToBson(document) },
            { MongoFields.Outbox, new BsonArray(Entries(outbox)) },
        };
        try
        {
            await collection.InsertOneAsync(stored, cancellationToken: ct);
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new DuplicateDocumentException(definition.Name, id);
        }
        return new Versioned<T>(id, document, 1);
    }

    public async Task<Versioned<T>> ReplaceAsync(
        string id, T document, long expectedVersion, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(document);
        // An update, not ReplaceOne: messages still pending from earlier writes must stay in the document.
        var update = Update
            .Set(MongoFields.Data, BsonJson.ToBson(document))
            .Set(MongoFields.Version, expectedVersion + 1)
            .Set(MongoFields.UpdatedAt, DateTime.UtcNow)
            .PushEach(MongoFields.Outbox, Entries(outbox));
        var filter = Filter.Eq(MongoFields.Id, id) & Filter.Eq(MongoFields.Version, expectedVersion);

        var result = await collection.UpdateOneAsync(filter, update, cancellationToken: ct);
        if (result.MatchedCount == 0)
        {
            throw new ConcurrencyConflictException(definition.Name, id, expectedVersion);
        }
        return new Versioned<T>(id, document, expectedVersion + 1);
    }

    public async Task DeleteAsync(string id, long expectedVersion, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // Pending messages live in the document: one that still has some is left for the relay, never deleted with them.
        var filter = Filter.Eq(MongoFields.Id, id) & Filter.Eq(MongoFields.Version, expectedVersion) & Filter.Exists(MongoFields.OutboxId, false);
        var result = await collection.DeleteOneAsync(filter, ct);
        if (result.DeletedCount == 0) throw new ConcurrencyConflictException(definition.Name, id, expectedVersion);
    }

    public async Task<IReadOnlyList<Versioned<T>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        definition.EnsureIndexed(field);
        var found = await collection.Find(Filter.Eq($"{MongoFields.Data}.{field}", value))
            .Sort(Builders<BsonDocument>.Sort.Descending(MongoFields.Seq))
            .Limit(limit)
            .Project(WithoutOutbox)
            .ToListAsync(ct);
        return found.Select(ToVersioned).ToList();
    }

    public Task<IReadOnlyList<Versioned<T>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default) =>
        QueryBetweenAsync(field, long.MinValue, max, limit, ct);

    public async Task<IReadOnlyList<Versioned<T>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        definition.EnsureIndexed(field);
        // $gte/$lte with numbers match only numbers (MongoDB compares within a type bracket): no nulls, no strings.
        var path = $"{MongoFields.Data}.{field}";
        var found = await collection.Find(Filter.Gte(path, min) & Filter.Lte(path, max))
            .Sort(Builders<BsonDocument>.Sort.Ascending(path).Ascending(MongoFields.Seq))
            .Limit(limit)
            .Project(WithoutOutbox)
            .ToListAsync(ct);
        return found.Select(ToVersioned).ToList();
    }

    public async Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        definition.EnsureIndexed(field);
        var path = $"{MongoFields.Data}.{field}";
        // Pending messages live in the document: one that still has some is left for the relay, never deleted with them.
        var due = Filter.Gte(path, long.MinValue) & Filter.Lte(path, max) & Filter.Exists(MongoFields.OutboxId, false);
        var ids = await collection.Find(due)
            .Sort(Builders<BsonDocument>.Sort.Ascending(path).Ascending(MongoFields.Seq))
            .Limit(limit)
            .Project(Builders<BsonDocument>.Projection.Include(MongoFields.Id))
            .ToListAsync(ct);
        if (ids.Count == 0) return 0;
        // The filter again: a document written between the find and the delete is deleted only if it still matches.
        var result = await collection.DeleteManyAsync(Filter.In(MongoFields.Id, ids.Select(d => d[MongoFields.Id])) & due, ct);
        return (int)result.DeletedCount;
    }

    public async IAsyncEnumerable<Versioned<T>> QueryAllAsync(string field, string value, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        definition.EnsureIndexed(field);
        using var cursor = await collection.Find(Filter.Eq($"{MongoFields.Data}.{field}", value), new FindOptions { BatchSize = 1_000 })
            .Sort(Builders<BsonDocument>.Sort.Descending(MongoFields.Seq))
            .Project(WithoutOutbox)
            .ToCursorAsync(ct);
        while (await cursor.MoveNextAsync(ct))
        {
            foreach (var stored in cursor.Current) yield return ToVersioned(stored);
        }
    }

    private List<BsonDocument> Entries(IReadOnlyList<OutboxMessage>? outbox) =>
        (outbox ?? []).Select(message => MongoOutbox.ToBson(message, sequence.Next())).ToList();

    private static Versioned<T> ToVersioned(BsonDocument stored) => new(
        stored[MongoFields.Id].AsString,
        BsonJson.FromBson<T>(stored[MongoFields.Data].AsBsonDocument),
        stored[MongoFields.Version].ToInt64());

    public async Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<T>> items, CancellationToken ct = default)
    {
        DocumentBatches.CheckReplaces(items);
        // One conditional update per item, in turn: an unordered BulkWrite would be one round trip, but it reports only
        // how many matched, not which, and a single-document write is MongoDB's atomic unit anyway (no shared commit
        // to save, unlike SQLite).
        var versions = new long?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            try
            {
                versions[i] = items[i].ExpectedVersion == 0
                    ? (await InsertAsync(items[i].Id, items[i].Document, ct: ct)).Version
                    : (await ReplaceAsync(items[i].Id, items[i].Document, items[i].ExpectedVersion, ct: ct)).Version;
            }
            catch (Exception e) when (e is ConcurrencyConflictException or DuplicateDocumentException)
            {
                versions[i] = null;
            }
        }
        return versions;
    }
}
