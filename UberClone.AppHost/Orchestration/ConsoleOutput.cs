using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// Every resource's console lines in one terminal, each prefixed with the resource's name, padded and coloured,
/// so interleaved output stays readable. stderr lines use '!' instead of '|'.
/// </summary>
internal sealed class ConsoleOutput
{
    /// <summary>The AppHost's own status lines.</summary>
    public const string AppHostName = "apphost";

    private static readonly string[] Palette = ["36", "35", "33", "32", "34", "96", "95", "93", "92", "94"];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _colors;
    private readonly int _width;
    private readonly bool _useColor = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public ConsoleOutput(IEnumerable<string> resourceNames)
    {
        var names = resourceNames.Prepend(AppHostName).Distinct().ToList();
        _width = names.Max(n => n.Length);
        _colors = names.Select((name, i) => (name, color: Palette[i % Palette.Length])).ToDictionary(x => x.name, x => x.color);
    }

    public void Write(string resourceName, LogLine line)
    {
        var name = resourceName.PadRight(_width);
        var separator = line.IsError ? '!' : '|';
        var text = _useColor && _colors.TryGetValue(resourceName, out var color)
            ? $"\u001b[{color}m{name} {separator}\u001b[0m {line.Content}"
            : $"{name} {separator} {line.Content}";
        lock (_gate)
        {
            Console.Out.WriteLine(text);
        }
    }
}
