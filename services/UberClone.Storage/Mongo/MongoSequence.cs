namespace UberClone.Storage.Mongo;

/// <summary>
/// Orders documents (newest first) and outbox entries (oldest first) without a counter document, which would
/// cost a round trip per write: the UTC clock in ticks, bumped so it never repeats or goes back in this process.
/// Across processes the order is the clocks' order.
/// </summary>
internal sealed class MongoSequence
{
    private long last;

    public long Next()
    {
        while (true)
        {
            var previous = Interlocked.Read(ref last);
            var next = Math.Max(previous + 1, DateTime.UtcNow.Ticks);
            if (Interlocked.CompareExchange(ref last, next, previous) == previous)
            {
                return next;
            }
        }
    }
}
