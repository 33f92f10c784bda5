namespace UberClone.Messaging;

/// <summary>
/// The partitions this replica's group consumer holds now, per topic, as the group last assigned them. Lets work that
/// no message triggers (a timer) be shared out the way messages are: a replica does it for the entities whose
/// messages it consumes, so replicas do not all do the same work. The group consumer keeps it up to date; instance
/// consumers (every replica reads everything) do not touch it.
/// </summary>
public sealed class PartitionOwnership
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<int>> _owned = new(StringComparer.Ordinal);
    private bool _joined;

    /// <summary>
    /// The partitions of the topic this replica holds now, smallest first: null while it has nothing to go by (its
    /// group consumer has not joined yet, or the service has none), so callers fall back to doing the work themselves;
    /// empty when it holds none.
    /// </summary>
    public IReadOnlyList<int>? Held(string topic)
    {
        lock (_gate)
        {
            if (!_joined) return null;
            return _owned.TryGetValue(topic, out var partitions) ? [.. partitions.Order()] : [];
        }
    }

    /// <summary>Partitions given to this replica (cooperative rebalancing hands them over a few at a time).</summary>
    public void Assign(string topic, IEnumerable<int> partitions)
    {
        lock (_gate)
        {
            _joined = true;
            if (!_owned.TryGetValue(topic, out var owned)) _owned[topic] = owned = [];
            owned.UnionWith(partitions);
        }
    }

    /// <summary>Partitions taken away (revoked for another member, or lost with the session).</summary>
    public void Revoke(string topic, IEnumerable<int> partitions)
    {
        lock (_gate)
        {
            if (_owned.TryGetValue(topic, out var owned)) owned.ExceptWith(partitions);
        }
    }
}
