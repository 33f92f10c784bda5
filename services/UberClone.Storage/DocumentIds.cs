namespace UberClone.Storage;

public static class DocumentIds
{
    /// <summary>The most ids <see cref="IDocumentStore{T}.GetManyAsync"/> takes at once.</summary>
    public const int MaxPerGet = 1_000;

    /// <summary>Refuses what no provider should look up: no list, more than <see cref="MaxPerGet"/> ids, an empty id.</summary>
    internal static void CheckBatch(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > MaxPerGet) throw new ArgumentException($"At most {MaxPerGet} ids at once (got {ids.Count}).", nameof(ids));
        foreach (var id in ids) ArgumentException.ThrowIfNullOrEmpty(id, nameof(ids));
    }
}
