namespace UberClone.Dashboard.Resources;

public sealed record ConsoleLine(long Id, string Resource, DateTime Timestamp, string Content, bool IsError);

/// <summary>Console output of every resource with increasing ids (for live tail: "what came after id N"), bounded per resource.</summary>
public sealed class ConsoleLogBuffer(int linesPerResource)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<ConsoleLine>> _lines = new(StringComparer.Ordinal);
    private long _lastId;

    public void Write(string resource, DateTime timestamp, string content, bool isError)
    {
        lock (_gate)
        {
            if (!_lines.TryGetValue(resource, out var queue))
            {
                _lines[resource] = queue = new Queue<ConsoleLine>();
            }
            queue.Enqueue(new ConsoleLine(++_lastId, resource, timestamp, content, isError));
            while (queue.Count > linesPerResource)
            {
                queue.Dequeue();
            }
        }
    }

    /// <summary>Lines after <paramref name="afterId"/>, oldest first; the newest <paramref name="limit"/> when there are more.</summary>
    public IReadOnlyList<ConsoleLine> Read(string? resource, long afterId = 0, string? text = null, int limit = 2_000)
    {
        lock (_gate)
        {
            IEnumerable<ConsoleLine> lines = resource is { Length: > 0 }
                ? _lines.TryGetValue(resource, out var queue) ? queue : []
                : _lines.Values.SelectMany(q => q);
            lines = lines.Where(l => l.Id > afterId);
            if (text is { Length: > 0 })
            {
                lines = lines.Where(l => l.Content.Contains(text, StringComparison.OrdinalIgnoreCase));
            }
            return [.. lines.OrderByDescending(l => l.Id).Take(limit).Reverse()];
        }
    }

    public IReadOnlyList<string> Resources()
    {
        lock (_gate)
        {
            return [.. _lines.Keys.Order(StringComparer.Ordinal)];
        }
    }
}
