using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>A ride seen through the dashboard's own API: one trace across services and Kafka, business metrics, logs, resources.</summary>
[Collection(DashboardStackCollection.Name)]
public sealed class WholeStackTraceTests(DashboardStackFixture stack)
{
    [Fact]
    public async Task Booking_a_trip_is_one_trace_from_gateway_through_trips_kafka_and_drivers_back_to_the_gateway()
    {
        var trip = await stack.TripAsync();
        using var api = stack.Api();

        var trace = await FindTraceAsync(api, trip.TripId);

        Assert.Superset(new HashSet<string> { "gateway", "trips", "drivers" }, trace.Summary.Resources.ToHashSet());
        var spans = trace.Spans.ToDictionary(s => s.SpanId);
        var root = Assert.Single(trace.Spans, s => s.ParentSpanId is null);
        Assert.Equal(("gateway", "Server"), (root.Resource, root.Kind));

        // gateway → trips: the booking's gRPC call is served by trips within the same trace.
        Assert.Contains(trace.Spans, s => s.Resource == "trips" && s.Kind == "Server" && Ancestors(s, spans).Any(a => a.Resource == "gateway"));
        // trips → Kafka → drivers: the consumer span continues the producer's trace from the message headers.
        var created = Assert.Single(trace.Spans, s => s.Resource == "trips" && s.Kind == "Producer" && s.Attributes.GetValueOrDefault("messaging.destination.name") == "trip.event.created");
        Assert.Equal("kafka", created.Attributes["messaging.system"]);
        Assert.Contains(trace.Spans, s => s.Resource == "drivers" && s.Kind == "Consumer" && s.ParentSpanId == created.SpanId);
        // drivers → Kafka → gateway: the offer travels back to the gateway, which pushes it to the driver's socket.
        Assert.Contains(trace.Spans, s => s.Resource == "gateway" && s.Kind == "Consumer"
            && s.ParentSpanId is { } parent && spans.TryGetValue(parent, out var producer) && producer is { Resource: "drivers", Kind: "Producer" });
        Assert.All(trace.Spans, s => Assert.Equal(root.SpanId, Ancestors(s, spans).LastOrDefault()?.SpanId ?? s.SpanId));
    }

    [Fact]
    public async Task The_business_metrics_and_the_logs_of_the_trip_are_there()
    {
        var trip = await stack.TripAsync();
        using var api = stack.Api();

        var requested = await api.WaitForAsync<List<PointDto>>("/api/metrics/trips/uberclone.trips.requested", p => p.Count > 0 && p[^1].Value >= 1);
        Assert.True(requested[^1].Value >= 1);
        await api.WaitForAsync<List<PointDto>>("/api/metrics/trips/uberclone.trips.time_to_match", p => p.Count > 0 && p[^1].Count >= 1);
        await api.WaitForAsync<List<PointDto>>("/api/metrics/drivers/uberclone.offers.sent", p => p.Count > 0 && p[^1].Value >= 1);
        await api.WaitForAsync<List<InstrumentDto>>("/api/metrics?resource=gateway", i => i.Any(x => x.Name == "uberclone.websockets.open"));
        await api.WaitForAsync<List<InstrumentDto>>("/api/metrics?resource=drivers", i => i.Any(x => x.Name == "uberclone.drivers.online"));

        var trace = await FindTraceAsync(api, trip.TripId);
        var logs = await api.GetAsync<List<LogDto>>($"/api/logs?traceId={trace.Summary.TraceId}");
        Assert.All(logs, l => Assert.Equal(trace.Summary.TraceId, l.TraceId));
        Assert.NotEmpty(await api.GetAsync<List<LogDto>>("/api/logs?resource=gateway"));
    }

    [Fact]
    public async Task Resources_show_state_pids_urls_references_and_masked_secrets_and_console_lines_arrive()
    {
        using var api = stack.Api();

        var resources = await api.GetAsync<List<ResourceDto>>("/api/resources");

        var gateway = Assert.Single(resources, r => r.Name == "gateway");
        Assert.Equal(("Running", "Healthy"), (gateway.State, gateway.Health));
        Assert.NotEmpty(gateway.ProcessIds);
        Assert.Contains(gateway.Urls, u => u.Url.StartsWith("http://localhost:"));
        Assert.Contains(gateway.References, r => r.Resource == "trips");
        var headers = Assert.Single(gateway.Environment, e => e.Name == "OTEL_EXPORTER_OTLP_HEADERS");
        Assert.True(headers.IsMasked);
        Assert.DoesNotContain(stack.Dashboard.Options.OtlpApiKey, await api.Http.GetStringAsync("/api/resources", TestContext.Current.CancellationToken));
        Assert.Contains(gateway.Environment, e => e.Name == "OTEL_EXPORTER_OTLP_ENDPOINT" && e.Value == stack.Dashboard.OtlpGrpcUrl!.ToString().TrimEnd('/'));
        Assert.Contains(resources, r => r.Name == "kafka" && r.State == "Running");

        var console = await api.WaitForAsync<List<ConsoleLineDto>>("/api/console?resource=gateway", l => l.Count > 0);
        Assert.All(console, l => Assert.Equal("gateway", l.Resource));
        var after = console[^1].Id;
        Assert.All(await api.GetAsync<List<ConsoleLineDto>>($"/api/console?after={after}"), l => Assert.True(l.Id > after));
    }

    [Fact]
    public async Task Restarting_a_resource_from_the_dashboard_gives_it_a_new_process_and_counts_the_restart()
    {
        using var api = stack.Api();
        var ct = TestContext.Current.CancellationToken;
        var before = Assert.Single(await api.GetAsync<List<ResourceDto>>("/api/resources"), r => r.Name == "payments");

        var restart = await api.Http.PostAsync("/api/resources/payments/commands/resource-restart", null, ct);
        var unknown = await api.Http.PostAsync("/api/resources/payments/commands/resource-explode", null, ct);

        Assert.True(restart.IsSuccessStatusCode, await restart.Content.ReadAsStringAsync(ct));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        var after = await api.WaitForAsync<List<ResourceDto>>("/api/resources",
            r => r.Single(x => x.Name == "payments") is { State: "Running", Health: "Healthy" }, TimeSpan.FromSeconds(90));
        var payments = after.Single(x => x.Name == "payments");
        Assert.Equal(before.Restarts + 1, payments.Restarts);
        Assert.NotEqual(before.ProcessIds, payments.ProcessIds);
    }

    /// <summary>The trace whose trips producer span carries the trip id as its Kafka key (the entity id, by convention).</summary>
    internal static async Task<TraceDetail> FindTraceAsync(DashboardClient api, string tripId)
    {
        TraceDetail? found = null;
        await api.WaitForAsync<List<TraceSummaryDto>>("/api/traces?resource=trips&limit=500", traces =>
        {
            foreach (var summary in traces.Where(t => t.Resources.Contains("drivers")))
            {
                var detail = api.GetAsync<TraceDetail>($"/api/traces/{summary.TraceId}").GetAwaiter().GetResult();
                // Spans arrive in per-service export batches: wait for the last hop (drivers' offer consumed by the
                // gateway), not just any gateway consumer (the gateway also consumes trip.event.created itself).
                var producers = detail.Spans.Where(s => s is { Resource: "drivers", Kind: "Producer" }).Select(s => s.SpanId).ToHashSet();
                if (detail.Spans.Any(s => s.Kind == "Producer" && s.Attributes.GetValueOrDefault("messaging.kafka.message.key") == tripId)
                    && detail.Spans.Any(s => s is { Resource: "gateway", Kind: "Consumer" } && s.ParentSpanId is { } parent && producers.Contains(parent)))
                {
                    found = detail;
                    return true;
                }
            }
            return false;
        }, TimeSpan.FromSeconds(45));
        return found!;
    }

    private static IEnumerable<SpanDto> Ancestors(SpanDto span, IReadOnlyDictionary<string, SpanDto> spans)
    {
        var current = span;
        while (current.ParentSpanId is { } parent && spans.TryGetValue(parent, out var next))
        {
            yield return next;
            current = next;
        }
    }
}

public sealed record ConsoleLineDto(long Id, string Resource, string Content, bool IsError);
