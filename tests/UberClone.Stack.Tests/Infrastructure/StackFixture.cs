using Aspire.Hosting;
using Aspire.Hosting.Testing;
using UberClone.Contracts;

[assembly: AssemblyFixture(typeof(UberClone.Stack.Tests.Infrastructure.StackFixture))]

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>
/// The whole platform, started once for this test assembly exactly as `dotnet run --project UberClone.AppHost`
/// starts it (same Program.cs model), but on random ports with a temporary data directory.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder? _builder;

    public DistributedApplication App { get; private set; } = null!;


    public Uri GatewayUrl => App.GetEndpoint(Resources.Gateway);

    public async ValueTask InitializeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        _builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.UberClone_AppHost>(deadline.Token);
        App = await _builder.BuildAsync(deadline.Token);
        await App.StartAsync(deadline.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Resources.Gateway, deadline.Token);
    }

    public PlatformClient Client() => new(GatewayUrl);

    public async ValueTask DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        if (_builder is not null) await _builder.DisposeAsync();
    }
}
