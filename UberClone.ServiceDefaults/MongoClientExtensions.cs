using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Microsoft.Extensions.Hosting;

/// <summary>Settings bound like Aspire.MongoDB.Driver's MongoDBSettings.</summary>
public sealed class MongoDBSettings
{
    public string? ConnectionString { get; set; }
    public bool DisableHealthChecks { get; set; }
    public int? HealthCheckTimeout { get; set; }
}

/// <summary>
/// Shim named and bound like the Aspire.MongoDB.Driver client integration: Aspire:MongoDB:Driver, then
/// Aspire:MongoDB:Driver:{name}, then ConnectionStrings:{name}. Registers IMongoClient, and IMongoDatabase
/// only when the URL names a database; health check "MongoDB.Driver" runs {ping:1}.
/// </summary>
public static class MongoClientExtensions
{
    private const string DefaultConfigSectionName = "Aspire:MongoDB:Driver";

    public static IHostApplicationBuilder AddMongoDBClient(
        this IHostApplicationBuilder builder, string connectionName, Action<MongoDBSettings>? configureSettings = null)
    {
        var settings = new MongoDBSettings();
        builder.Configuration.GetSection(DefaultConfigSectionName).Bind(settings);
        builder.Configuration.GetSection($"{DefaultConfigSectionName}:{connectionName}").Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } cs) settings.ConnectionString = cs;
        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"MongoDB client '{connectionName}': set ConnectionStrings:{connectionName} or {DefaultConfigSectionName}:ConnectionString.");
        }

        var url = MongoUrl.Create(settings.ConnectionString);
        builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(url));
        if (!string.IsNullOrEmpty(url.DatabaseName))
        {
            builder.Services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase(url.DatabaseName));
        }

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "MongoDB.Driver",
                sp => new MongoPingHealthCheck(sp.GetRequiredService<IMongoClient>(), url.DatabaseName ?? "admin"),
                failureStatus: null, tags: null,
                timeout: settings.HealthCheckTimeout is { } ms ? TimeSpan.FromMilliseconds(ms) : null));
        }
        return builder;
    }
}

internal sealed class MongoPingHealthCheck(IMongoClient client, string database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.GetDatabase(database).RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("MongoDB ping failed.", ex);
        }
    }
}
