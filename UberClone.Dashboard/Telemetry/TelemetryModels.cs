namespace UberClone.Dashboard.Telemetry;

/// <summary>One OTLP log record, flattened for display and persistence. Times are Unix milliseconds (UTC).</summary>
public sealed record LogEntry(
    long Id,
    string Resource,
    string InstanceId,
    double Timestamp,
    int SeverityNumber,
    string Level,
    string Message,
    string? Category,
    string? TraceId,
    string? SpanId,
    IReadOnlyDictionary<string, string> Attributes,
    string? Exception);

public sealed record SpanEvent(double Timestamp, string Name, IReadOnlyDictionary<string, string> Attributes);

public sealed record SpanLink(string TraceId, string SpanId, IReadOnlyDictionary<string, string> Attributes);

/// <summary>One span of a trace. Kind and Status use OTLP's words (Server, Client, Producer, Consumer; Unset, Ok, Error).</summary>
public sealed record SpanEntry(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Resource,
    string Scope,
    string Name,
    string Kind,
    double StartTime,
    double EndTime,
    string Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEvent> Events,
    IReadOnlyList<SpanLink> Links)
{
    public double DurationMs => EndTime - StartTime;
}

/// <summary>Summary of a trace for the list page.</summary>
public sealed record TraceSummary(
    string TraceId,
    string Name,
    string RootResource,
    IReadOnlyList<string> Resources,
    double StartTime,
    double DurationMs,
    int SpanCount,
    int ErrorCount);

/// <summary>An instrument as first seen from a resource (name, unit, kind: Gauge, Sum, Counter, Histogram).</summary>
public sealed record InstrumentInfo(string Resource, string Scope, string Name, string Description, string Unit, string Kind);

/// <summary>
/// One data point. Number instruments fill Value; histograms fill Count, Sum, Bounds and BucketCounts. Cumulative
/// values are kept as sent: the chart shows the running total, which is what a counter's reader expects.
/// </summary>
public sealed record MetricPoint(
    string Resource,
    string Instrument,
    double Timestamp,
    string AttributesKey,
    double Value,
    ulong? Count = null,
    double? Sum = null,
    IReadOnlyList<double>? Bounds = null,
    IReadOnlyList<ulong>? BucketCounts = null,
    double? Min = null,
    double? Max = null);

public sealed record LogQuery(string? Resource = null, int MinSeverity = 0, string? Text = null, string? TraceId = null, int Limit = 500);
