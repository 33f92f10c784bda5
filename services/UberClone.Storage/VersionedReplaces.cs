namespace UberClone.Storage;

internal static class VersionedReplaces
{
    /// <summary>Refuses a batch the providers would write only in part, before anything is written.</summary>
    public static void Validate<T>(IReadOnlyList<VersionedReplace<T>> items) where T : class
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
