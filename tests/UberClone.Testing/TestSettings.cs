using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Testing;

/// <summary>
/// What makes a model safe to run from a test: random ports everywhere (tests run beside a developer's stack and
/// each other), a temporary data directory deleted on dispose, Development environment, resource output kept in
/// ResourceLoggerService instead of the test's console, no dashboard, and no Node.js web apps unless the test asks for
/// them with --Testing:WebApps=true (a dev server per test project would fight over the app's folder and the CPU; only
/// browser tests need one).
/// </summary>
internal sealed class TestSettings
{
    /// <summary>The AppHost's data directory setting (Program.cs passes it to WithDataBindMount).</summary>
    public const string DataDirectoryKey = "Storage:DataDirectory";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"uberclone-test-{Guid.NewGuid():N}");

    public void ApplyTo(DistributedApplicationOptions options)
    {
        options.RandomizePorts = true;
        options.WriteResourceLogsToConsole = false;
        options.EnvironmentName ??= "Development";
    }

    public const string WebAppsKey = "Testing:WebApps";

    public static void RemoveWebAppsUnlessRequested(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(WebAppsKey)) return;
        foreach (var web in builder.Resources.OfType<NodeAppResource>().ToList())
        {
            builder.Resources.Remove(web);
        }
    }

    public void ApplyTo(IDistributedApplicationBuilder builder)
    {
        // Lowest precedence: a test's own args or environment still win.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { [DataDirectoryKey] = _dataDirectory },
        });
        builder.Services.AddHostedService(_ => new TemporaryDirectory(_dataDirectory));
    }

    /// <summary>Deleted when the application is disposed, after every resource has stopped.</summary>
    private sealed class TemporaryDirectory(string path) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }
}
