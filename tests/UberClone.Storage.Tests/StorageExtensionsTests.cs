using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UberClone.Storage.Mongo;
using UberClone.Storage.Sqlite;

namespace UberClone.Storage.Tests;

public sealed class StorageExtensionsTests(TempDirectory directory) : IClassFixture<TempDirectory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_connection_string_the_service_gets_a_sqlite_file_in_the_data_directory()
    {
        var dataDirectory = Path.Combine(directory.Path, "configured");
        using var host = Build(new() { ["Storage:DataDirectory"] = dataDirectory });

        await host.StartAsync(Ct);

        var database = Assert.IsType<SqliteDocumentDatabase>(host.Services.GetRequiredService<IDocumentDatabase>());
        Assert.Equal(Path.Combine(dataDirectory, "tripsdb.db"), database.FilePath);
        Assert.True(File.Exists(database.FilePath));
        await host.StopAsync(Ct);
    }

    [Fact]
    public void The_default_data_directory_is_data_under_the_content_root()
    {
        using var host = Build([]);

        var database = Assert.IsType<SqliteDocumentDatabase>(host.Services.GetRequiredService<IDocumentDatabase>());

        Assert.Equal(Path.Combine(directory.Path, "data", "tripsdb.db"), database.FilePath);
    }

    [Fact]
    public void A_connection_string_selects_mongodb_and_the_log_line_hides_the_password()
    {
        var logs = new List<string>();
        using var host = Build(
            new() { ["ConnectionStrings:tripsdb"] = "mongodb://trips:s3cret@mongo.example:27017/tripsdb_live?authSource=admin" },
            logs);

        Assert.IsType<MongoDocumentDatabase>(host.Services.GetRequiredService<IDocumentDatabase>());

        var line = Assert.Single(logs);
        Assert.Equal("Storage: MongoDB at mongo.example:27017/tripsdb_live", line);
    }

    [Fact]
    public void Without_a_database_in_the_url_the_mongodb_database_is_named_after_the_resource()
    {
        var location = StorageLocation.From(
            new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:tripsdb", "mongodb://localhost:27017")]).Build(),
            directory.Path, "tripsdb");

        Assert.Equal(("MongoDB", "localhost:27017/tripsdb"), (location.Provider, location.Description));
    }

    [Fact]
    public async Task The_storage_health_check_pings_the_database()
    {
        using var host = Build(new() { ["Storage:DataDirectory"] = Path.Combine(directory.Path, "health") });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Entries["storage"].Status);
    }

    private IHost Build(Dictionary<string, string?> settings, List<string>? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = directory.Path,
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null)
        {
            builder.Logging.AddProvider(new ListLoggerProvider(logs));
        }
        builder.AddDocumentDatabase("tripsdb");
        return builder.Build();
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
