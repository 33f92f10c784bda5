using MongoDB.Driver;
using UberClone.Storage.Mongo;

namespace UberClone.Storage.Tests;

/// <summary>Runs the contract against the MongoDB server named by UBERCLONE_TEST_MONGO, each test in its own database.</summary>
public sealed class MongoDocumentStoreTests : DocumentStoreContract
{
    private const string ServerVariable = "UBERCLONE_TEST_MONGO";

    private readonly string databaseName = $"uberclone_test_{Guid.NewGuid():N}";
    private MongoUrl? url;

    protected override IDocumentDatabase OpenDatabase()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Skip(
                $"MongoDB tests skipped: set {ServerVariable}=mongodb://host:port to run them (no MongoDB server on this machine)");
        }
        url = MongoUrl.Create(server);
        return ReopenDatabase();
    }

    protected override IDocumentDatabase ReopenDatabase() => new MongoDocumentDatabase(url!, databaseName);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (url is not null)
        {
            using var client = new MongoClient(url);
            await client.DropDatabaseAsync(databaseName);
        }
    }
}
