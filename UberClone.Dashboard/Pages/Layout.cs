using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace UberClone.Dashboard.Pages;

/// <summary>The page shell (navigation, styles) and small HTML helpers shared by the pages.</summary>
internal static partial class Layout
{
    private static readonly (string Path, string Title)[] Navigation =
    [
        ("/resources", "Resources"), ("/console", "Console"), ("/structuredlogs", "Structured logs"),
        ("/traces", "Traces"), ("/metrics", "Metrics"), ("/mail", "Mail"),
    ];

    private static readonly string[] Palette = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#db2777", "#65a30d", "#7c3aed", "#ea580c"];

    public static string Page(string title, string activePath, string body, string? status = null)
    {
        var nav = string.Concat(Navigation.Select(n =>
            $"<a href=\"{n.Path}\"{(n.Path == activePath ? " class=\"active\"" : "")}>{n.Title}</a>"));
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}} · UberClone dashboard</title>
            <style>{{Css}}</style></head>
            <body><header><span class="brand">UberClone</span><nav>{{nav}}</nav><span class="status">{{E(status ?? "")}}</span></header>
            <main><h1>{{E(title)}}</h1>{{body}}</main></body></html>
            """;
    }

    public static string Unauthorized() => """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in · UberClone dashboard</title></head>
        <body style="font-family:system-ui;margin:3rem"><h1>Sign in to the dashboard</h1>
        <p>Open the login link the AppHost printed when it started: <code>http://localhost:18888/login?t=…</code>.</p></body></html>
        """;

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Q(string? text) => UrlEncoder.Default.Encode(text ?? "");

    public static string StripAnsi(string text) => AnsiEscape().Replace(text, "");

    public static string Color(string resource)
    {
        var hash = 0;
        foreach (var c in resource)
        {
            hash = unchecked(hash * 31 + c);
        }
        return Palette[(hash & int.MaxValue) % Palette.Length];
    }

    public static string ResourceChip(string resource) =>
        $"<span class=\"chip\" style=\"border-color:{Color(resource)};color:{Color(resource)}\">{E(resource)}</span>";

    public static string Time(double unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs).UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Duration(double ms) => ms switch
    {
        < 1 => $"{ms * 1000:0}μs",
        < 1000 => $"{ms:0.#}ms",
        < 60_000 => $"{ms / 1000:0.##}s",
        _ => $"{ms / 60_000:0.#}min",
    };

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m" : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s" : $"{span.Seconds}s";

    public static string AttributesTable(IReadOnlyDictionary<string, string> attributes)
    {
        if (attributes.Count == 0)
        {
            return "<p class=\"muted\">no attributes</p>";
        }
        var html = new StringBuilder("<table class=\"kv\">");
        foreach (var (key, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");
        }
        return html.Append("</table>").ToString();
    }

    public static string Select(string name, string? selected, IEnumerable<(string Value, string Label)> options) =>
        $"<select name=\"{name}\" onchange=\"this.form.submit()\">" +
        string.Concat(options.Select(o => $"<option value=\"{E(o.Value)}\"{(o.Value == (selected ?? "") ? " selected" : "")}>{E(o.Label)}</option>")) +
        "</select>";

    [GeneratedRegex("\u001b\\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    private const string Css = """
        :root{--bg:#f8fafc;--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--accent:#4f46e5}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
        header{display:flex;gap:1.5rem;align-items:center;background:#1e1b4b;color:#fff;padding:.6rem 1.2rem}
        header .brand{font-weight:700}header nav a{color:#c7d2fe;text-decoration:none;margin-right:1rem}header nav a.active{color:#fff;border-bottom:2px solid #a5b4fc}
        header .status{margin-left:auto;color:#a5b4fc;font-size:12px}
        main{padding:1rem 1.2rem}h1{font-size:20px;margin:.2rem 0 1rem}h2{font-size:16px}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        th{background:#f1f5f9;font-weight:600;font-size:12px;color:#334155}
        table.kv{width:auto;font-size:12px}table.kv th{background:none;font-weight:500;color:var(--muted)}
        .muted{color:var(--muted)}.chip{display:inline-block;border:1px solid;border-radius:999px;padding:0 .5rem;font-size:12px;margin:0 .2rem .1rem 0;background:#fff}
        .state{font-weight:600}.ok{color:#16a34a}.warn{color:#d97706}.bad{color:#dc2626}
        form.filters{display:flex;gap:.6rem;align-items:center;margin-bottom:.8rem;flex-wrap:wrap}
        input,select,button{font:inherit;padding:.25rem .5rem;border:1px solid #cbd5e1;border-radius:4px;background:#fff}
        button{cursor:pointer}button:hover{border-color:var(--accent)}
        pre.console{background:#0f172a;color:#e2e8f0;padding:.6rem;height:70vh;overflow:auto;font:12px/1.4 ui-monospace,monospace;margin:0;white-space:pre-wrap}
        pre.console .err{color:#fca5a5}pre.console .res{font-weight:600}
        details summary{cursor:pointer}.level-Error,.level-Critical{color:#dc2626;font-weight:600}.level-Warning{color:#d97706;font-weight:600}
        .wf-row{display:grid;grid-template-columns:34% 66%;border-bottom:1px solid var(--line);background:#fff}.wf-row:hover{background:#f1f5f9}
        .wf-name{padding:.25rem .4rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:12px}
        .wf-track{position:relative;height:26px}.wf-bar{position:absolute;top:6px;height:14px;border-radius:3px;min-width:2px}
        .wf-label{position:absolute;top:5px;font-size:11px;color:#334155;white-space:nowrap}
        .wf-detail{grid-column:1 / span 2;padding:.4rem 1rem;background:#f8fafc}
        .layout{display:grid;grid-template-columns:320px 1fr;gap:1rem}.list a{display:block;padding:.15rem .3rem;text-decoration:none;color:var(--fg);font-size:13px;border-radius:3px}
        .list a.active{background:#e0e7ff}.list h3{font-size:12px;margin:.8rem 0 .2rem;color:var(--muted);text-transform:uppercase}
        svg.chart{background:#fff;border:1px solid var(--line)}.kafka{font-size:11px;background:#fef3c7;color:#92400e;border-radius:3px;padding:0 .3rem;margin-left:.3rem}
        """;
}
