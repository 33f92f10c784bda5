using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>What the real OpenTelemetry .NET exporter sends (gRPC and HTTP/protobuf) is what the dashboard's API shows.</summary>
public sealed class OtlpIngestionTests : IAsyncLifetime
{
    private readonly DashboardHost _dashboard = new(new DashboardOptions { UiPort = 0, OtlpGrpcPort = 0, OtlpHttpPort = 0 });
    private DashboardClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        await _dashboard.StartAsync(TestContext.Current.CancellationToken);
        _api = DashboardClient.For(_dashboard);
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _dashboard.DisposeAsync();
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Spans_logs_and_metrics_from_the_OpenTelemetry_exporter_are_shown(OtlpExportProtocol protocol)
    {
        var service = protocol == OtlpExportProtocol.Grpc ? "svc-grpc" : "svc-http";
        var endpoint = protocol == OtlpExportProtocol.Grpc ? _dashboard.OtlpGrpcUrl! : _dashboard.OtlpHttpUrl!;
        string traceId;
        using (var otel = new OtelExporters(service, endpoint, protocol, _dashboard.Options.OtlpApiKey))
        {
            var requested = otel.Meter.CreateCounter<long>("uberclone.trips.requested");
            var timeToMatch = otel.Meter.CreateHistogram<double>("uberclone.trips.time_to_match", unit: "s");
            using (var parent = otel.Source.StartActivity("POST /api/trips", ActivityKind.Server)!)
            {
                traceId = parent.TraceId.ToHexString();
                parent.SetTag("http.request.method", "POST");
                using (var child = otel.Source.StartActivity("send trip.event.created", ActivityKind.Producer)!)
                {
                    child.SetTag("messaging.system", "kafka");
                    child.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
                    child.SetStatus(ActivityStatusCode.Error, "broker down");
                }
                otel.Logger("Trips.Booking").LogWarning("Trip {TripId} booked with surge {Surge}", "t42", 1.5);
                try
                {
                    throw new InvalidOperationException("no drivers");
                }
                catch (InvalidOperationException ex)
                {
                    otel.Logger("Trips.Booking").LogError(ex, "Dispatch failed for {TripId}", "t42");
                }
            }
            requested.Add(3, new KeyValuePair<string, object?>("vehicle.class", "standard"));
            timeToMatch.Record(1.2);
            timeToMatch.Record(4.8);
            Assert.True(otel.Flush());
        }

        var trace = await _api.WaitForAsync<TraceDetail?>($"/api/traces/{traceId}", t => t?.Spans.Count == 2);
        Assert.Equal("POST /api/trips", trace!.Summary.Name);
        Assert.Equal([service], trace.Summary.Resources);
        Assert.Equal(1, trace.Summary.ErrorCount);
        var root = Assert.Single(trace.Spans, s => s.ParentSpanId is null);
        var producer = Assert.Single(trace.Spans, s => s.Kind == "Producer");
        Assert.Equal(root.SpanId, producer.ParentSpanId);
        Assert.Equal("kafka", producer.Attributes["messaging.system"]);
        Assert.Equal("2", Assert.Single(producer.Events).Attributes["attempt"]);

        var logs = await _api.WaitForAsync<List<LogDto>>($"/api/logs?resource={service}", l => l.Count == 2);
        var warning = Assert.Single(logs, l => l.Level == "Warning");
        Assert.Equal("Trip t42 booked with surge 1.5", warning.Message);
        Assert.Equal("Trips.Booking", warning.Category);
        Assert.Equal(traceId, warning.TraceId);
        Assert.Equal("t42", warning.Attributes["TripId"]);
        var error = Assert.Single(await _api.GetAsync<List<LogDto>>($"/api/logs?resource={service}&level=error"));
        Assert.Contains("InvalidOperationException", error.Exception);
        Assert.Contains("no drivers", error.Exception);

        var instruments = await _api.GetAsync<List<InstrumentDto>>($"/api/metrics?resource={service}");
        Assert.Contains(instruments, i => i.Name == "uberclone.trips.requested" && i.Kind == "Counter");
        Assert.Contains(instruments, i => i.Name == "uberclone.trips.time_to_match" && i.Kind == "Histogram" && i.Unit == "s");
        // Cumulative points: one per export (the flush, then the shutdown's final collection), each with the running total.
        var counter = await _api.GetAsync<List<PointDto>>($"/api/metrics/{service}/uberclone.trips.requested");
        Assert.NotEmpty(counter);
        Assert.All(counter, p => Assert.Equal((3.0, "vehicle.class=standard"), (p.Value, p.AttributesKey)));
        var histogram = (await _api.GetAsync<List<PointDto>>($"/api/metrics/{service}/uberclone.trips.time_to_match"))[^1];
        Assert.Equal(2UL, histogram.Count);
        Assert.Equal(6.0, histogram.Sum!.Value, 6);
    }

    [Fact]
    public async Task Telemetry_with_a_wrong_api_key_is_refused_and_not_stored()
    {
        string traceId;
        using (var otel = new OtelExporters("intruder", _dashboard.OtlpGrpcUrl!, OtlpExportProtocol.Grpc, "wrong-key"))
        {
            using (var activity = otel.Source.StartActivity("sneaky")!)
            {
                traceId = activity.TraceId.ToHexString();
            }
            otel.Flush();
        }
        using var http = new HttpClient();
        var noKey = await http.PostAsync(new Uri(_dashboard.OtlpHttpUrl!, "/v1/traces"), new ByteArrayContent([]) { Headers = { { "Content-Type", "application/x-protobuf" } } },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync($"/api/traces/{traceId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.DoesNotContain("intruder", await _api.Http.GetStringAsync("/api/traces", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_ui_and_api_need_the_login_token_and_the_login_sets_a_cookie()
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = _dashboard.UiUrl };
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/traces", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/traces", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/login?t=guess", ct)).StatusCode);
        // OTLP routes are not served on the UI port, even to a signed-in browser.
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.PostAsync("/v1/traces", new ByteArrayContent([]), ct)).StatusCode);

        var login = await anonymous.GetAsync($"/login?t={_dashboard.Options.BrowserToken}&returnUrl=//evil.example", ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_dashboard.Options.BrowserToken, cookie);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/traces") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(request, ct)).StatusCode);
    }
}
