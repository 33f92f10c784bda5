using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>The resources a built application runs, in declaration order.</summary>
public sealed class DistributedApplicationModel(IReadOnlyList<IResource> resources)
{
    public IReadOnlyList<IResource> Resources { get; } = resources;

    public IResource Find(string resourceName) =>
        Resources.FirstOrDefault(r => r.Name == resourceName)
        ?? throw new ArgumentException($"No resource named '{resourceName}'. Known: {string.Join(", ", Resources.Select(r => r.Name))}.", nameof(resourceName));
}
