using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.MongoDB;

/// <summary>One service's database: ConnectionStrings__{name} on a given server, or its SQLite file in the data directory.</summary>
public sealed class MongoDBDatabaseResource(string name, string databaseName, MongoDBServerResource parent)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<MongoDBServerResource>,
      IResourceWithReferenceEnvironment, IResourceWithHealthCheck
{
    public string DatabaseName { get; } = databaseName;
    public MongoDBServerResource Parent { get; } = parent;

    public async ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default) =>
        await Parent.GetConnectionStringAsync(cancellationToken) is { } server ? WithDatabase(server, DatabaseName) : null;

    public ValueTask ApplyReferenceEnvironmentAsync(EnvironmentCallbackContext context)
    {
        if (Parent.IsEmbedded && Parent.DataDirectory is { } directory)
        {
            context.EnvironmentVariables["Storage__DataDirectory"] = directory;
        }
        return ValueTask.CompletedTask;
    }

    public Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken) => Parent.CheckHealthAsync(cancellationToken);

    /// <summary>mongodb://[user:pwd@]host:port[/db][?query] → the same server with /{database} as path, query kept.</summary>
    internal static string WithDatabase(string serverUrl, string database)
    {
        var schemeEnd = serverUrl.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var queryStart = serverUrl.IndexOf('?', authorityStart);
        var query = queryStart < 0 ? "" : serverUrl[queryStart..];
        var withoutQuery = queryStart < 0 ? serverUrl : serverUrl[..queryStart];
        var pathStart = withoutQuery.IndexOf('/', authorityStart);
        var authority = pathStart < 0 ? withoutQuery : withoutQuery[..pathStart];
        return $"{authority}/{database}{query}";
    }
}
