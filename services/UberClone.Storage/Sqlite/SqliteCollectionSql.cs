namespace UberClone.Storage.Sqlite;

/// <summary>
/// The SQL of one collection's table. Names are validated by <see cref="CollectionDefinition"/> before they
/// get here, and indexed fields are inlined (not parameters) because SQLite uses an expression index only
/// when the query repeats the indexed expression word for word.
/// </summary>
internal sealed class SqliteCollectionSql
{
    private readonly string table;

    public SqliteCollectionSql(CollectionDefinition definition)
    {
        Definition = definition;
        table = $"\"{definition.Name}\"";
        var indexes = definition.IndexedFields.Select(field =>
            $"CREATE INDEX IF NOT EXISTS \"{definition.Name}_by_{field}\" ON {table} ({FieldValue(field)}, seq);");

        // seq orders query results newest first by insertion; a replace keeps it.
        Schema = $"""
            CREATE TABLE IF NOT EXISTS {table} (
                id TEXT PRIMARY KEY NOT NULL,
                version INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS "{definition.Name}_by_seq" ON {table} (seq);
            {string.Join("\n", indexes)}
            """;
        Get = $"SELECT id, version, data FROM {table} WHERE id = $id;";
        GetMany = $"SELECT id, version, data FROM {table} WHERE id IN (SELECT value FROM json_each($ids));";
        Insert = $"""
            INSERT INTO {table} (id, version, seq, updated_at, data)
            VALUES ($id, 1, (SELECT IFNULL(MAX(seq), 0) + 1 FROM {table}), $now, $data)
            ON CONFLICT (id) DO NOTHING;
            """;
        Replace = $"""
            UPDATE {table} SET version = version + 1, updated_at = $now, data = $data
            WHERE id = $id AND version = $expectedVersion;
            """;
        Delete = $"DELETE FROM {table} WHERE id = $id AND version = $expectedVersion;";
    }

    public CollectionDefinition Definition { get; }

    public string Schema { get; }

    public string Get { get; }

    /// <summary>The rows of the ids in $ids, a JSON array of strings.</summary>
    public string GetMany { get; }

    /// <summary>Affects no row when the id exists.</summary>
    public string Insert { get; }

    /// <summary>Affects no row when the id is missing or no longer at $expectedVersion.</summary>
    public string Replace { get; }

    /// <summary>Affects no row when the id is missing or no longer at $expectedVersion.</summary>
    public string Delete { get; }

    public string Query(string field)
    {
        Definition.EnsureIndexed(field);
        return $"SELECT id, version, data FROM {table} WHERE {FieldValue(field)} = $value ORDER BY seq DESC LIMIT $limit;";
    }

    /// <summary>A page of <see cref="Query"/>'s matches older than $before (a seq), with their seq as a fourth column.</summary>
    public string QueryPage(string field)
    {
        Definition.EnsureIndexed(field);
        return $"SELECT id, version, data, seq FROM {table} WHERE {FieldValue(field)} = $value AND seq < $before ORDER BY seq DESC LIMIT $limit;";
    }

    public string QueryBetween(string field)
    {
        Definition.EnsureIndexed(field);
        // A string compares greater than any number in SQLite and NULL compares to nothing, so only numbers match.
        return $"SELECT id, version, data FROM {table} WHERE {FieldValue(field)} >= $min AND {FieldValue(field)} <= $max ORDER BY {FieldValue(field)}, seq LIMIT $limit;";
    }

    /// <summary>Deletes up to $limit rows of <see cref="QueryBetween"/>'s matches up to $max, smallest first.</summary>
    public string DeleteUpTo(string field)
    {
        Definition.EnsureIndexed(field);
        // The outbox is a table of its own here: a row's pending messages do not live in the row.
        return $"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {FieldValue(field)} >= $min AND {FieldValue(field)} <= $max ORDER BY {FieldValue(field)}, seq LIMIT $limit);";
    }

    private static string FieldValue(string field) => $"json_extract(data, '$.{field}')";
}
