using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Testing;

internal sealed class TestingBuilder(IDistributedApplicationBuilder inner, Func<CancellationToken, Task<DistributedApplication>> build, Func<ValueTask>? dispose = null)
    : IDistributedApplicationTestingBuilder
{
    public ConfigurationManager Configuration => inner.Configuration;
    public IHostEnvironment Environment => inner.Environment;
    public IServiceCollection Services => inner.Services;
    public string AppHostDirectory => inner.AppHostDirectory;
    public IList<IResource> Resources => inner.Resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => inner.AddResource(resource);
    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => inner.CreateResourceBuilder(resource);

    public Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default)
    {
        TestSettings.RemoveWebAppsUnlessRequested(inner);
        return build(cancellationToken);
    }
    public DistributedApplication Build() => BuildAsync().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => dispose?.Invoke() ?? ValueTask.CompletedTask;
}
