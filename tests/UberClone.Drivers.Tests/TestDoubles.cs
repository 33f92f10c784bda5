using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Storage.Sqlite;

namespace UberClone.Drivers.Tests;

/// <summary>A clock the test moves by hand (thread-safe: racing tasks read it).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>For tests about dispatch state: nothing is published directly (events go through the stored outbox).</summary>
internal sealed class NoPublishing : IEventPublisher
{
    public Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull => Task.CompletedTask;

    public Task PublishAsync(OutboxMessage message, CancellationToken ct = default) => Task.CompletedTask;
}

/// <summary>
/// One drivers-service process as the tests build it: its own connection to a shared SQLite file (through
/// <c>wrapDatabase</c>, if given), registry (announcing states to <c>announce</c>, fixes to <c>announceFix</c> and surge supply to
/// <c>reportSupply</c>, if given), in-process locks, dispatcher,
/// driver use cases, a running stored-position writer and a running waker of waiting searches. Disposing it stops the writer (which writes what is pending)
/// and closes the connection.
/// </summary>
internal sealed record DriversProcess(
    SqliteDocumentDatabase Database, DriverRepository Repository, DriverRegistry Registry, Dispatcher Dispatcher, DriversApplication Drivers,
    StoredPositionWriter Writer, DriverLocationPublisher Tracking, WaitingSearches Waiting, SearchWaker Waker) : IDisposable
{
    public static DriversProcess Open(string file, TimeProvider clock, IOptions<DispatchOptions> options, IMeterFactory meters, Action<Driver>? announce = null,
        Func<IDocumentDatabase, IDocumentDatabase>? wrapDatabase = null, ILogger<StoredPositionWriter>? writerLogger = null,
        Action<DriverFix>? announceFix = null, IEventPublisher? publisher = null, Action<DriverSupplyReport>? reportSupply = null,
        PartitionOwnership? ownership = null, AirportQueues? airports = null)
    {
        var database = new SqliteDocumentDatabase(file);
        var repository = new DriverRepository(wrapDatabase?.Invoke(database) ?? database);
        var waiting = new WaitingSearches(clock);
        var registry = new DriverRegistry(announce, announceFix, reportSupply, Extensions.Extensions.WakeSearchesNear(waiting));
        var metrics = new DriversMetrics(meters, registry);
        var dispatcher = new Dispatcher(repository, registry, options, clock, new KeyedLock(), metrics, waiting, NullLogger<Dispatcher>.Instance, ownership, airports);
        var waker = new SearchWaker(dispatcher, waiting, NullLogger<SearchWaker>.Instance);
        waker.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var writer = new StoredPositionWriter(repository, writerLogger ?? NullLogger<StoredPositionWriter>.Instance);
        writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var tracking = new DriverLocationPublisher(publisher ?? new NoPublishing(), NullLogger<DriverLocationPublisher>.Instance);
        tracking.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var drivers = new DriversApplication(repository, registry, dispatcher, tracking, options, clock, metrics, writer, NullLogger<DriversApplication>.Instance, airports);
        return new DriversProcess(database, repository, registry, dispatcher, drivers, writer, tracking, waiting, waker);
    }

    /// <summary>Waits until the writer has stored every position pinged so far; a writer that stopped working fails the test, not hangs it.</summary>
    public Task FlushPositionsAsync(CancellationToken ct) => Writer.FlushAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

    public void Dispose()
    {
        // Off the test's thread (the writer's last batch must not wait for a thread this one blocks), and bounded, as the
        // host's shutdown timeout bounds it, in case a test left the store failing.
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Task.Run(() => Writer.StopAsync(shutdown.Token)).GetAwaiter().GetResult();
        Writer.Dispose();
        Task.Run(() => Tracking.StopAsync(shutdown.Token)).GetAwaiter().GetResult();
        Tracking.Dispose();
        Task.Run(() => Waker.StopAsync(shutdown.Token)).GetAwaiter().GetResult();
        Waker.Dispose();
        Database.Dispose();
    }

    /// <summary>Removes a test's SQLite file and its WAL companions.</summary>
    public static void DeleteFiles(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
    }
}

/// <summary>
/// A database whose <c>drivers</c> collection runs <c>beforeGet</c> (if given) before each read of one driver and
/// <c>beforeGetMany</c> (if given) before each read of many, and whose <c>driver_positions</c> collection runs
/// <c>beforeReplaceEach</c> (if given) before each batch replace (the stored-position writer's write, with the ids it
/// writes), so a test can change a document, fail or hold the write or the read at that moment. Everything else goes through.
/// </summary>
internal sealed class HookedDatabase(
    IDocumentDatabase inner, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeReplaceEach,
    Func<string, CancellationToken, Task>? beforeGet = null, Func<IReadOnlyCollection<string>, CancellationToken, Task>? beforeGetMany = null)
    : IDocumentDatabase
{
    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var store = inner.Collection<T>(name, indexedFields);
        return name switch
        {
            "drivers" => HookedStore<T>.Create(store, beforeReplaceEach: null, beforeGet, beforeGetMany),
            "driver_positions" => HookedStore<T>.Create(store, beforeReplaceEach),
            _ => store,
        };
    }

    public IOutbox Outbox => inner.Outbox;

    public Task PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
}

/// <summary>
/// A store with hooks before <see cref="IDocumentStore{T}.ReplaceEachAsync"/>, <see cref="IDocumentStore{T}.GetAsync"/> and <see cref="IDocumentStore{T}.GetManyAsync"/>. A DispatchProxy, not a class
/// implementing the interface, so a method the interface gains later is forwarded without editing this.
/// </summary>
public class HookedStore<T> : DispatchProxy where T : class
{
    private IDocumentStore<T> _inner = null!;
    private Func<IReadOnlyList<string>, CancellationToken, Task>? _beforeReplaceEach;
    private Func<string, CancellationToken, Task>? _beforeGet;
    private Func<IReadOnlyCollection<string>, CancellationToken, Task>? _beforeGetMany;

    internal static IDocumentStore<T> Create(
        IDocumentStore<T> inner, Func<IReadOnlyList<string>, CancellationToken, Task>? beforeReplaceEach, Func<string, CancellationToken, Task>? beforeGet = null,
        Func<IReadOnlyCollection<string>, CancellationToken, Task>? beforeGetMany = null)
    {
        var proxy = Create<IDocumentStore<T>, HookedStore<T>>();
        var hooked = (HookedStore<T>)(object)proxy;
        (hooked._inner, hooked._beforeReplaceEach, hooked._beforeGet, hooked._beforeGetMany) = (inner, beforeReplaceEach, beforeGet, beforeGetMany);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name == nameof(IDocumentStore<T>.ReplaceEachAsync) && _beforeReplaceEach is not null)
        {
            return ReplaceEachAsync((IReadOnlyList<VersionedReplace<T>>)args![0]!, (CancellationToken)args[1]!);
        }
        if (method.Name == nameof(IDocumentStore<T>.GetAsync) && _beforeGet is not null)
        {
            return GetAsync((string)args![0]!, (CancellationToken)args[1]!);
        }
        if (method.Name == nameof(IDocumentStore<T>.GetManyAsync) && _beforeGetMany is not null)
        {
            return GetManyAsync((IReadOnlyCollection<string>)args![0]!, (CancellationToken)args[1]!);
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

    private async Task<Versioned<T>?> GetAsync(string id, CancellationToken ct)
    {
        await _beforeGet!(id, ct);
        return await _inner.GetAsync(id, ct);
    }

    private async Task<IReadOnlyList<Versioned<T>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await _beforeGetMany!(ids, ct);
        return await _inner.GetManyAsync(ids, ct);
    }

    private async Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<T>> items, CancellationToken ct)
    {
        await _beforeReplaceEach!([.. items.Select(item => item.Id)], ct);
        return await _inner.ReplaceEachAsync(items, ct);
    }
}

/// <summary>
/// A test whose drivers processes share one SQLite file, a clock moved by hand and a meter factory; the file goes when
/// the test is disposed.
/// </summary>
public abstract class StoreBackedTest(string name, DateTimeOffset start) : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    protected string StoreFile { get; } = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.db");

    private protected ManualClock Clock { get; } = new(start);

    protected IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public virtual void Dispose()
    {
        _services.Dispose();
        DriversProcess.DeleteFiles(StoreFile);
        GC.SuppressFinalize(this);
    }
}

/// <summary>What a ride may need of its driver beyond its class (<see cref="RideNeeds"/>), one at a time.</summary>
internal static class Needs
{
    public static readonly RideNeeds Pet = new(WithPet: true);
    public static readonly RideNeeds Cash = new(PayInCash: true);
    public static readonly RideNeeds Wheelchair = new(WheelchairAccessible: true);
}
