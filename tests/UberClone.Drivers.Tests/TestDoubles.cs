using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
/// One drivers-service process as the tests build it: its own connection to a shared SQLite file, registry (announcing
/// to <c>announce</c>, if given), in-process locks, dispatcher and driver use cases. Disposing it closes the connection.
/// </summary>
internal sealed record DriversProcess(
    SqliteDocumentDatabase Database, DriverRepository Repository, DriverRegistry Registry, Dispatcher Dispatcher, DriversApplication Drivers) : IDisposable
{
    public static DriversProcess Open(string file, TimeProvider clock, IOptions<DispatchOptions> options, IMeterFactory meters, Action<Driver>? announce = null)
    {
        var database = new SqliteDocumentDatabase(file);
        var repository = new DriverRepository(database);
        var registry = new DriverRegistry(announce);
        var metrics = new DriversMetrics(meters, registry);
        var dispatcher = new Dispatcher(repository, registry, options, clock, new KeyedLock(), metrics, NullLogger<Dispatcher>.Instance);
        return new DriversProcess(database, repository, registry, dispatcher, new DriversApplication(repository, registry, dispatcher, new NoPublishing(), options, clock, metrics));
    }

    public void Dispose() => Database.Dispose();

    /// <summary>Removes a test's SQLite file and its WAL companions.</summary>
    public static void DeleteFiles(string file)
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm" }) File.Delete(path);
    }
}
