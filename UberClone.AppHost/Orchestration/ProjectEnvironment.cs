using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace UberClone.AppHost.Orchestration;

/// <summary>What a project process receives in run mode (shared/ASPIRE-CONVENTIONS.md, "What a project resource receives").</summary>
internal sealed class ProjectEnvironment(IHostEnvironment appHostEnvironment, IConfiguration appHostConfiguration)
{
    /// <summary>Inherited from the AppHost's own environment but meaningless (and confusing to Kestrel) for a child with named endpoints.</summary>
    /// <summary>Where resources send OTLP (the dashboard's gRPC receiver, or any collector): Aspire's setting name.</summary>
    public const string DashboardOtlpEndpointKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";

    /// <summary>The x-otlp-api-key the OTLP receiver requires (Aspire's AppHost:OtlpApiKey).</summary>
    public const string OtlpApiKeyKey = "AppHost:OtlpApiKey";

    public static readonly IReadOnlyList<string> NotInherited = ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"];

    public async Task<Dictionary<string, string>> BuildAsync(IResource project, IReadOnlyDictionary<string, int> targetPorts, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (project is NodeAppResource node)
        {
            AddNode(environment, node, targetPorts);
        }
        else
        {
            AddKestrel(environment, project, targetPorts);
        }

        AddOpenTelemetry(environment, project);
        environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true";
        environment["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";

        var context = new EnvironmentCallbackContext(project, environment, cancellationToken);
        foreach (var callback in project.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return environment;
    }

    /// <summary>
    /// What Aspire gives a Node app: NODE_ENV, its PORT, no browser to open. NODE_ENV is "production" for the `start`
    /// script (Next.js serving its production build warns and misbehaves under "development"), "development" otherwise.
    /// </summary>
    private static void AddNode(Dictionary<string, string> environment, NodeAppResource node, IReadOnlyDictionary<string, int> targetPorts)
    {
        environment["NODE_ENV"] = node.Script == NodeAppResource.ProductionScript ? "production" : "development";
        environment["PORT"] = targetPorts["http"].ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["BROWSER"] = "none";
        environment["NEXT_TELEMETRY_DISABLED"] = "1";
    }

    private static void AddKestrel(Dictionary<string, string> environment, IResource project, IReadOnlyDictionary<string, int> targetPorts)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Named Kestrel endpoints, as Aspire sets them for projects. gRPC over cleartext needs HTTP/2 only; other
        // endpoints keep Kestrel's default (Http1AndHttp2, i.e. HTTP/1.1 without TLS), since setting it explicitly
        // only adds a startup warning per address.
        foreach (var endpoint in project.Annotations.OfType<EndpointAnnotation>())
        {
            environment[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = $"{endpoint.UriScheme}://{endpoint.TargetHost}:{targetPorts[endpoint.Name]}";
            if (endpoint.Transport == "http2")
            {
                environment[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = "Http2";
            }
        }
    }

    private void AddOpenTelemetry(Dictionary<string, string> environment, IResource project)
    {
        // The seam for a dashboard (or any collector): Aspire's AppHost learns the OTLP address from this setting.
        if (appHostConfiguration[DashboardOtlpEndpointKey] is { Length: > 0 } otlpEndpoint)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
            if (appHostConfiguration[OtlpApiKeyKey] is { Length: > 0 } apiKey)
            {
                environment["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={apiKey}";
            }
        }
        environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        environment["OTEL_SERVICE_NAME"] = project.Name;
        environment["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz", 8)}";
        if (appHostEnvironment.IsDevelopment())
        {
            // Short export delays keep telemetry pages live while developing.
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            environment["OTEL_TRACES_SAMPLER"] = "always_on";
            environment["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
        }
    }
}
