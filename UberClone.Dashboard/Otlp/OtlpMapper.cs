using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using UberClone.Dashboard.Otlp.Proto;
using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard.Otlp;

/// <summary>Turns OTLP export requests into the store's records. A resource is named by its service.name.</summary>
internal static class OtlpMapper
{
    public const string UnknownResource = "unknown";

    public static IReadOnlyList<LogEntry> Map(TelemetryStore store, ExportLogsServiceRequest request)
    {
        var entries = new List<LogEntry>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var (resource, instance) = Identify(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                foreach (var record in scopeLogs.LogRecords)
                {
                    var attributes = Attributes(record.Attributes);
                    var exception = attributes.Remove("exception.stacktrace", out var stack) ? stack
                        : attributes.TryGetValue("exception.message", out var message) ? $"{attributes.GetValueOrDefault("exception.type")}: {message}" : null;
                    var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
                    entries.Add(new LogEntry(
                        store.NextLogId(), resource, instance, ToUnixMs(time), record.SeverityNumber,
                        Level(record.SeverityNumber, record.SeverityText),
                        record.Body is null ? "" : Format(record.Body),
                        scopeLogs.Scope?.Name is { Length: > 0 } category ? category : null,
                        Hex(record.TraceId), Hex(record.SpanId), attributes, exception));
                }
            }
        }
        return entries;
    }

    public static IReadOnlyList<SpanEntry> Map(ExportTraceServiceRequest request)
    {
        var spans = new List<SpanEntry>();
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var (resource, _) = Identify(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    if (Hex(span.TraceId) is not { } traceId || Hex(span.SpanId) is not { } spanId)
                    {
                        continue;
                    }
                    spans.Add(new SpanEntry(
                        traceId, spanId, Hex(span.ParentSpanId), resource, scopeSpans.Scope?.Name ?? "", span.Name,
                        Kind(span.Kind), ToUnixMs(span.StartTimeUnixNano), ToUnixMs(span.EndTimeUnixNano),
                        span.Status?.Code switch { Status.Types.StatusCode.Error => "Error", Status.Types.StatusCode.Ok => "Ok", _ => "Unset" },
                        span.Status?.Message is { Length: > 0 } statusMessage ? statusMessage : null,
                        Attributes(span.Attributes),
                        [.. span.Events.Select(e => new SpanEvent(ToUnixMs(e.TimeUnixNano), e.Name, Attributes(e.Attributes)))],
                        [.. span.Links.Where(l => l.TraceId.Length > 0).Select(l => new SpanLink(Hex(l.TraceId)!, Hex(l.SpanId) ?? "", Attributes(l.Attributes)))]));
                }
            }
        }
        return spans;
    }

    public static (IReadOnlyList<InstrumentInfo> Instruments, IReadOnlyList<MetricPoint> Points) Map(ExportMetricsServiceRequest request)
    {
        var instruments = new List<InstrumentInfo>();
        var points = new List<MetricPoint>();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var (resource, _) = Identify(resourceMetrics.Resource);
            foreach (var scopeMetrics in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scopeMetrics.Metrics)
                {
                    var kind = metric.DataCase switch
                    {
                        Metric.DataOneofCase.Gauge => "Gauge",
                        Metric.DataOneofCase.Sum => metric.Sum.IsMonotonic ? "Counter" : "UpDownCounter",
                        Metric.DataOneofCase.Histogram => "Histogram",
                        _ => null,
                    };
                    if (kind is null)
                    {
                        continue;
                    }
                    instruments.Add(new InstrumentInfo(resource, scopeMetrics.Scope?.Name ?? "", metric.Name, metric.Description, metric.Unit, kind));
                    switch (metric.DataCase)
                    {
                        case Metric.DataOneofCase.Gauge:
                            points.AddRange(metric.Gauge.DataPoints.Select(p => Number(resource, metric.Name, p)));
                            break;
                        case Metric.DataOneofCase.Sum:
                            points.AddRange(metric.Sum.DataPoints.Select(p => Number(resource, metric.Name, p)));
                            break;
                        case Metric.DataOneofCase.Histogram:
                            points.AddRange(metric.Histogram.DataPoints.Select(p => new MetricPoint(
                                resource, metric.Name, ToUnixMs(p.TimeUnixNano), AttributesKey(p.Attributes),
                                p.Count == 0 ? 0 : (p.HasSum ? p.Sum : 0) / p.Count,
                                p.Count, p.HasSum ? p.Sum : null, [.. p.ExplicitBounds], [.. p.BucketCounts],
                                p.HasMin ? p.Min : null, p.HasMax ? p.Max : null)));
                            break;
                    }
                }
            }
        }
        return (instruments, points);
    }

    private static MetricPoint Number(string resource, string instrument, NumberDataPoint point) =>
        new(resource, instrument, ToUnixMs(point.TimeUnixNano), AttributesKey(point.Attributes),
            point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble);

    private static (string Resource, string Instance) Identify(Resource? resource)
    {
        var attributes = resource is null ? [] : Attributes(resource.Attributes);
        return (attributes.GetValueOrDefault("service.name") is { Length: > 0 } name ? name : UnknownResource,
            attributes.GetValueOrDefault("service.instance.id") ?? "");
    }

    private static string AttributesKey(RepeatedField<KeyValue> attributes) =>
        string.Join(", ", attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={Format(a.Value)}"));

    public static Dictionary<string, string> Attributes(RepeatedField<KeyValue> attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            result[attribute.Key] = attribute.Value is null ? "" : Format(attribute.Value);
        }
        return result;
    }

    private static string Format(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Format)) + "]",
        AnyValue.ValueOneofCase.KvlistValue => "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => $"{kv.Key}: {(kv.Value is null ? "" : Format(kv.Value))}")) + "}",
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        _ => "",
    };

    public static string Level(int severity, string text) => severity switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => text is { Length: > 0 } ? text : "Unspecified",
    };

    private static string Kind(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Internal",
    };

    /// <summary>An all-zero or empty id means "none" in OTLP.</summary>
    private static string? Hex(ByteString id) =>
        id.IsEmpty || id.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(id.Span);

    private static double ToUnixMs(ulong unixNano) => unixNano / 1_000_000.0;
}
