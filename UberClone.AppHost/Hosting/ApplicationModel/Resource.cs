using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Anything the AppHost models: a process, a broker, a database. Its name is the contract (Contracts.Resources).</summary>
public interface IResource
{
    string Name { get; }
    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>Marker for the metadata attached to a resource by the builder methods (endpoints, references, waits…).</summary>
public interface IResourceAnnotation;

public sealed class ResourceAnnotationCollection : List<IResourceAnnotation>;

public abstract class Resource(string name) : IResource
{
    public string Name { get; } = ResourceNames.Validate(name);
    public ResourceAnnotationCollection Annotations { get; } = [];
    public override string ToString() => Name;
}

/// <summary>A resource that receives environment variables (a process).</summary>
public interface IResourceWithEnvironment : IResource;

/// <summary>A resource that exposes named endpoints.</summary>
public interface IResourceWithEndpoints : IResource;

/// <summary>A resource that can be told to start only after others are healthy.</summary>
public interface IResourceWithWaitSupport : IResource;

/// <summary>A resource others find through service discovery (services__{name}__{endpoint}__0).</summary>
public interface IResourceWithServiceDiscovery : IResourceWithEndpoints;

/// <summary>A resource that lives inside another (a database inside its server).</summary>
public interface IResourceWithParent<out T> : IResource where T : IResource
{
    T Parent { get; }
}

/// <summary>A resource others reach through ConnectionStrings__{name}.</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>Null when there is nothing to connect to (an embedded database that services keep themselves).</summary>
    ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A resource that gives the resources referencing it more than a connection string (client tuning, a data
/// directory). Keeps embedded-versus-external decisions inside the resource instead of in every service.
/// </summary>
public interface IResourceWithReferenceEnvironment : IResource
{
    ValueTask ApplyReferenceEnvironmentAsync(EnvironmentCallbackContext context);
}

/// <summary>A resource whose health the AppHost checks before WaitFor releases its dependents.</summary>
public interface IResourceWithHealthCheck : IResource
{
    Task<HealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>A resource run inside the AppHost process itself (no child process), e.g. the embedded Kafka broker.</summary>
public interface IHostedResource : IResource
{
    Task StartAsync(CancellationToken cancellationToken);
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>A hosted resource with console output of its own (the dashboard's logs of it), given where to write it before it starts.</summary>
public interface IResourceWithConsole : IResource
{
    /// <summary>write(line, isError).</summary>
    void WriteConsoleTo(Action<string, bool> write);
}

internal static class ResourceNames
{
    /// <summary>Names become environment-variable segments and DNS names: lowercase letters, digits and '-'.</summary>
    public static string Validate(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterLower(name[0]) ||
            !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ArgumentException($"Resource name '{name}' must start with a lowercase letter and contain only lowercase letters, digits and '-'.", nameof(name));
        }
        return name;
    }
}
