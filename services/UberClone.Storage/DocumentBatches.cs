namespace UberClone.Storage;

/// <summary>The limits and checks of the batch operations (<see cref="IDocumentStore{T}.GetManyAsync"/>, <see cref="IDocumentStore{T}.ReplaceEachAsync"/>).</summary>
public static class DocumentBatches
{
    /// <summary>The most ids <see cref="IDocumentStore{T}.GetManyAsync"/> takes at once.</summary>
    public const int MaxIdsPerGet = 1_000;

    /// <summary>Refuses what no provider should look up: no list, more than <see cref="MaxIdsPerGet"/> ids, an empty id.</summary>
    internal static void CheckIds(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > MaxIdsPerGet) throw new ArgumentException($"At most {MaxIdsPerGet} ids at once (got {ids.Count}).", nameof(ids));
        foreach (var id in ids) ArgumentException.ThrowIfNullOrEmpty(id, nameof(ids));
    }

    /// <summary>Refuses a batch the providers would write only in part, before anything is written.</summary>
    internal static void CheckReplaces<T>(IReadOnlyList<VersionedReplace<T>> items) where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new ArgumentException($"Item {i} of the batch is null.", nameof(items));
            if (string.IsNullOrEmpty(item.Id)) throw new ArgumentException($"Item {i} of the batch has no id.", nameof(items));
            if (item.Document is null) throw new ArgumentException($"Item {i} of the batch ('{item.Id}') has no document.", nameof(items));
            if (!ids.Add(item.Id)) throw new ArgumentException($"Document '{item.Id}' is given more than once in the batch.", nameof(items));
        }
    }
}
