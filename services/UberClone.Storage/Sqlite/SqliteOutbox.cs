using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace UberClone.Storage.Sqlite;

/// <summary>
/// The outbox table. Rows are deleted once published. seq is the rowid: a new row always gets a larger one
/// than every row present, which is all "oldest first" needs among pending rows.
/// </summary>
internal sealed class SqliteOutbox(SqliteDocumentDatabase database) : IOutbox
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            topic TEXT NOT NULL,
            key TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            traceparent TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS outbox_by_id ON outbox (id);
        """;

    public static async Task AddAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OutboxMessage>? messages, CancellationToken ct)
    {
        foreach (var message in messages ?? [])
        {
            await using var command = connection.Command(
                """
                INSERT INTO outbox (id, topic, key, type, value, traceparent, created_at)
                VALUES ($id, $topic, $key, $type, $value, $traceparent, $createdAt);
                """, transaction)
                .With("$id", message.Id).With("$topic", message.Topic).With("$key", message.Key)
                .With("$type", message.Type).With("$value", message.Value).With("$traceparent", message.TraceParent)
                .With("$createdAt", message.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> GetPendingAsync(int max, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.Command(
            "SELECT id, topic, key, type, value, traceparent, created_at FROM outbox ORDER BY seq LIMIT $max;")
            .With("$max", max);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var messages = new List<OutboxMessage>();
        while (await reader.ReadAsync(ct))
        {
            messages.Add(new OutboxMessage(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }
        return messages;
    }

    public async Task MarkPublishedAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count == 0)
        {
            return;
        }
        // One JSON array parameter instead of one parameter per id: no limit on the batch size.
        var ids = JsonSerializer.Serialize(messageIds);
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(
                "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each($ids));", transaction).With("$ids", ids);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);
    }
}
