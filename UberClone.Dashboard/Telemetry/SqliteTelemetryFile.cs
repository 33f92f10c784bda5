using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace UberClone.Dashboard.Telemetry;

/// <summary>
/// Keeps telemetry in a SQLite file so it survives an AppHost restart and can be opened by the dashboard on its own.
/// Each record is a JSON row; the file is pruned to the same caps as memory, so it stays bounded too.
/// </summary>
public sealed class SqliteTelemetryFile : ITelemetrySink, IDisposable
{
    private const int PruneEvery = 2_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SqliteConnection _connection;
    private readonly TelemetryLimits _limits;
    private readonly Lock _gate = new();
    private int _writesSincePrune;

    private SqliteTelemetryFile(SqliteConnection connection, TelemetryLimits limits)
    {
        _connection = connection;
        _limits = limits;
    }

    public string Path => _connection.DataSource;

    /// <summary>Opens (or creates) the file, loads what it holds into the store, then records everything the store receives.</summary>
    public static SqliteTelemetryFile Open(string path, TelemetryStore store)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS logs (id INTEGER PRIMARY KEY, resource TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS logs_resource ON logs (resource, id);
            CREATE TABLE IF NOT EXISTS spans (id INTEGER PRIMARY KEY, resource TEXT NOT NULL, trace_id TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS spans_resource ON spans (resource, trace_id);
            CREATE TABLE IF NOT EXISTS instruments (resource TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (resource, name));
            CREATE TABLE IF NOT EXISTS points (id INTEGER PRIMARY KEY, resource TEXT NOT NULL, instrument TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS points_instrument ON points (resource, instrument, id);
            """);
        var file = new SqliteTelemetryFile(connection, store.Limits);
        file.LoadInto(store);
        store.Sink = file;
        return file;
    }

    private void LoadInto(TelemetryStore store)
    {
        var logs = new List<LogEntry>();
        var spans = new List<SpanEntry>();
        var points = new List<MetricPoint>();
        foreach (var resource in Strings("SELECT DISTINCT resource FROM logs"))
        {
            logs.AddRange(Rows<LogEntry>("SELECT json FROM (SELECT id, json FROM logs WHERE resource = $a ORDER BY id DESC LIMIT $n) ORDER BY id",
                resource, null, _limits.LogsPerResource));
        }
        foreach (var resource in Strings("SELECT DISTINCT resource FROM spans"))
        {
            spans.AddRange(Rows<SpanEntry>("""
                SELECT json FROM spans WHERE resource = $a AND trace_id IN
                  (SELECT trace_id FROM spans WHERE resource = $a GROUP BY trace_id ORDER BY MAX(id) DESC LIMIT $n)
                ORDER BY id
                """, resource, null, _limits.TracesPerResource));
        }
        var instruments = Rows<InstrumentInfo>("SELECT json FROM instruments", null, null, 0);
        foreach (var instrument in instruments)
        {
            points.AddRange(Rows<MetricPoint>("SELECT json FROM (SELECT id, json FROM points WHERE resource = $a AND instrument = $b ORDER BY id DESC LIMIT $n) ORDER BY id",
                instrument.Resource, instrument.Name, _limits.PointsPerInstrument));
        }
        store.Add(logs.OrderBy(l => l.Id).ToList(), spans, instruments, points);
    }

    public void Write(IReadOnlyList<LogEntry> logs, IReadOnlyList<SpanEntry> spans, IReadOnlyList<InstrumentInfo> instruments, IReadOnlyList<MetricPoint> points)
    {
        if (logs.Count + spans.Count + instruments.Count + points.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            using (var transaction = _connection.BeginTransaction())
            {
                Insert(transaction, "INSERT INTO logs (resource, json) VALUES ($a, $j)", logs, l => (l.Resource, null));
                Insert(transaction, "INSERT INTO spans (resource, trace_id, json) VALUES ($a, $b, $j)", spans, s => (s.Resource, s.TraceId));
                Insert(transaction, "INSERT OR IGNORE INTO instruments (resource, name, json) VALUES ($a, $b, $j)", instruments, i => (i.Resource, i.Name));
                Insert(transaction, "INSERT INTO points (resource, instrument, json) VALUES ($a, $b, $j)", points, p => (p.Resource, p.Instrument));
                transaction.Commit();
            }
            _writesSincePrune += logs.Count + spans.Count + points.Count;
            if (_writesSincePrune >= PruneEvery)
            {
                _writesSincePrune = 0;
                Prune();
            }
        }
    }

    /// <summary>Drops what memory would have dropped: the oldest rows past each cap.</summary>
    private void Prune()
    {
        foreach (var resource in Strings("SELECT DISTINCT resource FROM logs"))
        {
            Execute(_connection, "DELETE FROM logs WHERE resource = $a AND id <= (SELECT id FROM logs WHERE resource = $a ORDER BY id DESC LIMIT 1 OFFSET $n)",
                resource, null, _limits.LogsPerResource);
        }
        foreach (var resource in Strings("SELECT DISTINCT resource FROM spans"))
        {
            Execute(_connection, """
                DELETE FROM spans WHERE resource = $a AND trace_id NOT IN
                  (SELECT trace_id FROM spans WHERE resource = $a GROUP BY trace_id ORDER BY MAX(id) DESC LIMIT $n)
                """, resource, null, _limits.TracesPerResource);
        }
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT resource, name FROM instruments";
        var instruments = new List<(string, string)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                instruments.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        foreach (var (resource, name) in instruments)
        {
            Execute(_connection, "DELETE FROM points WHERE resource = $a AND instrument = $b AND id <= (SELECT id FROM points WHERE resource = $a AND instrument = $b ORDER BY id DESC LIMIT 1 OFFSET $n)",
                resource, name, _limits.PointsPerInstrument);
        }
    }

    private void Insert<T>(SqliteTransaction transaction, string sql, IReadOnlyList<T> items, Func<T, (string A, string? B)> keys)
    {
        if (items.Count == 0)
        {
            return;
        }
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var a = command.Parameters.Add("$a", SqliteType.Text);
        var b = command.Parameters.Add("$b", SqliteType.Text);
        var j = command.Parameters.Add("$j", SqliteType.Text);
        foreach (var item in items)
        {
            var (keyA, keyB) = keys(item);
            a.Value = keyA;
            b.Value = (object?)keyB ?? DBNull.Value;
            j.Value = JsonSerializer.Serialize(item, Json);
            command.ExecuteNonQuery();
        }
    }

    private List<string> Strings(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }
        return result;
    }

    private List<T> Rows<T>(string sql, string? a, string? b, int n)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", (object?)a ?? DBNull.Value);
        command.Parameters.AddWithValue("$b", (object?)b ?? DBNull.Value);
        command.Parameters.AddWithValue("$n", n);
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            if (JsonSerializer.Deserialize<T>(reader.GetString(0), Json) is { } row)
            {
                result.Add(row);
            }
        }
        return result;
    }

    private static void Execute(SqliteConnection connection, string sql, string? a = null, string? b = null, int n = 0)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (sql.Contains("$a")) command.Parameters.AddWithValue("$a", (object?)a ?? DBNull.Value);
        if (sql.Contains("$b")) command.Parameters.AddWithValue("$b", (object?)b ?? DBNull.Value);
        if (sql.Contains("$n")) command.Parameters.AddWithValue("$n", n);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }
}
