using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace UberClone.Storage.Sqlite;

internal sealed class SqliteDocumentStore<T>(SqliteDocumentDatabase database, SqliteCollectionSql sql) : IDocumentStore<T>
    where T : class
{
    private string Name => sql.Definition.Name;

    public async Task<Versioned<T>?> GetAsync(string id, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql.Get).With("$id", id);
        var found = await ReadAsync(command, ct);
        return found.SingleOrDefault();
    }

    public async Task<IReadOnlyList<Versioned<T>>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        DocumentBatches.CheckIds(ids);
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(sql.GetMany).With("$ids", JsonSerializer.Serialize(ids));
        return await ReadAsync(command, ct);
    }

    public Task<Versioned<T>> InsertAsync(
        string id, T document, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(document);
        var data = JsonSerializer.Serialize(document, StorageJson.Options);

        return database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(sql.Insert, transaction)
                .With("$id", id).With("$now", Now()).With("$data", data);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new DuplicateDocumentException(Name, id);
            }
            await SqliteOutbox.AddAsync(connection, transaction, outbox, ct);
            return new Versioned<T>(id, document, 1);
        }, ct);
    }

    public Task<Versioned<T>> ReplaceAsync(
        string id, T document, long expectedVersion, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(document);
        var data = JsonSerializer.Serialize(document, StorageJson.Options);

        return database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(sql.Replace, transaction)
                .With("$id", id).With("$expectedVersion", expectedVersion).With("$now", Now()).With("$data", data);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new ConcurrencyConflictException(Name, id, expectedVersion);
            }
            await SqliteOutbox.AddAsync(connection, transaction, outbox, ct);
            return new Versioned<T>(id, document, expectedVersion + 1);
        }, ct);
    }

    public Task DeleteAsync(string id, long expectedVersion, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // The outbox is a table of its own here: a row's pending messages do not live in the row.
        return database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(sql.Delete, transaction).With("$id", id).With("$expectedVersion", expectedVersion);
            if (await command.ExecuteNonQueryAsync(ct) == 0)
            {
                throw new ConcurrencyConflictException(Name, id, expectedVersion);
            }
            return 0;
        }, ct);
    }

    public async Task<IReadOnlyList<Versioned<T>>> QueryAsync(string field, string value, int limit = 100, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = sql.Query(field);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(query).With("$value", value).With("$limit", limit);
        return await ReadAsync(command, ct);
    }

    public Task<IReadOnlyList<Versioned<T>>> QueryUpToAsync(string field, long max, int limit = 100, CancellationToken ct = default) =>
        QueryBetweenAsync(field, long.MinValue, max, limit, ct);

    public async Task<IReadOnlyList<Versioned<T>>> QueryBetweenAsync(string field, long min, long max, int limit = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = sql.QueryBetween(field);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(query).With("$min", min).With("$max", max).With("$limit", limit);
        return await ReadAsync(command, ct);
    }

    public Task<int> DeleteUpToAsync(string field, long max, int limit = 1_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var delete = sql.DeleteUpTo(field);
        return database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(delete, transaction).With("$min", long.MinValue).With("$max", max).With("$limit", limit);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }

    /// <summary>Pages by seq (keyset), each one a short read: no read transaction stays open while the caller works.</summary>
    public async IAsyncEnumerable<Versioned<T>> QueryAllAsync(string field, string value, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var query = sql.QueryPage(field);
        var before = long.MaxValue;
        while (true)
        {
            var page = new List<(Versioned<T> Document, long Seq)>(QueryAllPageSize);
            await using (var connection = await database.OpenAsync(ct))
            await using (var command = connection.Command(query).With("$value", value).With("$before", before).With("$limit", QueryAllPageSize))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) page.Add((Read(reader), reader.GetInt64(3)));
            }
            foreach (var (document, _) in page) yield return document;
            if (page.Count < QueryAllPageSize) yield break;
            before = page[^1].Seq;
        }
    }

    internal const int QueryAllPageSize = 1_000;

    private static async Task<List<Versioned<T>>> ReadAsync(SqliteCommand command, CancellationToken ct)
    {
        var documents = new List<Versioned<T>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) documents.Add(Read(reader));
        return documents;
    }

    /// <summary>The current row's (id, version, data).</summary>
    private static Versioned<T> Read(SqliteDataReader reader)
    {
        var document = JsonSerializer.Deserialize<T>(reader.GetString(2), StorageJson.Options)
            ?? throw new JsonException($"Document '{reader.GetString(0)}' is stored as JSON null.");
        return new Versioned<T>(reader.GetString(0), document, reader.GetInt64(1));
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    public Task<IReadOnlyList<long?>> ReplaceEachAsync(IReadOnlyList<VersionedReplace<T>> items, CancellationToken ct = default)
    {
        DocumentBatches.CheckReplaces(items);
        if (items.Count == 0) return Task.FromResult<IReadOnlyList<long?>>([]);
        var data = items.Select(item => JsonSerializer.Serialize(item.Document, StorageJson.Options)).ToArray();

        return database.WriteAsync<IReadOnlyList<long?>>(async (connection, transaction) =>
        {
            // Two statements, each prepared once and run per item: the batch costs one commit, not one per document.
            var now = Now();
            await using var replace = connection.Command(sql.Replace, transaction)
                .With("$id", "").With("$expectedVersion", 0L).With("$now", now).With("$data", "");
            await using var insert = connection.Command(sql.Insert, transaction).With("$id", "").With("$now", now).With("$data", "");
            var versions = new long?[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var command = items[i].ExpectedVersion == 0 ? insert : replace;
                command.Parameters["$id"].Value = items[i].Id;
                command.Parameters["$data"].Value = data[i];
                if (command == replace) command.Parameters["$expectedVersion"].Value = items[i].ExpectedVersion;
                // No row: missing, moved on, or (an insert) there already. Only that item is skipped; the transaction keeps the others.
                versions[i] = await command.ExecuteNonQueryAsync(ct) == 0 ? null : items[i].ExpectedVersion + 1;
            }
            return versions;
        }, ct);
    }
}
