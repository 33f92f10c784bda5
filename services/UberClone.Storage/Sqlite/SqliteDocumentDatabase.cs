using Microsoft.Data.Sqlite;

namespace UberClone.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode: a table per collection plus the outbox table. Writes in this process are
/// serialized by a semaphore so they queue instead of failing on SQLite's single writer lock; reads take
/// their own pooled connection and run in parallel with them (WAL readers never wait for the writer).
/// </summary>
public sealed class SqliteDocumentDatabase : IDocumentDatabase, IDisposable
{
    private const int BusyTimeoutMs = 5_000;

    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public SqliteDocumentDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = Path.GetFullPath(path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        // WAL is a property of the file, so setting it once per open database is enough.
        connection.Run("PRAGMA journal_mode = WAL;");
        connection.Run(SqliteOutbox.Schema);
        Outbox = new SqliteOutbox(this);
    }

    public string FilePath { get; }

    public IOutbox Outbox { get; }

    public IDocumentStore<T> Collection<T>(string name, params string[] indexedFields) where T : class
    {
        var sql = new SqliteCollectionSql(CollectionDefinition.Create(name, indexedFields));
        using var connection = Open();
        connection.Run(sql.Schema);
        return new SqliteDocumentStore<T>(this, sql);
    }

    public async Task PingAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.Command("SELECT 1;");
        await command.ExecuteScalarAsync(ct);
    }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal/-shm files) open after the last operation.
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        writeLock.Dispose();
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            connection.Run($"PRAGMA busy_timeout = {BusyTimeoutMs};");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> in one IMMEDIATE transaction: committed if it returns, rolled back if it throws.</summary>
    internal async Task<TResult> WriteAsync<TResult>(
        Func<SqliteConnection, SqliteTransaction, Task<TResult>> write, CancellationToken ct)
    {
        await writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            // deferred: false = BEGIN IMMEDIATE: another process writing the same file makes us wait here
            // (busy_timeout), not fail half-way through the transaction.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await write(connection, transaction);
            await transaction.CommitAsync(ct);
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    private SqliteConnection Open() => OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
}
