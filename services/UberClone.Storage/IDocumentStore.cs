namespace UberClone.Storage;

/// <summary>A stored document with its optimistic-concurrency version (1 after insert, +1 per replace).</summary>
public sealed record Versioned<T>(string Id, T Document, long Version);

/// <summary>
/// One replace of a batch (<see cref="IDocumentStore{T}.ReplaceEachAsync"/>): the document, written only if its stored
/// version is still <paramref name="ExpectedVersion"/>. Version 0 is a document that does not exist yet: inserted (at
/// version 1) only if the id is not stored.
/// </summary>
public sealed record VersionedReplace<T>(string Id, T Document, long ExpectedVersion);

/// <summary>
/// A collection of JSON documents of one type. Writes can carry outbox messages: they are stored in the
/// same atomic write as the document, and relayed to Kafka afterwards by the outbox relay.
/// </summary>
public interface IDocumentStore<T> where T : class
{
    Task<Versioned<T>?> GetAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// The documents of these ids that exist, in one round trip (missing ids are left out; the order is not the ids'):
    /// for a batch of work that needs many documents at once. At most <see cref="DocumentBatches.MaxIdsPerGet"/> ids; an empty
    /// id or more ids than that → <see cref="ArgumentException"/>.
    /// </summary>
    Task<IReadOnlyList<Versioned<T>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Inserts a new document (version 1). Throws <see cref="DuplicateDocumentException"/> when the id exists.</summary>
    Task<Versioned<T>> InsertAsync(string id, T document, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default);

    /// <summary>
    /// Replaces the document only if its stored version is still <paramref name="expectedVersion"/>;
    /// otherwise throws <see cref="ConcurrencyConflictException"/> and writes nothing.
    /// </summary>
    Task<Versioned<T>> ReplaceAsync(string id, T document, long expectedVersion, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default);

    /// <summary>
    /// Deletes the document only if its stored version is still <paramref name="expectedVersion"/> and it carries no
    /// unrelayed outbox messages (a provider that keeps them in the document would lose them); otherwise throws
    /// <see cref="ConcurrencyConflictException"/> and deletes nothing. For erasing what a user asked to be forgotten
    /// (their account's email claim, their saved places).
    /// </summary>
    Task DeleteAsync(string id, long expectedVersion, CancellationToken ct = default);

    /// <summary>
    /// Replaces each document only if its stored version is still the item's expected version, each on its own: a stale
    /// or missing one is skipped without undoing the others; an item expecting version 0 is inserted if its id is not
    /// stored, and skipped if it is. Per item, in order: the new version, or null when it was not written. Carries no outbox messages. One write for the whole batch where the provider allows it (SQLite: one
    /// transaction, one fsync), so frequent small writes (drivers' positions) share a commit. Throws
    /// <see cref="ArgumentException"/> for a null item, an empty id, a null document or an id given twice, before
    /// writing anything.
    /// </summary>
    Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<T>> items, CancellationToken ct = default);

    /// <summary>
    /// Documents whose indexed field (declared when the collection was opened) equals the value, newest first:
    /// by insertion, so a replace does not move a document. Only string values (ids, enum names) match.
    /// Throws <see cref="ArgumentException"/> for a field that was not declared as indexed.
    /// </summary>
    Task<IReadOnlyList<Versioned<T>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default);

    /// <summary>
    /// Documents whose indexed field (declared when the collection was opened) holds a number at most
    /// <paramref name="max"/>, smallest first, equal values by insertion, oldest first: what is due by a time kept as
    /// a number (e.g. Unix milliseconds). A document without the field, or with null or a string in it, never matches.
    /// Throws <see cref="ArgumentException"/> for a field that was not declared as indexed.
    /// </summary>
    Task<IReadOnlyList<Versioned<T>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default);

    /// <summary>
    /// <see cref="QueryUpToAsync"/> with a lower bound too: documents whose indexed field holds a number from
    /// <paramref name="min"/> to <paramref name="max"/> (both included), in the same order. Lets one number field keep
    /// several ranges apart, e.g. what is due per owner, with each owner's times in a band of its own.
    /// </summary>
    Task<IReadOnlyList<Versioned<T>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default);

    /// <summary>
    /// Deletes the documents whose indexed field (declared when the collection was opened) holds a number at most
    /// <paramref name="max"/>, at most <paramref name="limit"/> of them, smallest first (<see cref="QueryUpToAsync"/>'s
    /// order), in one write; returns how many went. For retention: what is older than a cutoff kept as Unix
    /// milliseconds. Null, missing and string values never match; a document that still carries unrelayed outbox
    /// messages is never deleted. Throws <see cref="ArgumentException"/> for a field that was not declared as indexed.
    /// </summary>
    Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default);

    /// <summary>
    /// Every document whose indexed field equals the value, in <see cref="QueryAsync"/>'s order, read as the caller
    /// goes (no limit, nothing held but the current page): for rebuilding an in-memory view at start. Throws
    /// <see cref="ArgumentException"/> for a field that was not declared as indexed.
    /// </summary>
    IAsyncEnumerable<Versioned<T>> QueryAllAsync(string field, string value, CancellationToken ct = default);
}

/// <summary>The storage of one service: its collections and its outbox.</summary>
public interface IDocumentDatabase
{
    /// <summary>Opens (creating if needed) a collection. Indexed fields are top-level JSON property names (camelCase) usable in QueryAsync.</summary>
    IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class;

    IOutbox Outbox { get; }

    /// <summary>Cheap round trip used by the health check.</summary>
    Task PingAsync(CancellationToken ct = default);
}

/// <summary>Messages written with documents and not yet relayed.</summary>
public interface IOutbox
{
    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken ct = default);

    Task MarkPublishedAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct = default);
}

/// <summary>A ready-to-publish Kafka message: topic, key and value (the JSON envelope), plus the trace context it was written under.</summary>
public sealed record OutboxMessage(string Id, string Topic, string Key, string Type, string Value, string? TraceParent, DateTimeOffset CreatedAt);

public sealed class DuplicateDocumentException(string collection, string id)
    : Exception($"A document with id '{id}' already exists in '{collection}'.");

public sealed class ConcurrencyConflictException(string collection, string id, long expectedVersion)
    : Exception($"Document '{id}' in '{collection}' is no longer at version {expectedVersion}.");
