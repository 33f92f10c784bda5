using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

internal static class DependencyOrder
{
    /// <summary>A WaitFor cycle would leave every resource in it Waiting forever: refuse it up front, naming the cycle.</summary>
    public static void ThrowOnCycle(IEnumerable<IResource> resources)
    {
        var done = new HashSet<IResource>();
        var path = new List<IResource>();
        foreach (var resource in resources)
        {
            Visit(resource);
        }

        void Visit(IResource resource)
        {
            if (done.Contains(resource))
            {
                return;
            }
            var index = path.IndexOf(resource);
            if (index >= 0)
            {
                throw new DistributedApplicationException(
                    $"WaitFor cycle: {string.Join(" → ", path.Skip(index).Append(resource).Select(r => r.Name))}.");
            }
            path.Add(resource);
            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
            {
                Visit(wait.Resource);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(resource);
        }
    }

    /// <summary>What <paramref name="resource"/> waits for or references (a database counts as its server too).</summary>
    public static IEnumerable<IResource> Dependencies(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource)
            .Concat(resource.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => r.Resource))
            .SelectMany(d => d is IResourceWithParent<IResource> child ? [d, child.Parent] : new[] { d })
            .Distinct();
}
