using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

public interface IDistributedApplicationBuilder
{
    ConfigurationManager Configuration { get; }
    IHostEnvironment Environment { get; }
    IServiceCollection Services { get; }
    /// <summary>The AppHost project's folder: relative AddProject paths resolve against it.</summary>
    string AppHostDirectory { get; }
    /// <summary>The model so far; tests may remove resources they do not need (Aspire: IResourceCollection).</summary>
    IList<IResource> Resources { get; }
    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;
    IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource;
    DistributedApplication Build();
}
