using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.MongoDB;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class MongoDBBuilderExtensions
{
    /// <summary>
    /// A MongoDB server. ConnectionStrings:{name} in the AppHost's configuration names an existing server; otherwise
    /// none runs and services referencing its databases use their embedded SQLite provider.
    /// </summary>
    public static IResourceBuilder<MongoDBServerResource> AddMongoDB(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new MongoDBServerResource(name, builder.Configuration.GetConnectionString(name)));

    public static IResourceBuilder<MongoDBDatabaseResource> AddDatabase(this IResourceBuilder<MongoDBServerResource> builder, string name, string? databaseName = null) =>
        builder.ApplicationBuilder.AddResource(new MongoDBDatabaseResource(name, databaseName ?? name, builder.Resource));

    /// <summary>Where the data lives on this machine; for the embedded default, the folder of the services' SQLite files.</summary>
    public static IResourceBuilder<MongoDBServerResource> WithDataBindMount(this IResourceBuilder<MongoDBServerResource> builder, string source)
    {
        builder.Resource.DataDirectory = Path.GetFullPath(Path.Combine(builder.ApplicationBuilder.AppHostDirectory, source));
        return builder;
    }
}
