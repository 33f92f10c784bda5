using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace UberClone.Storage;

/// <summary>Opens the database while the host starts, so its log line appears then and a bad path or URL fails fast.</summary>
internal sealed class StorageStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<IDocumentDatabase>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
