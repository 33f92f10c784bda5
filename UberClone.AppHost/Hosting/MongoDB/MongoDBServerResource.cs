using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Aspire.Hosting.MongoDB;

/// <summary>
/// A MongoDB server: an existing one given by ConnectionStrings:{name}, or none (embedded default), in which case
/// each service keeps its databases in SQLite files under <see cref="DataDirectory"/>.
/// </summary>
public sealed class MongoDBServerResource(string name, string? externalConnectionString)
    : Resource(name), IResourceWithConnectionString, IResourceWithHealthCheck
{
    public bool IsEmbedded => externalConnectionString is null;

    /// <summary>Where services keep their SQLite files when no server is given (Storage__DataDirectory).</summary>
    public string? DataDirectory { get; internal set; }

    public ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(externalConnectionString);

    /// <summary>{ping: 1}, what the services' MongoDB.Driver health check runs.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (externalConnectionString is null)
        {
            return HealthCheckResult.Healthy();
        }
        var settings = MongoClientSettings.FromConnectionString(externalConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(3);
        using var client = new MongoClient(settings);
        try
        {
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"ping failed: {ex.Message}");
        }
    }
}
