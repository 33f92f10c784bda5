using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Testing;

/// <summary>Reaching a running application's resources from a test (Aspire.Hosting.Testing's extension methods).</summary>
public static class DistributedApplicationHostingTestingExtensions
{
    /// <summary>An HttpClient whose BaseAddress is the endpoint (default: "http", then "https", then the only one).</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null) =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = app.GetEndpoint(resourceName, endpointName) };

    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Find(resourceName);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var endpoint = (endpointName is null
                ? endpoints.FirstOrDefault(e => e.Name == "http") ?? endpoints.FirstOrDefault(e => e.Name == "https") ?? (endpoints.Count == 1 ? endpoints[0] : null)
                : endpoints.FirstOrDefault(e => e.Name == endpointName))
            ?? throw new ArgumentException($"Resource '{resourceName}' has no endpoint named '{endpointName ?? "http"}'. It has: {string.Join(", ", endpoints.Select(e => e.Name))}.");
        return new Uri(endpoint.AllocatedEndpoint?.UriString
            ?? throw new InvalidOperationException($"Endpoint '{endpoint.Name}' of '{resourceName}' has no address yet: start the application first."));
    }

    public static async ValueTask<string?> GetConnectionStringAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Find(resourceName) is IResourceWithConnectionString resource
            ? await resource.GetConnectionStringAsync(cancellationToken)
            : throw new ArgumentException($"Resource '{resourceName}' has no connection string.");

    /// <summary>The resource's recent console output (its stdout and stderr, and the AppHost's notes about it).</summary>
    public static IReadOnlyList<LogLine> GetResourceLogs(this DistributedApplication app, string resourceName) =>
        app.Services.GetRequiredService<ResourceLoggerService>().GetRecentLines(resourceName);
}
