using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using UberClone.Dashboard.Telemetry;
using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>With a telemetry file, what was received survives a restart and can be opened by the dashboard on its own.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public async Task Telemetry_survives_a_restart_and_a_standalone_dashboard_shows_it()
    {
        var file = _directory.File("telemetry.db");
        var ct = TestContext.Current.CancellationToken;
        string traceId;
        await using (var first = new DashboardHost(new DashboardOptions { UiPort = 0, OtlpGrpcPort = 0, OtlpHttpPort = 0, TelemetryFile = file }))
        {
            await first.StartAsync(ct);
            using (var otel = new OtelExporters("trips", first.OtlpGrpcUrl!, OtlpExportProtocol.Grpc, first.Options.OtlpApiKey))
            {
                using (var activity = otel.Source.StartActivity("book trip", ActivityKind.Server)!)
                {
                    traceId = activity.TraceId.ToHexString();
                    otel.Logger("Trips").LogInformation("Booked {TripId}", "t7");
                }
                otel.Meter.CreateCounter<long>("uberclone.trips.requested").Add(1);
                otel.Flush();
            }
            using var api = DashboardClient.For(first);
            await api.WaitForAsync<List<LogDto>>("/api/logs?resource=trips", l => l.Count == 1);
        }

        // A new process: no OTLP receivers, only the file.
        await using var standalone = new DashboardHost(new DashboardOptions { UiPort = 0, ReceiveOtlp = false, TelemetryFile = file });
        await standalone.StartAsync(ct);
        using var reader = DashboardClient.For(standalone);

        var trace = await reader.GetAsync<TraceDetail>($"/api/traces/{traceId}");
        Assert.Equal("book trip", Assert.Single(trace.Spans).Name);
        var log = Assert.Single(await reader.GetAsync<List<LogDto>>("/api/logs?resource=trips"));
        Assert.Equal("Booked t7", log.Message);
        Assert.Equal(traceId, log.TraceId);
        Assert.All(await reader.GetAsync<List<PointDto>>("/api/metrics/trips/uberclone.trips.requested"), p => Assert.Equal(1, p.Value));
        Assert.NotEmpty(await reader.GetAsync<List<PointDto>>("/api/metrics/trips/uberclone.trips.requested"));
        Assert.Contains("persisted to", await reader.Http.GetStringAsync("/traces", ct));
        Assert.Null(standalone.OtlpGrpcUrl);
    }

    [Fact]
    public void The_file_is_pruned_to_the_same_caps_as_memory()
    {
        var file = _directory.File("pruned.db");
        var limits = new TelemetryLimits { LogsPerResource = 100 };
        var store = new TelemetryStore(limits);
        using (SqliteTelemetryFile.Open(file, store))
        {
            for (var batch = 0; batch < 30; batch++)
            {
                store.Add([.. Enumerable.Range(0, 100).Select(i => TelemetryLimitsTests.Log(store, "gateway", $"b{batch}-{i}"))], [], [], []);
            }
        }
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM logs";
        Assert.InRange((long)count.ExecuteScalar()!, 100, 100 + 2_000);

        var reloaded = new TelemetryStore(limits);
        using (SqliteTelemetryFile.Open(file, reloaded))
        {
            var logs = reloaded.QueryLogs(new LogQuery("gateway", Limit: 1_000));
            Assert.Equal(100, logs.Count);
            Assert.Equal("b29-99", logs[0].Message);
        }
    }

    public void Dispose() => _directory.Dispose();
}
