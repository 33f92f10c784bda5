using System.Net.Http.Json;
using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace UberClone.AppHost.Tests;

/// <summary>Models built from EnvEcho (tests/TestAssets), so orchestrator tests do not depend on the real services.</summary>
internal static class TestModel
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static IResourceBuilder<ProjectResource> AddEcho(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddProject<Projects.EnvEcho>(name).WithHttpEndpoint();

    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> builder) =>
        builder.WithHttpEndpoint(name: "grpc").WithEndpoint("grpc", e => e.Transport = "http2");

    public static CancellationToken Deadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Timeout);
        return deadline.Token;
    }

    public static async Task<Dictionary<string, string?>> GetEnvironmentAsync(this DistributedApplication app, string resourceName)
    {
        using var client = app.CreateHttpClient(resourceName);
        return await client.GetFromJsonAsync<Dictionary<string, string?>>("/env", Deadline())
            ?? throw new InvalidOperationException("/env returned nothing");
    }

    public static IReadOnlyList<int> ProcessIds(this DistributedApplication app, string resourceName) =>
        app.ResourceNotifications.TryGetCurrentState(resourceName, out var current) ? [.. current!.Snapshot.ProcessIds] : [];

    /// <summary>Zombies count as gone: nothing reaps orphans on every machine (PID 1 may not be an init).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task<bool> AllGoneWithinAsync(IEnumerable<int> pids, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (pids.Any(IsAlive))
        {
            if (clock.Elapsed > within)
            {
                return false;
            }
            await Task.Delay(100);
        }
        return true;
    }
}
