using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using UberClone.AppHost.Dashboard;
using UberClone.AppHost.Orchestration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    /// <summary>
    /// Aspire's hook for the testing harness: it listens to these events to adjust options before the model is
    /// declared and to take the built application instead of letting the entry point run it.
    /// </summary>
    public static class DiagnosticEvents
    {
        public const string ListenerName = "Aspire.Hosting";
        public const string Constructing = "DistributedApplicationBuilderConstructing";
        public const string Constructed = "DistributedApplicationBuilderConstructed";
        public const string Building = "DistributedApplicationBuilding";
        public const string Built = "DistributedApplicationBuilt";
    }

    private static readonly DiagnosticListener s_diagnostics = new(DiagnosticEvents.ListenerName);

    private readonly HostApplicationBuilder _host;
    private readonly DistributedApplicationOptions _options;
    private readonly List<IResource> _resources = [];

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        _options = options;
        Notify(DiagnosticEvents.Constructing, options);

        AppHostDirectory = options.ResolveProjectDirectory();
        _host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Args,
            ContentRootPath = AppHostDirectory,
            EnvironmentName = options.EnvironmentName ?? (PublishesWithoutEnvironment(options.Args) ? Environments.Production : null),
            ApplicationName = options.ResolvedAppHostAssembly.GetName().Name,
        });
        // The AppHost prints its own status lines per resource; the generic host's lifetime chatter adds nothing.
        _host.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        Notify(DiagnosticEvents.Constructed, this);
    }

    /// <summary>
    /// Publishing writes what a deployment runs, so it reads the Production configuration unless told otherwise (as
    /// `aspire publish` defaults to): local-only settings (appsettings.Development.json, e.g. the support desk's local
    /// password) never reach a manifest or a generated secret.
    /// </summary>
    private static bool PublishesWithoutEnvironment(string[]? args) =>
        args is not null && args.Any(a => a.StartsWith("--publisher", StringComparison.Ordinal))
        && !args.Any(a => a.StartsWith("--environment", StringComparison.Ordinal));

    public ConfigurationManager Configuration => _host.Configuration;
    public IHostEnvironment Environment => _host.Environment;
    public IServiceCollection Services => _host.Services;
    public string AppHostDirectory { get; }
    public IList<IResource> Resources => _resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new DistributedApplicationException($"Cannot add resource '{resource.Name}': a resource with that name already exists.");
        }
        _resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        Notify(DiagnosticEvents.Building, this);

        if (Configuration.GetValue<double?>("AppHost:HealthTimeoutSeconds") is { } seconds)
        {
            _options.HealthTimeout = TimeSpan.FromSeconds(seconds);
        }
        Services.AddSingleton(_options);
        Services.AddSingleton(new DistributedApplicationModel([.. _resources]));
        Services.AddSingleton<ResourceNotificationService>();
        Services.AddSingleton<ResourceLoggerService>();
        Services.AddSingleton<ApplicationOrchestrator>();
        // Before the orchestrator's hosted service: resources start only once the dashboard listens, so they get its address.
        var dashboard = DashboardSettings.From(Configuration, _options, AppHostDirectory);
        if (dashboard.Enabled)
        {
            Services.AddSingleton(dashboard);
            Services.AddSingleton<DashboardService>();
            Services.AddHostedService(sp => sp.GetRequiredService<DashboardService>());
        }
        Services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        Services.AddSingleton(sp => new ResourceCommandService(sp.GetRequiredService<ApplicationOrchestrator>()));
        if (UberClone.AppHost.Publishing.Publisher.IsRequested(Configuration))
        {
            Services.AddSingleton<UberClone.AppHost.Publishing.Publisher>();
        }

        var application = new DistributedApplication(_host.Build());
        Notify(DiagnosticEvents.Built, application);
        return application;
    }

    private static void Notify(string eventName, object payload)
    {
        if (s_diagnostics.IsEnabled(eventName))
        {
            s_diagnostics.Write(eventName, payload);
        }
    }
}
