using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Driver;

namespace UberClone.Storage.Mongo;

/// <summary>One MongoDB database: a collection per document type, outbox entries kept inside the documents.</summary>
public sealed class MongoDocumentDatabase : IDocumentDatabase, IDisposable
{
    private readonly MongoClient client;
    private readonly IMongoDatabase database;
    private readonly ConcurrentDictionary<string, IMongoCollection<BsonDocument>> collections = new();
    private readonly MongoSequence sequence = new();

    public MongoDocumentDatabase(MongoUrl url, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentException.ThrowIfNullOrEmpty(databaseName);
        client = new MongoClient(url);
        database = client.GetDatabase(databaseName);
        Outbox = new MongoOutbox(collections);
    }

    public IOutbox Outbox { get; }

    /// <summary>Creates the collection's indexes (idempotent, one round trip): open each collection once, at startup.</summary>
    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var definition = CollectionDefinition.Create(name, indexedFields);
        var collection = collections.GetOrAdd(definition.Name, database.GetCollection<BsonDocument>(definition.Name));
        collection.Indexes.CreateMany(MongoFields.Indexes(definition));
        return new MongoDocumentStore<T>(collection, definition, sequence);
    }

    public Task PingAsync(CancellationToken ct = default) =>
        database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);

    public void Dispose() => client.Dispose();
}
