namespace Aspire.Hosting.ApplicationModel;

/// <summary>One console line of a resource (its stdout/stderr, or a note the AppHost wrote about it).</summary>
public sealed record LogLine(DateTime Timestamp, string Content, bool IsError);

/// <summary>Keeps the recent console output of every resource and forwards each line to the sinks (the AppHost's console).</summary>
public sealed class ResourceLoggerService
{
    private const int LinesKept = 500;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<LogLine>> _lines = new(StringComparer.Ordinal);
    private readonly List<Action<string, LogLine>> _sinks = [];

    public void AddSink(Action<string, LogLine> sink)
    {
        lock (_gate)
        {
            _sinks.Add(sink);
        }
    }

    public void Write(string resourceName, string content, bool isError = false)
    {
        var line = new LogLine(DateTime.UtcNow, content, isError);
        Action<string, LogLine>[] sinks;
        lock (_gate)
        {
            if (!_lines.TryGetValue(resourceName, out var queue))
            {
                _lines[resourceName] = queue = new Queue<LogLine>();
            }
            queue.Enqueue(line);
            if (queue.Count > LinesKept)
            {
                queue.Dequeue();
            }
            sinks = [.. _sinks];
        }
        foreach (var sink in sinks)
        {
            sink(resourceName, line);
        }
    }

    public IReadOnlyList<LogLine> GetRecentLines(string resourceName, int count = LinesKept)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(resourceName, out var queue) ? [.. queue.TakeLast(count)] : [];
        }
    }
}
