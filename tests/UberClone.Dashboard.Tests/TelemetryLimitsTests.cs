using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard.Tests;

/// <summary>Memory stays bounded: past each cap the oldest goes, per resource, so a chatty service cannot push out a quiet one.</summary>
public sealed class TelemetryLimitsTests
{
    private static readonly TelemetryLimits Small = new() { LogsPerResource = 5, TracesPerResource = 3, PointsPerInstrument = 4, InstrumentsPerResource = 2 };

    [Fact]
    public void Past_the_log_cap_the_oldest_logs_of_that_resource_are_dropped()
    {
        var store = new TelemetryStore(Small);
        store.Add([Log(store, "quiet", "kept")], [], [], []);
        store.Add([.. Enumerable.Range(0, 12).Select(i => Log(store, "chatty", $"m{i}"))], [], [], []);

        Assert.Equal(["m11", "m10", "m9", "m8", "m7"], store.QueryLogs(new LogQuery("chatty")).Select(l => l.Message));
        Assert.Equal("kept", Assert.Single(store.QueryLogs(new LogQuery("quiet"))).Message);
    }

    [Fact]
    public void Past_the_trace_cap_a_resource_loses_its_part_of_its_oldest_traces()
    {
        var store = new TelemetryStore(Small);
        store.Add([], [Span("t0", "a", "gateway"), Span("t0", "b", "trips", parent: "a")], [], []);
        store.Add([], [.. Enumerable.Range(1, 3).Select(i => Span($"t{i}", "x", "trips"))], [], []);

        Assert.Equal(4, store.QueryTraces().Count);
        var t0 = Assert.Single(store.GetTrace("t0")!);
        Assert.Equal("gateway", t0.Resource);
        Assert.NotNull(store.GetTrace("t1"));
        store.Add([], [Span("t4", "x", "trips")], [], []);
        Assert.Null(store.GetTrace("t1"));
        Assert.Equal(3, store.QueryTraces("trips").Count);
    }

    [Fact]
    public void Metric_points_and_instruments_are_capped()
    {
        var store = new TelemetryStore(Small);
        InstrumentInfo Instrument(string name) => new("trips", "UberClone.Trips", name, "", "", "Counter");
        store.Add([], [], [Instrument("a"), Instrument("b"), Instrument("c")],
            [.. Enumerable.Range(0, 10).Select(i => new MetricPoint("trips", "a", i * 5_000, "", i))]);

        Assert.Equal(["a", "b"], store.GetInstruments("trips").Select(i => i.Name));
        Assert.Equal([6.0, 7, 8, 9], store.GetPoints("trips", "a").Select(p => p.Value));
    }

    [Fact]
    public void One_point_per_series_is_kept_per_sample_interval_and_the_newest_is_always_shown()
    {
        var store = new TelemetryStore(Small with { PointsPerInstrument = 100 });
        store.Add([], [], [new InstrumentInfo("trips", "UberClone.Trips", "requested", "", "", "Counter")], []);
        // Exports every second for 12 s, two attribute sets.
        store.Add([], [], [], [.. Enumerable.Range(0, 12).SelectMany(i => new[]
        {
            new MetricPoint("trips", "requested", i * 1_000, "class=economy", i),
            new MetricPoint("trips", "requested", i * 1_000, "class=premium", 100 + i),
        })]);

        var economy = store.GetPoints("trips", "requested").Where(p => p.AttributesKey == "class=economy").Select(p => p.Value);
        Assert.Equal([0.0, 5, 10, 11], economy);
        Assert.Equal(111, store.GetPoints("trips", "requested").Where(p => p.AttributesKey == "class=premium").Last().Value);
    }

    internal static LogEntry Log(TelemetryStore store, string resource, string message, int severity = 9) =>
        new(store.NextLogId(), resource, "i1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), severity, "Information", message, "Test", null, null,
            new Dictionary<string, string>(), null);

    internal static SpanEntry Span(string traceId, string spanId, string resource, string? parent = null) =>
        new(traceId, spanId, parent, resource, "Test", $"{resource} {spanId}", "Internal", 1000, 1010, "Unset", null,
            new Dictionary<string, string>(), [], []);
}

public sealed class MetricChartTests
{
    [Fact]
    public void Histogram_p95_is_taken_from_what_was_recorded_between_two_cumulative_points()
    {
        double[] bounds = [0, 5, 10, 25];
        MetricPoint Point(double t, params ulong[] counts) =>
            new("trips", "uberclone.trips.time_to_match", t, "", 0, counts.Aggregate(0UL, (a, c) => a + c), 0, bounds, counts);

        var p95 = UberClone.Dashboard.Pages.MetricChart.Percentiles(
            [Point(1, 0, 100, 0, 0, 0), Point(2, 0, 100, 0, 20, 0), Point(3, 0, 100, 0, 20, 0)], 0.95);

        // The first point holds 100 recordings in (0, 5]; the second adds 20 in (10, 25]; the third adds none.
        Assert.Equal([1.0, 2.0], p95.Select(p => p.Item1));
        Assert.InRange(p95[0].Item2, 4.5, 5);
        Assert.InRange(p95[1].Item2, 10, 25);
    }

    [Fact]
    public void Histogram_p95_never_exceeds_the_largest_value_recorded()
    {
        // One booking matched in 0.5 s lands in the SDK's default (0, 5] bucket.
        var point = new MetricPoint("trips", "uberclone.trips.time_to_match", 1, "", 0.5, 1, 0.5, [0, 5, 10], [0, 1, 0, 0], Min: 0.5, Max: 0.5);

        Assert.Equal(0.5, Assert.Single(UberClone.Dashboard.Pages.MetricChart.Percentiles([point], 0.95)).Item2);
    }
}
