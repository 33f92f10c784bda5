namespace Aspire.Hosting.Testing;

/// <summary>The model's builder, handed to the test before the application is built (resources and configuration can still change).</summary>
public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder, IAsyncDisposable
{
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}
