using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// Starts every resource once what it waits for is healthy, tracks states (Aspire's names), reports unexpected exits,
/// and stops everything on shutdown. Stands in for Aspire's DCP.
/// </summary>
internal sealed class ApplicationOrchestrator : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    private readonly DistributedApplicationModel _model;
    private readonly DistributedApplicationOptions _options;
    private readonly ResourceNotificationService _notifications;
    private readonly ResourceLoggerService _logs;
    private readonly ProjectEnvironment _projectEnvironment;
    private readonly OrphanWatchdog _watchdog = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, ResourceEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lifecycle = new();
    private bool _started;
    private Task? _stopped;

    public ApplicationOrchestrator(DistributedApplicationModel model, DistributedApplicationOptions options,
        ResourceNotificationService notifications, ResourceLoggerService logs, IHostEnvironment environment, IConfiguration configuration)
    {
        _model = model;
        _options = options;
        _notifications = notifications;
        _logs = logs;
        _projectEnvironment = new ProjectEnvironment(environment, configuration);
        if (options.WriteResourceLogsToConsole)
        {
            logs.AddSink(new ConsoleOutput(model.Resources.Select(r => r.Name)).Write);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        DependencyOrder.ThrowOnCycle(_model.Resources);
        lock (_lifecycle)
        {
            if (_started)
            {
                return Task.CompletedTask;
            }
            _started = true;
        }
        var allocator = new PortAllocator();
        foreach (var resource in _model.Resources)
        {
            _entries[resource.Name] = new ResourceEntry(resource, CreateRunner(resource, allocator));
            Publish(resource, s => s with { State = KnownResourceStates.NotStarted });
        }
        _watchdog.Start();
        Note(ConsoleOutput.AppHostName, $"starting {_model.Resources.Count} resources; Ctrl+C stops them all");

        var clock = Stopwatch.StartNew();
        var runs = _entries.Values.Select(entry => Launch(entry)).ToList();
        _ = ReportStartupAsync(runs, clock);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            return _stopped ??= _started ? StopAllAsync() : Task.CompletedTask;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    public async Task StopResourceAsync(string resourceName, CancellationToken cancellationToken)
    {
        var entry = GetEntry(resourceName);
        // The run is cancelled and awaited first, so nothing it was about to start escapes the stop.
        await entry.RunCancellation.CancelAsync();
        Publish(entry.Resource, s => s with { State = KnownResourceStates.Stopping });
        await entry.Run.WaitAsync(cancellationToken);
        await entry.Runner.StopAsync().WaitAsync(cancellationToken);
        lock (entry.Gate)
        {
            entry.HasExited = true;
            Publish(entry.Resource, s => s with
            {
                State = KnownResourceStates.Exited,
                HealthStatus = null,
                StopTimeStamp = DateTime.UtcNow,
                ProcessIds = [],
                Message = "stopped",
            });
        }
        Note(resourceName, "stopped");
    }

    /// <summary>Starts a stopped (or failed) resource again with the same ports, so those referencing it find it where they left it.</summary>
    public Task StartResourceAsync(string resourceName, CancellationToken cancellationToken)
    {
        var entry = GetEntry(resourceName);
        var state = _notifications.TryGetCurrentState(resourceName, out var current) ? current!.Snapshot.State : KnownResourceStates.NotStarted;
        if (!KnownResourceStates.IsTerminal(state))
        {
            throw new InvalidOperationException($"Resource '{resourceName}' is {state}; stop it before starting it.");
        }
        Publish(entry.Resource, s => s with { State = KnownResourceStates.NotStarted, ExitCode = null, Message = null, HealthStatus = null });
        Launch(entry);
        return Task.CompletedTask;
    }

    private Task<bool> Launch(ResourceEntry entry)
    {
        lock (entry.Gate)
        {
            // A run that outlived its process (still between health checks) must not report on the new one.
            entry.RunCancellation.Cancel();
            entry.HasExited = false;
            entry.RunCancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            return entry.Run = RunAsync(entry, entry.RunCancellation.Token);
        }
    }

    /// <summary>Waiting → Starting → Running (Unhealthy) → Running (Healthy); FailedToStart with a reason otherwise. True when healthy.</summary>
    private async Task<bool> RunAsync(ResourceEntry entry, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var resource = entry.Resource;
        try
        {
            var dependencies = resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).Distinct().ToList();
            if (dependencies.Count > 0)
            {
                Publish(resource, s => s with { State = KnownResourceStates.Waiting, Message = $"waiting for {string.Join(", ", dependencies)}" });
                foreach (var dependency in dependencies)
                {
                    await WaitForDependencyAsync(dependency, cancellationToken);
                }
            }

            Publish(resource, s => s with
            {
                State = KnownResourceStates.Starting, Message = null, ExitCode = null, HealthStatus = null,
                StartTimeStamp = DateTime.UtcNow, StopTimeStamp = null,
            });
            await entry.Runner.StartAsync(cancellationToken);
            lock (entry.Gate)
            {
                if (entry.HasExited)
                {
                    return false;
                }
                Publish(resource, s => s with
                {
                    State = KnownResourceStates.Running,
                    HealthStatus = HealthStatus.Unhealthy,
                    Urls = ResourceSummary.Urls(resource),
                    ProcessIds = [.. entry.Runner.ProcessIds],
                    EnvironmentVariables = entry.Runner is ProjectRunner project
                        ? [.. project.Environment.Select(v => new EnvironmentVariableSnapshot(v.Key, v.Value))]
                        : [],
                });
            }
            return await WaitUntilHealthyAsync(entry, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex)
        {
            await FailAsync(entry, ex is DistributedApplicationException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    private async Task WaitForDependencyAsync(IResource dependency, CancellationToken cancellationToken)
    {
        try
        {
            await _notifications.WaitForResourceHealthyAsync(dependency.Name, cancellationToken);
        }
        catch (DistributedApplicationException ex)
        {
            // Its first line says why; its output belongs to its own log, not repeated by every dependent.
            throw new DistributedApplicationException($"dependency '{dependency.Name}' is not available. {ex.Message.Split(Environment.NewLine)[0]}", ex);
        }
    }

    private async Task<bool> WaitUntilHealthyAsync(ResourceEntry entry, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var result = await CheckHealthAsync(entry.Runner, cancellationToken);
            lock (entry.Gate)
            {
                if (entry.HasExited)
                {
                    return false;
                }
                if (result.Status == HealthStatus.Healthy)
                {
                    Publish(entry.Resource, s => s with { HealthStatus = HealthStatus.Healthy });
                    break;
                }
            }
            if (clock.Elapsed >= _options.HealthTimeout)
            {
                await FailAsync(entry, $"not healthy within {_options.HealthTimeout.TotalSeconds:0} s (last check: {result.Description ?? "unhealthy"}).");
                return false;
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond));
        }
        var description = await ResourceSummary.DescribeAsync(entry.Resource);
        Note(entry.Resource.Name, $"healthy after {clock.Elapsed.TotalSeconds:0.0} s{(description.Length > 0 ? ": " + description : "")}");
        return true;
    }

    private static async Task<HealthCheckResult> CheckHealthAsync(IResourceRunner runner, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthCheckTimeout);
        try
        {
            return await runner.CheckHealthAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"health check timed out after {HealthCheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Stops what was started (a half-started resource must not linger) and says why, with the last output.</summary>
    private async Task FailAsync(ResourceEntry entry, string reason)
    {
        lock (entry.Gate)
        {
            entry.HasExited = true;
        }
        await entry.Runner.StopAsync();
        var name = entry.Resource.Name;
        Note(name, $"FailedToStart: {reason}", isError: true);
        Publish(entry.Resource, s => s with
        {
            State = KnownResourceStates.FailedToStart,
            HealthStatus = null,
            StopTimeStamp = DateTime.UtcNow,
            ProcessIds = [],
            Message = $"{reason}{Environment.NewLine}Last output of '{name}':{Environment.NewLine}{ResourceSummary.Tail(_logs, name)}",
        });
    }

    /// <summary>A process nobody asked to stop has exited: Finished (code 0) or Exited, never restarted automatically.</summary>
    private void OnUnexpectedExit(ResourceEntry entry, int exitCode)
    {
        var name = entry.Resource.Name;
        var replicasLeft = entry.Runner.ProcessIds.Count;
        Note(name, $"a process exited unexpectedly with code {exitCode}{(replicasLeft > 0 ? $"; {replicasLeft} replica(s) still running" : "")}", isError: exitCode != 0);
        lock (entry.Gate)
        {
            if (replicasLeft > 0)
            {
                Publish(entry.Resource, s => s with { HealthStatus = HealthStatus.Degraded, ProcessIds = [.. entry.Runner.ProcessIds], Message = $"a replica exited with code {exitCode}" });
                return;
            }
            var wasHealthy = _notifications.TryGetCurrentState(name, out var current) && current!.Snapshot.HealthStatus == HealthStatus.Healthy;
            entry.HasExited = true;
            Publish(entry.Resource, s => s with
            {
                State = exitCode == 0 ? KnownResourceStates.Finished : KnownResourceStates.Exited,
                ExitCode = exitCode,
                HealthStatus = null,
                StopTimeStamp = DateTime.UtcNow,
                ProcessIds = [],
                Message = $"exited with code {exitCode}{(wasHealthy ? "" : " before becoming healthy")}.{Environment.NewLine}" +
                          $"Last output of '{name}':{Environment.NewLine}{ResourceSummary.Tail(_logs, name)}",
            });
        }
    }

    private async Task ReportStartupAsync(IReadOnlyList<Task<bool>> runs, Stopwatch clock)
    {
        var healthy = await Task.WhenAll(runs);
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        if (healthy.All(h => h))
        {
            Note(ConsoleOutput.AppHostName, $"all resources healthy in {clock.Elapsed.TotalSeconds:0.0} s");
            return;
        }
        var failed = _entries.Values.Where((_, i) => !healthy[i])
            .Select(e => _notifications.TryGetCurrentState(e.Resource.Name, out var current) ? $"{e.Resource.Name} ({current!.Snapshot.State})" : e.Resource.Name);
        Note(ConsoleOutput.AppHostName, $"startup finished in {clock.Elapsed.TotalSeconds:0.0} s with failures: {string.Join(", ", failed)}", isError: true);
    }

    /// <summary>Dependents first (the gateway before the services, the services before Kafka), so nobody logs a lost broker on the way out.</summary>
    private async Task StopAllAsync()
    {
        await _stopping.CancelAsync();
        Note(ConsoleOutput.AppHostName, "stopping all resources");
        var stops = new Dictionary<IResource, Task>();
        var visiting = new HashSet<IResource>();
        await Task.WhenAll(_entries.Values.Select(e => StopInOrder(e.Resource)));
        _watchdog.Dispose();

        Task StopInOrder(IResource resource)
        {
            if (!stops.TryGetValue(resource, out var stop))
            {
                // References may be mutual (two services discovering each other): such a pair just stops together.
                visiting.Add(resource);
                var dependents = _model.Resources
                    .Where(r => !visiting.Contains(r) && DependencyOrder.Dependencies(r).Contains(resource))
                    .Select(StopInOrder).ToList();
                visiting.Remove(resource);
                stops[resource] = stop = StopAfterAsync(_entries[resource.Name], dependents);
            }
            return stop;
        }
    }

    private async Task StopAfterAsync(ResourceEntry entry, IReadOnlyList<Task> dependents)
    {
        await Task.WhenAll(dependents);
        await entry.Run;
        Publish(entry.Resource, s => KnownResourceStates.IsTerminal(s.State) ? s : s with { State = KnownResourceStates.Stopping });
        await entry.Runner.StopAsync();
        lock (entry.Gate)
        {
            entry.HasExited = true;
        }
        Publish(entry.Resource, s => KnownResourceStates.IsTerminal(s.State) ? s : s with
        {
            State = KnownResourceStates.Exited, HealthStatus = null, StopTimeStamp = DateTime.UtcNow, ProcessIds = [],
        });
    }

    private IResourceRunner CreateRunner(IResource resource, PortAllocator allocator)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var fixedPort = _options.RandomizePorts || endpoint.Port is null or 0 ? (int?)null : endpoint.Port;
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, endpoint.TargetHost, fixedPort ?? allocator.Allocate());
        }
        ProcessLaunch? launch = resource switch
        {
            ProjectResource p => new DotnetProjectLaunch(p, _options.BuildConfiguration),
            NodeAppResource node => new NpmScriptLaunch(node),
            _ => null,
        };
        if (launch is null)
        {
            if (resource is IResourceWithConsole console) console.WriteConsoleTo((line, isError) => _logs.Write(resource.Name, line, isError));
            return new InProcessRunner(resource);
        }
        var project = resource;
        var replicas = project.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToList();
        // One replica binds the address clients use; several bind their own ports behind a proxy on that address.
        var replicaPorts = Enumerable.Range(0, replicas)
            .Select(_ => (IReadOnlyDictionary<string, int>)endpoints.ToDictionary(
                e => e.Name, e => replicas == 1 ? e.AllocatedEndpoint!.Port : allocator.Allocate()))
            .ToList();
        return new ProjectRunner(project, launch, replicaPorts, _projectEnvironment, _logs, _watchdog,
            exitCode => OnUnexpectedExit(_entries[project.Name], exitCode));
    }

    private ResourceEntry GetEntry(string resourceName) =>
        _entries.TryGetValue(resourceName, out var entry)
            ? entry
            : throw new ArgumentException($"No started resource named '{resourceName}'. Known: {string.Join(", ", _model.Resources.Select(r => r.Name))}.", nameof(resourceName));

    private void Publish(IResource resource, Func<CustomResourceSnapshot, CustomResourceSnapshot> update) =>
        _notifications.PublishUpdateAsync(resource, update);

    private void Note(string resourceName, string message, bool isError = false) => _logs.Write(resourceName, message, isError);

    private sealed class ResourceEntry(IResource resource, IResourceRunner runner)
    {
        public IResource Resource { get; } = resource;
        public IResourceRunner Runner { get; } = runner;
        /// <summary>Serializes "exited" against "running/healthy" so a fast crash is never reported as Running.</summary>
        public Lock Gate { get; } = new();
        public bool HasExited { get; set; }
        public CancellationTokenSource RunCancellation { get; set; } = new();
        public Task<bool> Run { get; set; } = Task.FromResult(false);
    }
}
