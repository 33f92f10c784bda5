using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace UberClone.AppHost.Tests;

public sealed class ResourceLifecycleTests
{
    [Fact]
    public async Task Stopped_resource_starts_again_on_the_same_address_while_the_others_keep_running()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddEcho("echo");
        builder.AddEcho("bystander");
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("echo", TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("bystander", TestModel.Deadline());
        var firstPids = app.ProcessIds("echo");
        using var client = app.CreateHttpClient("echo");

        var stopped = await app.ResourceCommands.ExecuteCommandAsync("echo", KnownResourceCommands.StopCommand, TestModel.Deadline());

        Assert.True(stopped.Success, stopped.ErrorMessage);
        Assert.Equal(KnownResourceStates.Exited, await app.ResourceNotifications.WaitForResourceAsync("echo", KnownResourceStates.Exited, TestModel.Deadline()));
        Assert.True(await TestModel.AllGoneWithinAsync(firstPids, TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("/health", TestModel.Deadline()));
        Assert.Equal("Healthy", await app.CreateHttpClient("bystander").GetStringAsync("/health", TestModel.Deadline()));

        var started = await app.ResourceCommands.ExecuteCommandAsync("echo", KnownResourceCommands.StartCommand, TestModel.Deadline());

        Assert.True(started.Success, started.ErrorMessage);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("echo", TestModel.Deadline());
        Assert.Equal("Healthy", await client.GetStringAsync("/health", TestModel.Deadline()));
        Assert.DoesNotContain(app.ProcessIds("echo").Single(), firstPids);
    }

    [Fact]
    public async Task Resource_that_crashes_on_start_is_Exited_with_its_code_and_output_and_its_dependents_FailedToStart()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        var crashing = builder.AddEcho("crashing").WithEnvironment("EnvEcho__ExitCode", "3");
        builder.AddEcho("dependent").WaitFor(crashing);
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(
            () => app.ResourceNotifications.WaitForResourceHealthyAsync("crashing", TestModel.Deadline()));

        Assert.True(app.ResourceNotifications.TryGetCurrentState("crashing", out var crashed));
        Assert.Equal(KnownResourceStates.Exited, crashed!.Snapshot.State);
        Assert.Equal(3, crashed.Snapshot.ExitCode);
        Assert.Contains("exited with code 3 before becoming healthy", error.Message);
        Assert.Contains("EnvEcho: exiting with code 3 as configured", error.Message);

        await app.ResourceNotifications.WaitForResourceAsync("dependent", KnownResourceStates.FailedToStart, TestModel.Deadline());
        Assert.True(app.ResourceNotifications.TryGetCurrentState("dependent", out var dependent));
        Assert.Contains("dependency 'crashing' is not available", dependent!.Snapshot.Message);
    }

    [Fact]
    public async Task Resource_that_never_becomes_healthy_is_stopped_and_FailedToStart_after_the_health_timeout()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        // Long enough for the process to be listening, and so answering 503, before the timeout even on a loaded machine
        // (with 2 s, a CI run once saw the last check still refused).
        builder.Configuration["AppHost:HealthTimeoutSeconds"] = "10";
        builder.AddEcho("sick").WithEnvironment("EnvEcho__Unhealthy", "true");
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceAsync("sick", KnownResourceStates.Running, TestModel.Deadline());
        var pids = app.ProcessIds("sick");

        await app.ResourceNotifications.WaitForResourceAsync("sick", KnownResourceStates.FailedToStart, TestModel.Deadline());

        Assert.True(app.ResourceNotifications.TryGetCurrentState("sick", out var sick));
        Assert.Contains("not healthy within 10 s", sick!.Snapshot.Message);
        Assert.Contains("returned 503", sick.Snapshot.Message);
        Assert.Contains("Last output of 'sick'", sick.Snapshot.Message);
        Assert.True(await TestModel.AllGoneWithinAsync(pids, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Disposing_the_application_leaves_no_child_process()
    {
        IReadOnlyList<int> pids;
        await using (var builder = DistributedApplicationTestingBuilder.Create())
        {
            var first = builder.AddEcho("first");
            builder.AddEcho("second").WithReference(first).WaitFor(first);
            await using var app = await builder.BuildAsync(TestModel.Deadline());
            await app.StartAsync(TestModel.Deadline());
            await app.ResourceNotifications.WaitForResourceHealthyAsync("second", TestModel.Deadline());
            pids = [.. app.ProcessIds("first"), .. app.ProcessIds("second")];
            Assert.Equal(2, pids.Count);
            Assert.All(pids, pid => Assert.True(TestModel.IsAlive(pid)));
        }

        Assert.All(pids, pid => Assert.False(TestModel.IsAlive(pid), $"process {pid} outlived the application"));
    }

    [Fact]
    public async Task Replicas_share_one_address_and_each_connection_goes_to_the_next_replica()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddEcho("echo").WithReplicas(2);
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("echo", TestModel.Deadline());

        Assert.Equal(2, app.ProcessIds("echo").Count);
        var instances = new HashSet<string?>();
        for (var i = 0; i < 4; i++)
        {
            // A client per request: a new connection, hence the next replica.
            instances.Add((await app.GetEnvironmentAsync("echo"))["OTEL_RESOURCE_ATTRIBUTES"]);
        }
        Assert.Equal(2, instances.Count);
    }

    [Fact]
    public async Task Fixed_port_already_in_use_fails_the_resource_naming_the_port()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { WriteResourceLogsToConsole = false });
        builder.AddProject<Projects.EnvEcho>("echo").WithHttpEndpoint(port: port);
        await using var app = builder.Build();
        await app.StartAsync(TestModel.Deadline());

        await app.ResourceNotifications.WaitForResourceAsync("echo", KnownResourceStates.FailedToStart, TestModel.Deadline());

        Assert.True(app.ResourceNotifications.TryGetCurrentState("echo", out var echo));
        Assert.Contains($"port {port} (endpoint 'http') is already in use", echo!.Snapshot.Message);
        Assert.Empty(echo.Snapshot.ProcessIds);
    }
}

