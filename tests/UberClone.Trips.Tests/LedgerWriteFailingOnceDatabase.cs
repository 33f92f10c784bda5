using System.Reflection;
using System.Runtime.ExceptionServices;
using UberClone.Storage;

namespace UberClone.Trips.Tests;

/// <summary>
/// Trips' database whose first write of a driver's reservation ledger (<c>reservation_ledgers</c>) fails, as if the
/// process died between a trip's write and the ledger's (ADR 0050); every other call goes through.
/// </summary>
internal sealed class LedgerWriteFailingOnceDatabase(IDocumentDatabase inner) : IDocumentDatabase
{
    private int _failed;

    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var store = inner.Collection<T>(name, indexedFields);
        return name == "reservation_ledgers" ? FailingStore<T>.Create(store, this) : store;
    }

    public IOutbox Outbox => inner.Outbox;

    public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);

    /// <summary>A DispatchProxy, so a method the store interface gains later is forwarded without editing this.</summary>
    public class FailingStore<T> : DispatchProxy where T : class
    {
        private IDocumentStore<T> _inner = null!;
        private LedgerWriteFailingOnceDatabase _database = null!;

        internal static IDocumentStore<T> Create(IDocumentStore<T> inner, LedgerWriteFailingOnceDatabase database)
        {
            var proxy = Create<IDocumentStore<T>, FailingStore<T>>();
            var failing = (FailingStore<T>)(object)proxy;
            (failing._inner, failing._database) = (inner, database);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name is nameof(IDocumentStore<T>.InsertAsync) or nameof(IDocumentStore<T>.ReplaceAsync) && Interlocked.Exchange(ref _database._failed, 1) == 0)
            {
                throw new IOException("The process died before the ledger was written.");
            }
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
