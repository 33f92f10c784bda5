using System.Reflection;
using System.Runtime.ExceptionServices;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Trips' database, holding the first <paramref name="racers"/> reads of a driver's reserved rides (the
/// <see cref="Trip.ReservedByField"/> query) until all of them have read: that many reservations of one driver at the
/// same instant, each deciding on what it read before any of them wrote, every run.
/// </summary>
internal sealed class SameInstantDatabase(IDocumentDatabase inner, int racers) : IDocumentDatabase
{
    private int _arrived;
    private readonly TaskCompletionSource _allRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var store = inner.Collection<T>(name, indexedFields);
        return name == "trips" ? HeldStore<T>.Create(store, this) : store;
    }

    public IOutbox Outbox => inner.Outbox;

    public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);

    private async Task<TResult> HeldAsync<TResult>(Task<TResult> read)
    {
        var result = await read;
        var arrived = Interlocked.Increment(ref _arrived);
        if (arrived > racers) return result;
        if (arrived == racers) _allRead.SetResult();
        await _allRead.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return result;
    }

    /// <summary>A DispatchProxy, so a method the store interface gains later is forwarded without editing this.</summary>
    public class HeldStore<T> : DispatchProxy where T : class
    {
        private IDocumentStore<T> _inner = null!;
        private SameInstantDatabase _database = null!;

        internal static IDocumentStore<T> Create(IDocumentStore<T> inner, SameInstantDatabase database)
        {
            var proxy = Create<IDocumentStore<T>, HeldStore<T>>();
            var held = (HeldStore<T>)(object)proxy;
            (held._inner, held._database) = (inner, database);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IDocumentStore<T>.QueryAsync) && args![0] is Trip.ReservedByField)
            {
                return _database.HeldAsync(_inner.QueryAsync((string)args[0]!, (string)args[1]!, (int)args[2]!, (CancellationToken)args[3]!));
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
