using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UberClone.AppHost.Orchestration;
using UberClone.Dashboard;
using UberClone.Dashboard.Resources;
using DashboardWebHost = UberClone.Dashboard.DashboardHost;

namespace UberClone.AppHost.Dashboard;

/// <summary>
/// Runs the dashboard inside the AppHost, before any resource starts, and points the resources' OTLP exporters at it:
/// ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL and AppHost:OtlpApiKey become OTEL_EXPORTER_OTLP_ENDPOINT and
/// OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=… in each project's environment (ProjectEnvironment).
/// </summary>
internal sealed class DashboardService(
    DashboardSettings settings,
    IConfiguration configuration,
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    ApplicationOrchestrator orchestrator) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private DashboardWebHost? _host;
    private Task _watch = Task.CompletedTask;

    /// <summary>Null until started (or when disabled).</summary>
    public DashboardWebHost? Host => _host;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The orchestrator is a dependency only so that its console sink exists before the login link is written.
        _ = orchestrator;
        var source = new AppHostResourceSource(model, notifications, commands);
        var options = settings.Options;
        var console = new ConsoleLogBuffer(options.Limits.ConsoleLinesPerResource);
        logs.AddSink((resource, line) => console.Write(resource, line.Timestamp, line.Content, line.IsError));
        _host = new DashboardWebHost(options, source, console, logging => logging.AddProvider(new DashboardLoggerProvider(logs)), new AppHostMailSource(model));
        try
        {
            await _host.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new DistributedApplicationException(
                $"The dashboard cannot listen on ports {options.UiPort}/{options.OtlpGrpcPort}/{options.OtlpHttpPort} ({ex.Message}). " +
                "Another AppHost may be running: stop it, or pass --Dashboard:Port=0 --Dashboard:OtlpGrpcPort=0 --Dashboard:OtlpHttpPort=0, or --Dashboard:Enabled=false.", ex);
        }
        _watch = source.WatchAsync(_stopping.Token);

        configuration[ProjectEnvironment.DashboardOtlpEndpointKey] = _host.OtlpGrpcUrl!.ToString().TrimEnd('/');
        configuration[ProjectEnvironment.OtlpApiKeyKey] = options.OtlpApiKey;
        logs.Write(ConsoleOutput.AppHostName, $"dashboard: {_host.LoginUrl} (OTLP gRPC {_host.OtlpGrpcUrl}, HTTP {_host.OtlpHttpUrl}; " +
            (_host.TelemetryFile is { } file ? $"telemetry kept in {file})" : "telemetry in memory only)"));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watch;
        if (_host is not null)
        {
            await _host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _stopping.Dispose();
    }
}

/// <summary>
/// Dashboard settings from the AppHost's configuration. Dashboard:Enabled (default: on, except under the testing
/// harness, which randomizes ports), Dashboard:Port / OtlpGrpcPort / OtlpHttpPort (18888/18889/18890; 0 picks a free
/// one; always 0 under the harness), Dashboard:TelemetryFile (default {Storage:DataDirectory}/telemetry.db; "" keeps
/// telemetry in memory only).
/// </summary>
internal sealed record DashboardSettings(bool Enabled, DashboardOptions Options)
{
    public static DashboardSettings From(IConfiguration configuration, DistributedApplicationOptions options, string appHostDirectory)
    {
        var enabled = configuration.GetValue<bool?>("Dashboard:Enabled") ?? !(options.DisableDashboard || options.RandomizePorts);
        int Port(string key, int port) => options.RandomizePorts ? 0 : configuration.GetValue(key, port);
        var dataDirectory = configuration["Storage:DataDirectory"] ?? Path.Combine("..", ".data");
        var file = configuration["Dashboard:TelemetryFile"] ?? Path.Combine(dataDirectory, "telemetry.db");
        return new DashboardSettings(enabled, new DashboardOptions
        {
            UiPort = Port("Dashboard:Port", 18888),
            OtlpGrpcPort = Port("Dashboard:OtlpGrpcPort", 18889),
            OtlpHttpPort = Port("Dashboard:OtlpHttpPort", 18890),
            TelemetryFile = file.Length == 0 ? null : Path.GetFullPath(Path.Combine(appHostDirectory, file)),
            BrowserToken = configuration["Dashboard:BrowserToken"] is { Length: > 0 } token ? token : DashboardOptions.NewSecret(),
            OtlpApiKey = configuration["AppHost:OtlpApiKey"] is { Length: > 0 } key ? key : DashboardOptions.NewSecret(),
        });
    }
}
