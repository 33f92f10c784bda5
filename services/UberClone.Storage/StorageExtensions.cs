using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UberClone.Storage;

namespace Microsoft.Extensions.Hosting;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the service's <see cref="IDocumentDatabase"/>: MongoDB when <c>ConnectionStrings:{name}</c> is set
    /// (database from the URL, else <paramref name="name"/>), otherwise the SQLite file <c>{name}.db</c> in
    /// <c>Storage:DataDirectory</c> (default <c>{ContentRoot}/data</c>). Adds the "storage" health check.
    /// </summary>
    public static IHostApplicationBuilder AddDocumentDatabase(this IHostApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var location = StorageLocation.From(builder.Configuration, builder.Environment.ContentRootPath, name);
        builder.Services.AddSingleton<IDocumentDatabase>(services =>
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("UberClone.Storage")
                .LogInformation("Storage: {Provider} at {Location}", location.Provider, location.Description);
            return location.Open();
        });
        builder.Services.AddHostedService<StorageStartup>();
        builder.Services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return builder;
    }
}
