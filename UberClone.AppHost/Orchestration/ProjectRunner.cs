using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.AppHost.Orchestration;

/// <summary>Runs a resource's replicas (a .NET project, a Node app) as processes (behind a <see cref="TcpProxy"/> per endpoint when there are several) and probes their health.</summary>
internal sealed class ProjectRunner(
    IResource project,
    ProcessLaunch launch,
    IReadOnlyList<IReadOnlyDictionary<string, int>> replicaPorts,
    ProjectEnvironment environment,
    ResourceLoggerService logs,
    OrphanWatchdog watchdog,
    Action<int> onUnexpectedExit) : IResourceRunner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly HttpClient HealthClient = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    private readonly Lock _gate = new();
    private readonly List<ProjectProcess> _processes = [];
    private readonly List<TcpProxy> _proxies = [];

    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _processes.Select(p => p.Id)];
            }
        }
    }

    /// <summary>What the first replica was given, for the dashboard and tests (later replicas differ only in ports and instance id).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var command = await launch.PrepareAsync(logs, cancellationToken);
        foreach (var (endpoint, port) in replicaPorts.SelectMany(ports => ports))
        {
            if (!PortAllocator.IsFree(port))
            {
                throw new DistributedApplicationException($"port {port} (endpoint '{endpoint}') is already in use by another process.");
            }
        }
        for (var replica = 0; replica < replicaPorts.Count; replica++)
        {
            var variables = await environment.BuildAsync(project, replicaPorts[replica], cancellationToken);
            if (replica == 0)
            {
                Environment = variables;
            }
            var linePrefix = replicaPorts.Count > 1 ? $"[{replica}] " : "";
            var process = ProjectProcess.Start(project.Name, linePrefix, command, launch.WorkingDirectory, variables, logs);
            watchdog.Track(process.Id);
            lock (_gate)
            {
                _processes.Add(process);
            }
            _ = ObserveExitAsync(process);
        }
        if (replicaPorts.Count > 1)
        {
            foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>())
            {
                _proxies.Add(new TcpProxy(endpoint.AllocatedEndpoint!.Port, [.. replicaPorts.Select(ports => ports[endpoint.Name])]));
            }
        }
    }

    /// <summary>Every replica must answer the health endpoint (default GET /health on "http" → 200).</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var check = project.Annotations.OfType<HttpHealthCheckAnnotation>().LastOrDefault()
            ?? new HttpHealthCheckAnnotation("/health", 200, "http");
        var endpoint = project.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == check.EndpointName);
        if (endpoint is null)
        {
            return HealthCheckResult.Healthy("no endpoint to probe");
        }
        foreach (var ports in replicaPorts)
        {
            var url = $"{endpoint.UriScheme}://{endpoint.TargetHost}:{ports[endpoint.Name]}{check.Path}";
            try
            {
                using var response = await HealthClient.GetAsync(url, cancellationToken);
                if ((int)response.StatusCode != check.StatusCode)
                {
                    return HealthCheckResult.Unhealthy($"GET {url} returned {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                return HealthCheckResult.Unhealthy($"GET {url}: {ex.Message}");
            }
        }
        return HealthCheckResult.Healthy();
    }

    public async Task StopAsync()
    {
        List<ProjectProcess> processes;
        lock (_gate)
        {
            processes = [.. _processes];
            _processes.Clear();
        }
        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }
        _proxies.Clear();
        await Task.WhenAll(processes.Select(async process =>
        {
            await process.StopAsync(StopGrace);
            watchdog.Untrack(process.Id);
        }));
    }

    /// <summary>Exits of processes that <see cref="StopAsync"/> took out of the list are expected; any other exit is reported.</summary>
    private async Task ObserveExitAsync(ProjectProcess process)
    {
        var exitCode = await process.Exited;
        lock (_gate)
        {
            if (!_processes.Remove(process))
            {
                return;
            }
        }
        watchdog.Untrack(process.Id);
        onUnexpectedExit(exitCode);
    }
}
