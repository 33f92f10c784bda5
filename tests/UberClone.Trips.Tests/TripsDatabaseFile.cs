using System.Text.Json.Nodes;
using UberClone.Storage;
using UberClone.Storage.Sqlite;

namespace UberClone.Trips.Tests;

/// <summary>
/// Trips' storage as the service has it, in a SQLite file of its own (deleted with its journal files when disposed), and
/// what its writes left in the outbox.
/// </summary>
internal sealed class TripsDatabaseFile : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"trips-tests-{Guid.NewGuid():N}.db");

    public TripsDatabaseFile() => Database = new SqliteDocumentDatabase(_file);

    public SqliteDocumentDatabase Database { get; }

    /// <summary>The messages of <paramref name="topic"/> waiting in the outbox, oldest first, read as <typeparamref name="T"/>.</summary>
    public async Task<List<T>> PublishedAsync<T>(string topic) =>
        (await Database.Outbox.GetPendingAsync(1000)).Where(m => m.Topic == topic)
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<T>(JsonNode.Parse(m.Value)!["data"]!, StorageJson.Options)!).ToList();

    public void Dispose()
    {
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(path);
    }
}
