using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>The running model: starts resources in dependency order on StartAsync, stops them all on StopAsync or Ctrl+C.</summary>
public sealed class DistributedApplication(IHost host) : IHost, IAsyncDisposable
{
    public static IDistributedApplicationBuilder CreateBuilder(string[] args) =>
        new DistributedApplicationBuilder(new DistributedApplicationOptions { Args = args });

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options) =>
        new DistributedApplicationBuilder(options);

    public IServiceProvider Services => host.Services;
    public ResourceNotificationService ResourceNotifications => Services.GetRequiredService<ResourceNotificationService>();
    public ResourceCommandService ResourceCommands => Services.GetRequiredService<ResourceCommandService>();

    public Task StartAsync(CancellationToken cancellationToken = default) => host.StartAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken = default) => host.StopAsync(cancellationToken);

    /// <summary>Runs until Ctrl+C or SIGTERM, then stops every resource; with --publisher, writes the deployment output instead.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Services.GetService<UberClone.AppHost.Publishing.Publisher>() is { } publisher)
        {
            try
            {
                await publisher.PublishAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is DistributedApplicationException or IOException or UnauthorizedAccessException)
            {
                // A command-line mistake (unknown publisher, unwritable path) is a message, not a stack trace.
                Console.Error.WriteLine($"error: {ex.Message}");
                Environment.ExitCode = 2;
            }
            return;
        }
        await host.StartAsync(cancellationToken);
        await host.WaitForShutdownAsync(cancellationToken);
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        // Stopping is idempotent; a disposed application never leaves a child process behind.
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
