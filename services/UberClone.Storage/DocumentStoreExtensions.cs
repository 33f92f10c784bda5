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
}
