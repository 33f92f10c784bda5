namespace Aspire.Hosting.ApplicationModel;

/// <summary>A named network endpoint of a resource. Port is what clients use; TargetPort is what the process binds.</summary>
public sealed class EndpointAnnotation(string name) : IResourceAnnotation
{
    public string Name { get; } = name;
    public string UriScheme { get; set; } = "http";
    /// <summary>"http" (HTTP/1.1 and HTTP/2 negotiated), "http2" (HTTP/2 only, e.g. gRPC cleartext) or "tcp".</summary>
    public string Transport { get; set; } = "http";
    public int? Port { get; set; }
    public int? TargetPort { get; set; }
    /// <summary>The host the process binds and clients use ("localhost": IPv4 and IPv6 loopback).</summary>
    public string TargetHost { get; set; } = "localhost";
    public bool IsExternal { get; set; }
    /// <summary>Set when the application starts.</summary>
    public AllocatedEndpoint? AllocatedEndpoint { get; set; }
}

public sealed record AllocatedEndpoint(EndpointAnnotation Endpoint, string Address, int Port)
{
    public string UriString => $"{Endpoint.UriScheme}://{Address}:{Port}";
    public override string ToString() => UriString;
}

/// <summary>Contributes environment variables when the resource starts (references, WithEnvironment).</summary>
public sealed class EnvironmentCallbackAnnotation(Func<EnvironmentCallbackContext, ValueTask> callback) : IResourceAnnotation
{
    public Func<EnvironmentCallbackContext, ValueTask> Callback { get; } = callback;
}

public sealed class EnvironmentCallbackContext(IResource resource, IDictionary<string, string> environmentVariables, CancellationToken cancellationToken)
{
    public IResource Resource { get; } = resource;
    public IDictionary<string, string> EnvironmentVariables { get; } = environmentVariables;
    public CancellationToken CancellationToken { get; } = cancellationToken;
}

/// <summary>The resource starts only once <see cref="Resource"/> is running and healthy.</summary>
public sealed record WaitAnnotation(IResource Resource) : IResourceAnnotation;

/// <summary>This resource uses <see cref="Resource"/> (Type "Reference"): at shutdown it stops before what it uses.</summary>
public sealed record ResourceRelationshipAnnotation(IResource Resource, string Type) : IResourceAnnotation;

public sealed record ReplicaAnnotation(int Replicas) : IResourceAnnotation;

/// <summary>Where a project's readiness is probed: GET {endpoint}{Path} must return <see cref="StatusCode"/>.</summary>
public sealed record HttpHealthCheckAnnotation(string Path, int StatusCode, string EndpointName) : IResourceAnnotation;
