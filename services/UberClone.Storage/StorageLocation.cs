using Microsoft.Extensions.Configuration;
using MongoDB.Driver;
using UberClone.Storage.Mongo;
using UberClone.Storage.Sqlite;

namespace UberClone.Storage;

/// <summary>Which provider a service's configuration selects, where it points, and how to open it.</summary>
internal sealed record StorageLocation(string Provider, string Description, Func<IDocumentDatabase> Open)
{
    public static StorageLocation From(IConfiguration configuration, string contentRoot, string name)
    {
        if (configuration.GetConnectionString(name) is { Length: > 0 } connectionString)
        {
            var url = MongoUrl.Create(connectionString);
            var database = string.IsNullOrEmpty(url.DatabaseName) ? name : url.DatabaseName;
            // Servers and database only: the URL itself may carry a password.
            var servers = string.Join(",", url.Servers.Select(server => server.ToString()));
            return new("MongoDB", $"{servers}/{database}", () => new MongoDocumentDatabase(url, database));
        }

        var directory = Path.GetFullPath(Path.Combine(contentRoot, configuration["Storage:DataDirectory"] ?? "data"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{name}.db");
        return new("SQLite", file, () => new SqliteDocumentDatabase(file));
    }
}
