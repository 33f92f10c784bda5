namespace UberClone.Dashboard.Telemetry;

/// <summary>Receives what was stored, to keep it beyond this process (see <see cref="SqliteTelemetryFile"/>).</summary>
public interface ITelemetrySink
{
    void Write(IReadOnlyList<LogEntry> logs, IReadOnlyList<SpanEntry> spans, IReadOnlyList<InstrumentInfo> instruments, IReadOnlyList<MetricPoint> points);
}

/// <summary>
/// Telemetry in memory, bounded per resource (<see cref="TelemetryLimits"/>): logs in arrival order, spans grouped
/// into traces, metric points per instrument. Thread-safe; readers get copies.
/// </summary>
public sealed class TelemetryStore(TelemetryLimits limits)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<LogEntry>> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TraceBucket> _traces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> _tracesByResource = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Resource, string Name), InstrumentInfo> _instruments = [];
    private readonly Dictionary<(string Resource, string Name), Queue<MetricPoint>> _points = [];
    private readonly Dictionary<(string Resource, string Instrument, string Attributes), double> _lastKept = [];
    private readonly Dictionary<(string Resource, string Instrument, string Attributes), MetricPoint> _newest = [];
    private long _lastLogId;

    public TelemetryLimits Limits => limits;

    /// <summary>Set by persistence after loading, so what was loaded is not written back.</summary>
    public ITelemetrySink? Sink { get; set; }

    public long NextLogId() => Interlocked.Increment(ref _lastLogId);

    public void Add(IReadOnlyList<LogEntry> logs, IReadOnlyList<SpanEntry> spans, IReadOnlyList<InstrumentInfo> instruments, IReadOnlyList<MetricPoint> points)
    {
        var kept = new List<MetricPoint>(points.Count);
        lock (_gate)
        {
            foreach (var log in logs)
            {
                AddLog(log);
            }
            foreach (var span in spans)
            {
                AddSpan(span);
            }
            foreach (var instrument in instruments)
            {
                AddInstrument(instrument);
            }
            foreach (var point in points)
            {
                if (AddPoint(point))
                {
                    kept.Add(point);
                }
            }
        }
        Sink?.Write(logs, spans, instruments, kept);
    }

    private void AddLog(LogEntry log)
    {
        if (log.Id > _lastLogId)
        {
            _lastLogId = log.Id;
        }
        var queue = GetOrAdd(_logs, log.Resource);
        queue.Enqueue(log);
        while (queue.Count > limits.LogsPerResource)
        {
            queue.Dequeue();
        }
    }

    private void AddSpan(SpanEntry span)
    {
        if (!_traces.TryGetValue(span.TraceId, out var trace))
        {
            _traces[span.TraceId] = trace = new TraceBucket();
        }
        if (trace.Spans.Count >= limits.SpansPerTrace || !trace.SpanIds.Add(span.SpanId))
        {
            return;
        }
        trace.Spans.Add(span);
        if (trace.Resources.Add(span.Resource))
        {
            var order = GetOrAdd(_tracesByResource, span.Resource);
            order.Enqueue(span.TraceId);
            while (order.Count > limits.TracesPerResource)
            {
                Evict(order.Dequeue(), span.Resource);
            }
        }
    }

    /// <summary>The resource's part of its oldest trace goes; the trace itself goes once no resource has spans left in it.</summary>
    private void Evict(string traceId, string resource)
    {
        if (!_traces.TryGetValue(traceId, out var trace))
        {
            return;
        }
        trace.Spans.RemoveAll(s => s.Resource == resource);
        trace.SpanIds.IntersectWith(trace.Spans.Select(s => s.SpanId));
        trace.Resources.Remove(resource);
        if (trace.Spans.Count == 0)
        {
            _traces.Remove(traceId);
        }
    }

    private void AddInstrument(InstrumentInfo instrument)
    {
        var key = (instrument.Resource, instrument.Name);
        if (_instruments.ContainsKey(key) || _instruments.Keys.Count(k => k.Resource == instrument.Resource) >= limits.InstrumentsPerResource)
        {
            return;
        }
        _instruments[key] = instrument;
    }

    /// <summary>True when the point is kept in the series; otherwise it only stands as the series' newest value until the next one.</summary>
    private bool AddPoint(MetricPoint point)
    {
        var key = (point.Resource, point.Instrument);
        if (!_instruments.ContainsKey(key))
        {
            return false;
        }
        var series = (point.Resource, point.Instrument, point.AttributesKey);
        if (_lastKept.TryGetValue(series, out var last) && point.Timestamp - last < limits.MetricSampleInterval.TotalMilliseconds)
        {
            _newest[series] = point;
            return false;
        }
        _lastKept[series] = point.Timestamp;
        _newest.Remove(series);
        var queue = GetOrAdd(_points, key);
        queue.Enqueue(point);
        while (queue.Count > limits.PointsPerInstrument)
        {
            queue.Dequeue();
        }
        return true;
    }

    public IReadOnlyList<LogEntry> QueryLogs(LogQuery query)
    {
        lock (_gate)
        {
            IEnumerable<LogEntry> logs = query.Resource is { Length: > 0 } resource
                ? _logs.TryGetValue(resource, out var queue) ? queue : []
                : _logs.Values.SelectMany(q => q);
            if (query.MinSeverity > 0)
            {
                logs = logs.Where(l => l.SeverityNumber >= query.MinSeverity);
            }
            if (query.TraceId is { Length: > 0 } traceId)
            {
                logs = logs.Where(l => l.TraceId == traceId);
            }
            if (query.Text is { Length: > 0 } text)
            {
                logs = logs.Where(l => Matches(l, text));
            }
            return [.. logs.OrderByDescending(l => l.Id).Take(query.Limit)];
        }
    }

    public LogEntry? GetLog(long id)
    {
        lock (_gate)
        {
            return _logs.Values.SelectMany(q => q).FirstOrDefault(l => l.Id == id);
        }
    }

    private static bool Matches(LogEntry log, string text) =>
        log.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (log.Category?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || (log.Exception?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || log.Attributes.Values.Any(v => v.Contains(text, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<TraceSummary> QueryTraces(string? resource = null, string? text = null, bool errorsOnly = false, int limit = 200)
    {
        lock (_gate)
        {
            IEnumerable<TraceBucket> traces = _traces.Values;
            if (resource is { Length: > 0 })
            {
                traces = traces.Where(t => t.Resources.Contains(resource));
            }
            var summaries = traces.Select(Summarize);
            if (text is { Length: > 0 })
            {
                summaries = summaries.Where(s => s.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || s.TraceId.StartsWith(text, StringComparison.OrdinalIgnoreCase));
            }
            if (errorsOnly)
            {
                summaries = summaries.Where(s => s.ErrorCount > 0);
            }
            return [.. summaries.OrderByDescending(s => s.StartTime).Take(limit)];
        }
    }

    public IReadOnlyList<SpanEntry>? GetTrace(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId, out var trace) ? [.. trace.Spans.OrderBy(s => s.StartTime)] : null;
        }
    }

    public TraceSummary? GetTraceSummary(string traceId)
    {
        lock (_gate)
        {
            return _traces.TryGetValue(traceId, out var trace) ? Summarize(trace) : null;
        }
    }

    private static TraceSummary Summarize(TraceBucket trace)
    {
        var spanIds = trace.Spans.Select(s => s.SpanId).ToHashSet();
        // The root is the span without a parent; a trace whose root has not arrived (or was evicted) shows its earliest span.
        var root = trace.Spans.Where(s => s.ParentSpanId is null || !spanIds.Contains(s.ParentSpanId)).MinBy(s => s.StartTime)!;
        var start = trace.Spans.Min(s => s.StartTime);
        var end = trace.Spans.Max(s => s.EndTime);
        return new TraceSummary(root.TraceId, root.Name, root.Resource,
            [.. trace.Spans.OrderBy(s => s.StartTime).Select(s => s.Resource).Distinct()],
            start, end - start, trace.Spans.Count, trace.Spans.Count(s => s.Status == "Error"));
    }

    public IReadOnlyList<string> GetResources()
    {
        lock (_gate)
        {
            return [.. _logs.Keys.Concat(_tracesByResource.Keys).Concat(_instruments.Keys.Select(k => k.Resource)).Distinct().Order(StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<InstrumentInfo> GetInstruments(string? resource = null)
    {
        lock (_gate)
        {
            return [.. _instruments.Values.Where(i => resource is not { Length: > 0 } || i.Resource == resource)
                .OrderBy(i => i.Resource, StringComparer.Ordinal).ThenBy(i => i.Name, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<MetricPoint> GetPoints(string resource, string instrument, double sinceUnixMs = 0)
    {
        lock (_gate)
        {
            IEnumerable<MetricPoint> kept = _points.TryGetValue((resource, instrument), out var queue) ? queue : [];
            var newest = _newest.Where(n => n.Key.Resource == resource && n.Key.Instrument == instrument).Select(n => n.Value);
            return [.. kept.Concat(newest).Where(p => p.Timestamp >= sinceUnixMs).OrderBy(p => p.Timestamp)];
        }
    }

    /// <summary>Counts for tests and the status line.</summary>
    public (int Logs, int Traces, int Points) Count()
    {
        lock (_gate)
        {
            return (_logs.Values.Sum(q => q.Count), _traces.Count, _points.Values.Sum(q => q.Count));
        }
    }

    private static TValue GetOrAdd<TKey, TValue>(Dictionary<TKey, TValue> dictionary, TKey key) where TKey : notnull where TValue : new()
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            dictionary[key] = value = new TValue();
        }
        return value;
    }

    private sealed class TraceBucket
    {
        public List<SpanEntry> Spans { get; } = [];
        public HashSet<string> Resources { get; } = new(StringComparer.Ordinal);
        public HashSet<string> SpanIds { get; } = new(StringComparer.Ordinal);
    }
}
