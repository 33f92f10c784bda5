using System.Globalization;
using System.Text;
using UberClone.Dashboard.Telemetry;
using static UberClone.Dashboard.Pages.Layout;

namespace UberClone.Dashboard.Pages;

/// <summary>An SVG line chart of one instrument: one line per attribute set; histograms as p95 per export interval.</summary>
internal static class MetricChart
{
    private const int Width = 900, Height = 320, Left = 60, Bottom = 30, Top = 10, MaxSeries = 8;
    private static readonly int[] Ranges = [5, 15, 60, 360];

    public static string Render(InstrumentInfo instrument, IReadOnlyList<MetricPoint> points, int minutes)
    {
        var isHistogram = instrument.Kind == "Histogram";
        var series = points.GroupBy(p => p.AttributesKey)
            .Select(g => (Key: g.Key, Values: isHistogram ? Percentiles(g.OrderBy(p => p.Timestamp).ToList(), 0.95) : g.Select(p => (p.Timestamp, p.Value)).ToList()))
            .Where(s => s.Values.Count > 0)
            .OrderByDescending(s => s.Values[^1].Item2).Take(MaxSeries).ToList();

        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            <h2>{E(instrument.Name)} <span class="muted">{E(instrument.Kind)}{(instrument.Unit is { Length: > 0 } u ? $" · {E(u)}" : "")} · {E(instrument.Scope)}</span></h2>
            <p class="muted">{E(instrument.Description)}</p>
            <p>Time range: {string.Join(" ", Ranges.Select(r => r == minutes ? $"<b>{Label(r)}</b>" : $"<a href=\"/metrics?resource={Q(instrument.Resource)}&instrument={Q(instrument.Name)}&minutes={r}\">{Label(r)}</a>"))}
            {(isHistogram ? " · line: p95 per interval" : "")}</p>
            """);
        if (series.Count == 0)
        {
            return html.Append("<p class=\"muted\">No data points in this range.</p>").ToString();
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        double x0 = now - minutes * 60_000.0, x1 = now;
        var yMax = Math.Max(series.SelectMany(s => s.Values).Max(v => v.Item2), 1e-9) * 1.1;
        double X(double t) => Left + (t - x0) / (x1 - x0) * (Width - Left - 10);
        double Y(double v) => Top + (1 - v / yMax) * (Height - Top - Bottom);

        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
        for (var i = 0; i <= 4; i++)
        {
            var v = yMax * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - 10}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#e2e8f0\"/><text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#64748b\">{Number(v)}</text>");
        }
        for (var i = 0; i <= 4; i++)
        {
            var t = x0 + (x1 - x0) * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(t):0.#}\" y=\"{Height - 10}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#64748b\">{Time(t)[..8]}</text>");
        }
        var palette = new[] { "#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#65a30d" };
        var legend = new StringBuilder("<table class=\"kv\"><tr><th></th><th>attributes</th><th>latest</th></tr>");
        for (var s = 0; s < series.Count; s++)
        {
            var path = string.Join(" ", series[s].Values.Where(v => v.Item1 >= x0).Select((v, i) => $"{(i == 0 ? "M" : "L")}{X(v.Item1):0.#},{Y(v.Item2):0.#}"));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{palette[s]}\" stroke-width=\"2\"/>");
            // Dots too: a histogram interval with recordings, or a gauge read once, is a single point.
            foreach (var (t, v) in series[s].Values.Where(v => v.Item1 >= x0))
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(t):0.#}\" cy=\"{Y(v):0.#}\" r=\"2.5\" fill=\"{palette[s]}\"/>");
            }
            legend.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"color:{palette[s]}\">■</td><td>{E(series[s].Key is { Length: > 0 } k ? k : "(no attributes)")}</td><td>{Number(series[s].Values[^1].Item2)}</td></tr>");
        }
        svg.Append("</svg>");
        return html.Append(svg).Append(legend.Append("</table>")).ToString();
    }

    /// <summary>
    /// The quantile of the values recorded between consecutive cumulative points (the .NET SDK's default temporality),
    /// estimated from the bucket counts by linear interpolation inside the bucket where the quantile falls.
    /// </summary>
    public static List<(double, double)> Percentiles(IReadOnlyList<MetricPoint> points, double quantile)
    {
        var result = new List<(double, double)>();
        MetricPoint? previous = null;
        foreach (var point in points)
        {
            if (point.BucketCounts is not { } counts || point.Bounds is not { } bounds)
            {
                continue;
            }
            var delta = counts.Select((c, i) => previous?.BucketCounts is { } p && p.Count == counts.Count && point.Count >= previous.Count ? c - p[i] : c).ToList();
            previous = point;
            var total = delta.Aggregate(0UL, (a, c) => a + c);
            if (total == 0)
            {
                continue;
            }
            var target = total * quantile;
            ulong seen = 0;
            for (var i = 0; i < delta.Count; i++)
            {
                if (delta[i] > 0 && seen + delta[i] >= target)
                {
                    // Linear inside the bucket; the overflow bucket (past the last bound) has no upper edge: its lower one is shown.
                    var lower = i == 0 ? 0 : bounds[Math.Min(i - 1, bounds.Count - 1)];
                    var upper = i < bounds.Count ? bounds[i] : lower;
                    // Every value lies within the recorded min and max: with coarse buckets (the SDK's defaults are
                    // made for milliseconds) that bound is often much tighter than the bucket's edges.
                    var estimate = lower + (upper - lower) * (target - seen) / delta[i];
                    result.Add((point.Timestamp, Math.Clamp(estimate, point.Min ?? double.MinValue, Math.Max(point.Min ?? double.MinValue, point.Max ?? double.MaxValue))));
                    break;
                }
                seen += delta[i];
            }
        }
        return result;
    }

    private static string Label(int minutes) => minutes >= 60 ? $"{minutes / 60}h" : $"{minutes}m";

    private static string Number(double v) =>
        Math.Abs(v) >= 1e6 ? (v / 1e6).ToString("0.##M", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 1e3 ? (v / 1e3).ToString("0.##k", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);
}
