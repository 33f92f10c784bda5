using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UberClone.Messaging.Embedded;

namespace UberClone.Messaging.Tests.Infrastructure;

/// <summary>A service host built with the real builder APIs, pointed at a test's embedded broker.</summary>
public static class TestHosts
{
    public static async Task<IHost> StartAsync(EmbeddedKafkaBroker broker, Action<HostApplicationBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No environment variables or appsettings: a developer's OTEL_SERVICE_NAME must not leak in.
            DisableDefaults = true,
            ApplicationName = "UberClone.Messaging.Tests",
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = broker.BootstrapServers,
            // What the AppHost sets for the embedded broker: an empty fetch otherwise waits 500 ms.
            ["Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs"] = "10",
            // Tests read committed offsets soon after handling.
            ["Aspire:Confluent:Kafka:Consumer:Config:AutoCommitIntervalMs"] = "100",
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(new TestOutputLoggerProvider());
        configure(builder);

        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    public static string Unique(string name) => $"{name}.{Guid.NewGuid():N}"[..(name.Length + 9)];
}
