using System.Diagnostics;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using UberClone.AppHost.Dashboard;
using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>The dashboard as the AppHost runs it: off under the harness by default, on when asked, persisted in the data directory.</summary>
public sealed class AppHostDashboardTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public async Task Telemetry_the_AppHost_kept_is_there_after_the_AppHost_restarts()
    {
        string traceId;
        await using (var first = await StartAsync("--Dashboard:Enabled=true", $"--Storage:DataDirectory={_data.Path}"))
        {
            var dashboard = first.Services.GetRequiredService<DashboardService>().Host!;
            Assert.Equal(_data.File("telemetry.db"), dashboard.TelemetryFile);
            using (var otel = new OtelExporters("trips", dashboard.OtlpGrpcUrl!, OtlpExportProtocol.Grpc, dashboard.Options.OtlpApiKey))
            {
                using (var activity = otel.Source.StartActivity("before the restart", ActivityKind.Server)!)
                {
                    traceId = activity.TraceId.ToHexString();
                }
                otel.Flush();
            }
            using var api = DashboardClient.For(dashboard);
            await api.WaitForAsync<TraceDetail?>($"/api/traces/{traceId}", t => t is not null);
        }

        await using var second = await StartAsync("--Dashboard:Enabled=true", $"--Storage:DataDirectory={_data.Path}");
        var restarted = second.Services.GetRequiredService<DashboardService>().Host!;
        using var reader = DashboardClient.For(restarted);
        var trace = await reader.GetAsync<TraceDetail>($"/api/traces/{traceId}");
        Assert.Equal("before the restart", Assert.Single(trace.Spans).Name);
    }

    [Fact]
    public async Task Under_the_testing_harness_there_is_no_dashboard_unless_a_test_asks()
    {
        await using var app = await StartAsync();

        Assert.Null(app.Services.GetService<DashboardService>());
    }

    [Fact]
    public async Task A_dashboard_port_in_use_stops_the_AppHost_with_a_way_out()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        // The AppHost's own builder (not the harness, which would pick free ports), with only the UI port fixed.
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [$"--Dashboard:Port={port}", "--Dashboard:OtlpGrpcPort=0", "--Dashboard:OtlpHttpPort=0", "--Dashboard:TelemetryFile="],
            ProjectDirectory = _data.Path,
            WriteResourceLogsToConsole = false,
        });
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"{port}", error.Message);
        Assert.Contains("--Dashboard:Port=0", error.Message);
    }

    private static async Task<DistributedApplication> StartAsync(params string[] args)
    {
        await using var builder = DistributedApplicationTestingBuilder.Create(args);
        var app = await builder.BuildAsync(TestContext.Current.CancellationToken);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public void Dispose() => _data.Dispose();
}
