using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Aspire's fluent model methods: environment, references, waits, endpoints, replicas.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentValueAnnotation(name, value))
            .WithEnvironment(context => context.EnvironmentVariables[name] = value);

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback)
        where T : IResourceWithEnvironment =>
        builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            callback(context);
            return ValueTask.CompletedTask;
        }));

    /// <summary>ConnectionStrings__{name}, plus whatever else the source tells its clients (IResourceWithReferenceEnvironment).</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        builder.WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(async context =>
        {
            if (await resource.GetConnectionStringAsync(context.CancellationToken) is { } connectionString)
            {
                context.EnvironmentVariables[$"ConnectionStrings__{resource.Name}"] = connectionString;
            }
            if (resource is IResourceWithReferenceEnvironment withEnvironment)
            {
                await withEnvironment.ApplyReferenceEnvironmentAsync(context);
            }
        }));
    }

    /// <summary>services__{name}__{endpoint}__0 for service discovery, and {NAME}_{ENDPOINT} (Aspire 13), for every endpoint of the source.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where T : IResourceWithEnvironment
    {
        var resource = source.Resource;
        builder.WithAnnotation(new ResourceRelationshipAnnotation(resource, "Reference"));
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var url = endpoint.AllocatedEndpoint?.UriString
                    ?? throw new InvalidOperationException($"Endpoint '{endpoint.Name}' of '{resource.Name}' has no port yet.");
                context.EnvironmentVariables[$"services__{resource.Name}__{endpoint.Name}__0"] = url;
                context.EnvironmentVariables[$"{resource.Name}_{endpoint.Name}".Replace('-', '_').ToUpperInvariant()] = url;
            }
            return ValueTask.CompletedTask;
        }));
    }

    /// <summary>Start this resource only once <paramref name="dependency"/> is running and its health check passes.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport =>
        builder.WithAnnotation(new WaitAnnotation(dependency.Resource));

    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null)
        where T : IResourceWithEndpoints
    {
        var endpointName = name ?? "http";
        if (builder.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == endpointName))
        {
            throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' already has an endpoint named '{endpointName}'.");
        }
        return builder.WithAnnotation(new EndpointAnnotation(endpointName) { Port = port, TargetPort = targetPort });
    }

    /// <summary>Adjust a declared endpoint, e.g. <c>WithEndpoint("grpc", e => e.Transport = "http2")</c>.</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string endpointName, Action<EndpointAnnotation> callback, bool createIfNotExists = true)
        where T : IResourceWithEndpoints
    {
        var endpoint = builder.Resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.Name == endpointName);
        if (endpoint is null)
        {
            if (!createIfNotExists)
            {
                return builder;
            }
            builder.WithAnnotation(endpoint = new EndpointAnnotation(endpointName));
        }
        callback(endpoint);
        return builder;
    }

    /// <summary>Marks the http endpoints as reachable from outside (what a Kubernetes publisher exposes).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    /// <summary>Run several processes of the project behind one address per endpoint (round-robin per connection).</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Annotations.RemoveAll(a => a is ReplicaAnnotation);
        return builder.WithAnnotation(new ReplicaAnnotation(replicas));
    }

    /// <summary>Where readiness is probed; projects default to GET /health on "http" returning 200.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string path = "/health", int statusCode = 200, string endpointName = "http")
        where T : IResourceWithEndpoints
    {
        builder.Resource.Annotations.RemoveAll(a => a is HttpHealthCheckAnnotation);
        return builder.WithAnnotation(new HttpHealthCheckAnnotation(path, statusCode, endpointName));
    }
}
