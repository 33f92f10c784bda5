using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Publishes resource state changes and lets callers wait for a state (Aspire's ResourceNotificationService).</summary>
public sealed class ResourceNotificationService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceEvent> _latest = new(StringComparer.Ordinal);
    private readonly List<Channel<ResourceEvent>> _watchers = [];

    public bool TryGetCurrentState(string resourceName, out ResourceEvent? resourceEvent)
    {
        lock (_gate)
        {
            return _latest.TryGetValue(resourceName, out resourceEvent);
        }
    }

    public Task PublishUpdateAsync(IResource resource, Func<CustomResourceSnapshot, CustomResourceSnapshot> update)
    {
        lock (_gate)
        {
            var previous = _latest.TryGetValue(resource.Name, out var e)
                ? e.Snapshot
                : new CustomResourceSnapshot { ResourceType = resource.GetType().Name.Replace("Resource", "") };
            var next = new ResourceEvent(resource, resource.Name, update(previous));
            _latest[resource.Name] = next;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(next);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The current state of every resource, then every change, until cancelled.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var current in _latest.Values)
            {
                channel.Writer.TryWrite(current);
            }
            _watchers.Add(channel);
        }
        try
        {
            await foreach (var resourceEvent in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return resourceEvent;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    public async Task<ResourceEvent> WaitForResourceAsync(string resourceName, Func<ResourceEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        await foreach (var resourceEvent in WatchAsync(cancellationToken))
        {
            if (resourceEvent.ResourceId == resourceName && predicate(resourceEvent))
            {
                return resourceEvent;
            }
        }
        throw new OperationCanceledException(cancellationToken);
    }

    public Task<string> WaitForResourceAsync(string resourceName, string targetState = KnownResourceStates.Running, CancellationToken cancellationToken = default)
        => WaitForResourceAsync(resourceName, [targetState], cancellationToken);

    public async Task<string> WaitForResourceAsync(string resourceName, IEnumerable<string> targetStates, CancellationToken cancellationToken = default)
    {
        var states = targetStates.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var reached = await WaitForResourceAsync(resourceName, e => states.Contains(e.Snapshot.State), cancellationToken);
        return reached.Snapshot.State;
    }

    /// <summary>
    /// Waits until the resource runs and its health check passes. Throws as soon as the resource fails or exits
    /// instead of waiting forever: nothing restarts it by itself.
    /// </summary>
    public async Task<ResourceEvent> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default)
    {
        var reached = await WaitForResourceAsync(resourceName,
            e => e.Snapshot.HealthStatus == HealthStatus.Healthy && e.Snapshot.State == KnownResourceStates.Running
                 || KnownResourceStates.IsTerminal(e.Snapshot.State),
            cancellationToken);
        if (KnownResourceStates.IsTerminal(reached.Snapshot.State))
        {
            throw new DistributedApplicationException(
                $"Resource '{resourceName}' is {reached.Snapshot.State}" +
                (reached.Snapshot.ExitCode is { } code ? $" (exit code {code})" : "") +
                (reached.Snapshot.Message is { } message ? $": {message}" : "."));
        }
        return reached;
    }
}
