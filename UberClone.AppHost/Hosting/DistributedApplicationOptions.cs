using System.Reflection;

namespace Aspire.Hosting;

public sealed class DistributedApplicationOptions
{
    public string[] Args { get; set; } = [];

    /// <summary>The assembly that declares the model. Defaults to the entry assembly; the testing harness sets the AppHost's.</summary>
    public Assembly? AppHostAssembly { get; set; }

    /// <summary>The AppHost project's folder. Defaults to the AppHostProjectPath the AppHost was built with.</summary>
    public string? ProjectDirectory { get; set; }

    /// <summary>Null: from DOTNET_ENVIRONMENT (Production when unset, Development under `dotnet run` via launchSettings.json).</summary>
    public string? EnvironmentName { get; set; }

    /// <summary>Ignore fixed ports (tests run side by side with a developer's stack).</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>No dashboard even in run mode (Aspire's option). Under the testing harness it is off unless Dashboard:Enabled=true.</summary>
    public bool DisableDashboard { get; set; }

    /// <summary>Echo every resource's console output, prefixed with its name (off in tests: kept in ResourceLoggerService).</summary>
    public bool WriteResourceLogsToConsole { get; set; } = true;

    /// <summary>How long a resource may take to become healthy before it is declared FailedToStart (AppHost:HealthTimeoutSeconds).</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(120);

    internal Assembly ResolvedAppHostAssembly => AppHostAssembly ?? Assembly.GetEntryAssembly() ?? typeof(DistributedApplication).Assembly;

    /// <summary>Projects are launched from bin/{this}/: the configuration the AppHost itself was built in.</summary>
    internal string BuildConfiguration =>
        ResolvedAppHostAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    internal string ResolveProjectDirectory() =>
        ProjectDirectory
        ?? ResolvedAppHostAssembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AppHostProjectPath")?.Value
        ?? Directory.GetCurrentDirectory();
}
