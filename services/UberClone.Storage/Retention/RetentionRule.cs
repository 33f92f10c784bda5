namespace UberClone.Storage.Retention;

/// <summary>
/// What one collection keeps: its documents whose indexed number field (a time in Unix milliseconds) is more than
/// <see cref="KeepFor"/> in the past are deleted by the <see cref="RetentionSweeper"/>. Business records (trips,
/// accounts, payments) have no rule; bookkeeping that only guards against repeats (handled message ids, idempotency
/// keys, expired quotes and tokens) does, so a service's database does not grow with every message it ever handled.
/// </summary>
public sealed record RetentionRule(string Collection, string Field, TimeSpan KeepFor, RetentionRule.Delete DeleteUpTo)
{
    /// <summary>Deletes up to <paramref name="limit"/> documents whose field is at most <paramref name="max"/>; how many went.</summary>
    public delegate Task<int> Delete(long max, int limit, CancellationToken ct);

    /// <summary>The rule for <paramref name="store"/>'s documents by <paramref name="field"/>, which it must index.</summary>
    public static RetentionRule For<T>(IDocumentStore<T> store, string collection, string field, TimeSpan keepFor) where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(keepFor, TimeSpan.Zero);
        return new RetentionRule(collection, field, keepFor, (max, limit, ct) => store.DeleteUpToAsync(field, max, limit, ct));
    }

    /// <summary>The field's value at and below which documents go at <paramref name="now"/>.</summary>
    public long CutoffAt(DateTimeOffset now) => (now - KeepFor).ToUnixTimeMilliseconds();
}

/// <summary>A rule as registered: made when the sweeper starts, from the service's own stores.</summary>
public sealed record RetentionRuleSource(Func<IServiceProvider, RetentionRule?> Create);
