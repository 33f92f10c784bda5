using System.Text.Json;

namespace UberClone.Storage;

public static class DocumentStoreExtensions
{
    private const int MaxConflictRetries = 8;

    /// <summary>
    /// Read-decide-write with optimistic concurrency: applies the transition to the current document and
    /// replaces it (with the outbox messages the new state calls for) only if nobody wrote in between;
    /// on a conflict it decides again on the fresh state. A transition that returns the same instance writes
    /// nothing. Returns null when the document does not exist.
    /// </summary>
    public static async Task<T?> UpdateAsync<T>(
        this IDocumentStore<T> store, string id, Func<T, T> transition,
        Func<T, IReadOnlyList<OutboxMessage>>? outbox = null, CancellationToken ct = default) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(id, ct);
            if (current is null) return null;
            var next = transition(current.Document);
            if (ReferenceEquals(next, current.Document)) return next;
            try
            {
                await store.ReplaceAsync(id, next, current.Version, outbox?.Invoke(next), ct);
                return next;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxConflictRetries)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }
    /// <summary>
    /// Stores <paramref name="document"/> under <paramref name="id"/>, inserting or replacing it: the last writer wins (a
    /// setting two devices save at the same moment). A write between this one's read and its write is written over, on
    /// purpose; use <see cref="UpdateAsync{T}"/> when the new state depends on the old.
    /// </summary>
    public static async Task<T> PutAsync<T>(this IDocumentStore<T> store, string id, T document, CancellationToken ct = default) where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await store.GetAsync(id, ct) is { } stored) await store.ReplaceAsync(id, document, stored.Version, ct: ct);
                else await store.InsertAsync(id, document, ct: ct);
                return document;
            }
            catch (Exception ex) when (ex is DuplicateDocumentException or ConcurrencyConflictException && attempt < MaxConflictRetries)
            {
                // Another writer came between the read and the write: read again and write over it.
            }
        }
    }

    /// <summary>
    /// The stored documents of these ids that exist (at most <see cref="DocumentBatches.MaxIdsPerGet"/>), in one read. If
    /// one of them cannot be read (not valid JSON for <typeparamref name="T"/>) they are read one by one and each unreadable
    /// one is left out and handed to <paramref name="unreadable"/>: retrying cannot help, and one bad document must not fail
    /// the work of a whole batch every time it is in one.
    /// </summary>
    public static async Task<Dictionary<string, Versioned<T>>> GetReadableAsync<T>(
        this IDocumentStore<T> store, IReadOnlyCollection<string> ids, Action<string, JsonException> unreadable, CancellationToken ct = default)
        where T : class
    {
        try
        {
            return (await store.GetManyAsync(ids, ct)).ToDictionary(d => d.Id);
        }
        catch (JsonException)
        {
            var documents = new Dictionary<string, Versioned<T>>(ids.Count);
            foreach (var id in ids)
            {
                try
                {
                    if (await store.GetAsync(id, ct) is { } stored) documents[id] = stored;
                }
                catch (JsonException ex)
                {
                    unreadable(id, ex);
                }
            }
            return documents;
        }
    }
}
