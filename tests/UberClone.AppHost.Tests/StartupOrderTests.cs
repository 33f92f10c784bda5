using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.AppHost.Tests;

public sealed class StartupOrderTests
{
    [Fact]
    public async Task Dependent_starts_only_after_its_dependency_is_healthy()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        var slow = builder.AddEcho("slow").WithEnvironment("EnvEcho__StartupDelayMs", "1500");
        builder.AddEcho("dependent").WithReference(slow).WaitFor(slow);
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        var events = new ConcurrentQueue<(string Resource, string State, HealthStatus? Health)>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
            {
                events.Enqueue((e.ResourceId, e.Snapshot.State, e.Snapshot.HealthStatus));
            }
        }, TestContext.Current.CancellationToken);

        await app.StartAsync(TestModel.Deadline());
        Assert.Equal(KnownResourceStates.Waiting, await app.ResourceNotifications.WaitForResourceAsync("dependent", KnownResourceStates.Waiting, TestModel.Deadline()));
        await app.ResourceNotifications.WaitForResourceHealthyAsync("dependent", TestModel.Deadline());
        await watching.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);

        var order = events.ToList();
        var slowHealthy = order.FindIndex(e => e is { Resource: "slow", Health: HealthStatus.Healthy });
        var dependentStarting = order.FindIndex(e => e is { Resource: "dependent", State: KnownResourceStates.Starting });
        Assert.InRange(slowHealthy, 0, dependentStarting - 1);
    }

    [Fact]
    public async Task WaitFor_cycle_is_refused_naming_the_cycle()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        var a = builder.AddEcho("a");
        var b = builder.AddEcho("b").WaitFor(a);
        a.WaitFor(b);
        await using var app = await builder.BuildAsync(TestModel.Deadline());

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(TestModel.Deadline()));
        Assert.Contains("a → b → a", error.Message);
    }
}
