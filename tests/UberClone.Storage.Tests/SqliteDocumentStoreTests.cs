using Microsoft.Data.Sqlite;
using UberClone.Storage.Sqlite;

namespace UberClone.Storage.Tests;

public sealed class SqliteDocumentStoreTests(TempDirectory directory) : DocumentStoreContract, IClassFixture<TempDirectory>
{
    private readonly string file = Path.Combine(directory.Path, $"{Guid.NewGuid():N}.db");

    protected override IDocumentDatabase OpenDatabase() => new SqliteDocumentDatabase(file);

    protected override IDocumentDatabase ReopenDatabase() => new SqliteDocumentDatabase(file);

    [Fact]
    public void Database_file_is_in_wal_mode()
    {
        _ = Database;
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", command.ExecuteScalar());
    }
}
