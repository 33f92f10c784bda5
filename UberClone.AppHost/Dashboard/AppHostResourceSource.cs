using System.Collections.Concurrent;
using UberClone.Dashboard.Resources;

namespace UberClone.AppHost.Dashboard;

/// <summary>The dashboard's view of the running model: states from ResourceNotificationService, actions through ResourceCommandService.</summary>
internal sealed class AppHostResourceSource(DistributedApplicationModel model, ResourceNotificationService notifications, ResourceCommandService commands)
    : IResourceSource
{
    private readonly ConcurrentDictionary<string, int> _starts = new(StringComparer.Ordinal);

    /// <summary>Counts starts (restarts = starts − 1) until the application stops.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                var state = change.Snapshot.State;
                if (state == KnownResourceStates.Starting && previous.GetValueOrDefault(change.ResourceId) != KnownResourceStates.Starting)
                {
                    _starts.AddOrUpdate(change.ResourceId, 1, (_, n) => n + 1);
                }
                previous[change.ResourceId] = state;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public IReadOnlyList<ResourceView> GetResources() => [.. model.Resources.Select(View)];

    private ResourceView View(IResource resource)
    {
        var snapshot = notifications.TryGetCurrentState(resource.Name, out var current)
            ? current!.Snapshot
            : new CustomResourceSnapshot { ResourceType = resource.GetType().Name.Replace("Resource", "") };
        var references = resource.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => new ResourceReference(r.Resource.Name, r.Type))
            .Concat(resource.Annotations.OfType<WaitAnnotation>().Select(w => new ResourceReference(w.Resource.Name, "WaitFor")))
            .Concat(resource is IResourceWithParent<IResource> child ? [new ResourceReference(child.Parent.Name, "Parent")] : [])
            .DistinctBy(r => r.Resource)
            .ToList();
        return new ResourceView(
            resource.Name,
            snapshot.ResourceType,
            snapshot.State,
            snapshot.HealthStatus is { } health ? health.ToString() : null,
            snapshot.ProcessIds,
            snapshot.StartTimeStamp,
            snapshot.StopTimeStamp,
            Math.Max(_starts.GetValueOrDefault(resource.Name) - 1, 0),
            snapshot.ExitCode,
            snapshot.Message,
            [.. snapshot.Urls.Select(u => new ResourceUrl(u.Name, u.Url, u.IsExternal))],
            [.. snapshot.EnvironmentVariables.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => SecretMasking.Apply(v.Name, v.Value))],
            references);
    }

    public async Task<(bool Success, string? Error)> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken)
    {
        if (!model.Resources.Any(r => r.Name == resourceName))
        {
            return (false, $"No resource named '{resourceName}'.");
        }
        var result = await commands.ExecuteCommandAsync(resourceName, commandName, cancellationToken);
        return (result.Success, result.ErrorMessage);
    }
}
