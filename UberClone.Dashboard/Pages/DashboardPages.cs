using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using UberClone.Dashboard.Api;
using UberClone.Dashboard.Mail;
using UberClone.Dashboard.Resources;
using UberClone.Dashboard.Telemetry;
using static UberClone.Dashboard.Pages.Layout;

namespace UberClone.Dashboard.Pages;

/// <summary>Server-rendered pages; the little script there is polls /api for live views.</summary>
internal static class DashboardPages
{
    private static readonly (string Value, string Label)[] Levels =
        [("", "All levels"), ("trace", "Trace"), ("debug", "Debug"), ("information", "Information"), ("warning", "Warning"), ("error", "Error"), ("critical", "Critical")];

    public static void MapDashboardPages(this IEndpointRouteBuilder endpoints, TelemetryStore store, ConsoleLogBuffer console, IResourceSource? resources, DashboardHost host,
        IMailSource? mail = null)
    {
        string Status()
        {
            var (logs, traces, points) = store.Count();
            return $"{logs} logs · {traces} traces · {points} metric points{(host.TelemetryFile is { } file ? $" · persisted to {file}" : " · in memory")}";
        }
        IReadOnlyList<string> ResourceNames() =>
            [.. (resources?.GetResources().Select(r => r.Name) ?? []).Concat(store.GetResources()).Concat(console.Resources()).Distinct().Order(StringComparer.Ordinal)];
        IResult Html(string title, string path, string body) => Results.Content(Page(title, path, body, Status()), "text/html; charset=utf-8");

        endpoints.MapGet("/", () => Results.Redirect("/resources"));
        endpoints.MapGet("/resources", () => Html("Resources", "/resources", ResourcesPage(resources, store)));
        endpoints.MapGet("/console", (string? resource) => Html("Console logs", "/console", ConsolePage(resource, ResourceNames())));
        endpoints.MapGet("/structuredlogs", (string? resource, string? level, string? q, string? traceId) =>
            Html("Structured logs", "/structuredlogs", StructuredLogsPage(store, resource, level, q, traceId, ResourceNames())));
        endpoints.MapGet("/traces", (string? resource, string? q, bool? errors) =>
            Html("Traces", "/traces", TracesPage(store, resource, q, errors ?? false, ResourceNames())));
        endpoints.MapGet("/traces/{traceId}", (string traceId) =>
            store.GetTrace(traceId) is { } spans
                ? Html($"Trace {store.GetTraceSummary(traceId)!.Name}", "/traces", TracePage(store, traceId, spans))
                : Results.Content(Page("Trace not found", "/traces", $"<p>No trace <code>{E(traceId)}</code> (never received, or dropped past the cap).</p>"), "text/html; charset=utf-8", statusCode: 404));
        endpoints.MapGet("/metrics", (string? resource, string? instrument, int? minutes) =>
            Html("Metrics", "/metrics", MetricsPage(store, resource, instrument, minutes ?? 15)));
        endpoints.MapGet("/mail", (string? to, string? q) => Html("Mail", "/mail", MailPage(mail, to, q)));
    }

    /// <summary>What MailPit's UI is to an Aspire app: every mail the application sent, caught, never delivered; newest first.</summary>
    private static string MailPage(IMailSource? source, string? to, string? q)
    {
        if (source is null)
        {
            return "<p class=\"muted\">No mail-catching resource in this application (the AppHost's <code>mail</code> resource catches the gateway's mail).</p>";
        }
        var mails = MailQuery.Filter(source, to, q, 500);
        var html = new StringBuilder($$"""
            <p class="muted">Mail the application sent, caught by the AppHost's <code>mail</code> resource: nothing here reached anyone.</p>
            <form method="get" class="filters"><input name="to" placeholder="To (part of the address)" value="{{E(to ?? "")}}">
            <input name="q" placeholder="Subject or text" value="{{E(q ?? "")}}"><button type="submit">Filter</button></form>
            """);
        if (mails.Count == 0) return html.Append("<p class=\"muted\" id=\"no-mail\">No mail yet.</p>").ToString();
        html.Append("<table id=\"mail\"><thead><tr><th>Time</th><th>To</th><th>Subject</th></tr></thead><tbody>");
        foreach (var m in mails)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-mail="{m.Id}"><td>{m.At.ToLocalTime():HH:mm:ss}</td><td>{E(string.Join(", ", m.To))}</td>
                <td><details><summary>{E(m.Subject)}</summary><p class="muted">From {E(m.From)}</p><pre>{E(m.Text)}</pre>{HtmlPreview(m)}</details></td></tr>
                """);
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>
    /// A mail's HTML part as a mail client would show it: in a sandboxed frame (no scripts, no access to this page, no
    /// navigation), from the text itself (srcdoc), so nothing it links to is fetched by the dashboard's origin.
    /// </summary>
    private static string HtmlPreview(MailView m) => m.Html is not { Length: > 0 } html ? "" :
        $"""<p class="muted">As HTML:</p><iframe class="mail-html" sandbox="" referrerpolicy="no-referrer" title="The mail as HTML" style="width:100%;height:420px;border:1px solid #cbd5e1;background:#fff" srcdoc="{E(html)}"></iframe>""";

    private static string ResourcesPage(IResourceSource? source, TelemetryStore store)
    {
        if (source is null)
        {
            var seen = store.GetResources();
            return "<p class=\"muted\">This dashboard shows a telemetry file: no application is running. Resources that sent telemetry:</p>" +
                   string.Concat(seen.Select(ResourceChip));
        }
        var html = new StringBuilder("""
            <table id="resources"><thead><tr><th>Name</th><th>Type</th><th>State</th><th>Started</th><th>Uptime</th><th>Restarts</th><th>PID</th><th>URLs</th><th>References</th><th>Actions</th></tr></thead><tbody>
            """);
        var now = DateTime.UtcNow;
        foreach (var r in source.GetResources())
        {
            var stateClass = r.State switch
            {
                "Running" when r.Health == "Healthy" => "ok",
                "Running" or "Starting" or "Waiting" or "NotStarted" or "Stopping" => "warn",
                "Finished" => "muted",
                _ => "bad",
            };
            var running = r.State == "Running";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-resource="{E(r.Name)}"><td>{ResourceChip(r.Name)}</td><td>{E(r.Type)}</td>
                <td><span class="state {stateClass}">{E(r.State)}</span>{(r.Health is { } h ? $" <span class=\"muted\">({E(h)})</span>" : "")}</td>
                <td>{(r.StartTime is { } start ? start.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "")}</td>
                <td>{(running && r.StartTime is { } since ? Duration(now - since) : "")}</td>
                <td>{r.Restarts}</td><td>{string.Join(", ", r.ProcessIds)}</td>
                <td>{string.Join("<br>", r.Urls.Select(u => $"<a href=\"{E(u.Url)}\" target=\"_blank\">{E(u.Url)}</a> <span class=\"muted\">{E(u.Name)}</span>"))}</td>
                <td>{string.Join(" ", r.References.Select(x => $"<span title=\"{E(x.Type)}\">{ResourceChip(x.Resource)}</span>"))}</td>
                <td style="white-space:nowrap">
                  <button onclick="command('{E(r.Name)}','resource-start')" {(running ? "disabled" : "")}>Start</button>
                  <button onclick="command('{E(r.Name)}','resource-stop')" {(running ? "" : "disabled")}>Stop</button>
                  <button onclick="command('{E(r.Name)}','resource-restart')">Restart</button>
                  <a href="/console?resource={Q(r.Name)}">console</a></td></tr>
                <tr><td colspan="10"><details><summary class="muted">environment ({r.Environment.Count}){(r.Message is { Length: > 0 } ? " · message" : "")}</summary>
                {(r.Message is { Length: > 0 } m ? $"<pre>{E(m)}</pre>" : "")}
                {AttributesTable(r.Environment.ToDictionary(v => v.Name, v => v.Value))}</details></td></tr>
                """);
        }
        html.Append("""
            </tbody></table>
            <script>
            async function command(name, cmd) {
              const r = await fetch(`/api/resources/${encodeURIComponent(name)}/commands/${cmd}`, { method: 'POST' });
              if (!r.ok) alert(await r.text());
              location.reload();
            }
            // Live states without losing an opened environment panel.
            setInterval(() => { if (!document.querySelector('details[open]')) location.reload(); }, 4000);
            </script>
            """);
        return html.ToString();
    }

    private static string ConsolePage(string? resource, IReadOnlyList<string> names) => $$"""
        <form class="filters" method="get">
          {{Select("resource", resource, [("", "All resources"), .. names.Select(n => (n, n))])}}
          <input id="search" placeholder="Search" autocomplete="off">
          <button type="button" id="pause">Pause</button>
          <a href="/api/console/download?resource={{Q(resource)}}">Download</a>
          <span class="muted" id="count"></span>
        </form>
        <pre class="console" id="console"></pre>
        <script>
        const resource = {{System.Text.Json.JsonSerializer.Serialize(resource ?? "")}};
        const out = document.getElementById('console'), search = document.getElementById('search');
        const colors = {{System.Text.Json.JsonSerializer.Serialize(names.ToDictionary(n => n, Color))}};
        let after = 0, paused = false, lines = [];
        const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;
        function esc(s) { return s.replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c])); }
        function render() {
          const q = search.value.toLowerCase();
          const shown = q ? lines.filter(l => l.content.toLowerCase().includes(q)) : lines;
          const atBottom = out.scrollTop + out.clientHeight >= out.scrollHeight - 20;
          out.innerHTML = shown.map(l => `<span class="${l.isError ? 'err' : ''}">${l.timestamp.substring(11, 23)} ` +
            (resource ? '' : `<span class="res" style="color:${colors[l.resource] || '#fff'}">[${esc(l.resource)}]</span> `) +
            esc(l.content.replace(ansi, '')) + '</span>').join('\n');
          document.getElementById('count').textContent = `${shown.length} lines`;
          if (atBottom) out.scrollTop = out.scrollHeight;
        }
        async function poll() {
          if (!paused) {
            const r = await fetch(`/api/console?resource=${encodeURIComponent(resource)}&after=${after}`);
            if (r.ok) {
              const batch = await r.json();
              if (batch.length) { after = batch[batch.length - 1].id; lines = lines.concat(batch).slice(-5000); render(); }
            }
          }
          setTimeout(poll, 1000);
        }
        document.getElementById('pause').onclick = e => { paused = !paused; e.target.textContent = paused ? 'Resume' : 'Pause'; };
        search.oninput = render;
        poll();
        </script>
        """;

    private static string StructuredLogsPage(TelemetryStore store, string? resource, string? level, string? q, string? traceId, IReadOnlyList<string> names)
    {
        var logs = store.QueryLogs(new LogQuery(resource, DashboardApi.MinSeverity(level), q, traceId, 500));
        var html = new StringBuilder($"""
            <form class="filters" method="get">
              {Select("resource", resource, [("", "All resources"), .. names.Select(n => (n, n))])}
              {Select("level", level, Levels)}
              <input name="q" value="{E(q)}" placeholder="Filter text"> {(traceId is { Length: > 0 } ? $"<input type=\"hidden\" name=\"traceId\" value=\"{E(traceId)}\"><span class=\"chip\">trace {E(traceId[..Math.Min(8, traceId.Length)])}</span> <a href=\"/structuredlogs\">clear</a>" : "")}
              <button>Apply</button><span class="muted">{logs.Count} newest shown</span>
            </form>
            <table><thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Message</th><th>Trace</th></tr></thead><tbody>
            """);
        foreach (var log in logs)
        {
            var details = new Dictionary<string, string>(log.Attributes) { ["category"] = log.Category ?? "", ["service.instance.id"] = log.InstanceId };
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td style="white-space:nowrap">{Time(log.Timestamp)}</td><td>{ResourceChip(log.Resource)}</td><td class="level-{E(log.Level)}">{E(log.Level)}</td>
                <td><details><summary>{E(log.Message)}</summary>{AttributesTable(details)}{(log.Exception is { } ex ? $"<pre class=\"bad\">{E(ex)}</pre>" : "")}</details></td>
                <td>{(log.TraceId is { } t ? $"<a href=\"/traces/{t}\">{t[..8]}</a>" : "")}</td></tr>
                """);
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string TracesPage(TelemetryStore store, string? resource, string? q, bool errors, IReadOnlyList<string> names)
    {
        var traces = store.QueryTraces(resource, q, errors);
        var html = new StringBuilder($"""
            <form class="filters" method="get">
              {Select("resource", resource, [("", "All resources"), .. names.Select(n => (n, n))])}
              <input name="q" value="{E(q)}" placeholder="Name or trace id">
              <label><input type="checkbox" name="errors" value="true" {(errors ? "checked" : "")} onchange="this.form.submit()"> errors only</label>
              <button>Apply</button><span class="muted">{traces.Count} newest shown</span>
            </form>
            <table><thead><tr><th>Time</th><th>Name</th><th>Resources</th><th>Duration</th><th>Spans</th><th>Errors</th></tr></thead><tbody>
            """);
        foreach (var t in traces)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td style="white-space:nowrap">{Time(t.StartTime)}</td><td><a href="/traces/{t.TraceId}">{E(t.Name)}</a> <span class="muted">{t.TraceId[..8]}</span></td>
                <td>{string.Concat(t.Resources.Select(ResourceChip))}</td><td>{Duration(t.DurationMs)}</td><td>{t.SpanCount}</td>
                <td class="{(t.ErrorCount > 0 ? "bad" : "muted")}">{t.ErrorCount}</td></tr>
                """);
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string TracePage(TelemetryStore store, string traceId, IReadOnlyList<SpanEntry> spans)
    {
        var summary = store.GetTraceSummary(traceId)!;
        var start = spans.Min(s => s.StartTime);
        var total = Math.Max(spans.Max(s => s.EndTime) - start, 0.001);
        var byId = spans.ToDictionary(s => s.SpanId);
        var children = spans.Where(s => s.ParentSpanId is not null && byId.ContainsKey(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!).ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTime).ToList());
        var roots = spans.Where(s => s.ParentSpanId is null || !byId.ContainsKey(s.ParentSpanId)).OrderBy(s => s.StartTime);

        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            <p>{string.Concat(summary.Resources.Select(ResourceChip))} · {Duration(summary.DurationMs)} · {summary.SpanCount} spans ·
            <span class="{(summary.ErrorCount > 0 ? "bad" : "muted")}">{summary.ErrorCount} errors</span> · started {Time(summary.StartTime)} ·
            <code>{E(traceId)}</code> · <a href="/structuredlogs?traceId={traceId}">logs of this trace</a></p>
            <div class="wf-row"><div class="wf-name"><b>Span</b></div><div class="wf-track muted" style="font-size:11px">0 — {Duration(total)}</div></div>
            """);
        void Row(SpanEntry span, int depth)
        {
            var left = (span.StartTime - start) / total * 100;
            var width = Math.Max(span.DurationMs / total * 100, 0.2);
            var kafka = span.Attributes.TryGetValue("messaging.system", out var system) ? $"<span class=\"kafka\">{E(system)} {E(span.Kind.ToLowerInvariant())}</span>" : "";
            var error = span.Status == "Error" ? " <span class=\"bad\">●</span>" : "";
            html.Append(CultureInfo.InvariantCulture, $"""
                <details class="wf-row" style="display:block"><summary style="list-style:none;display:grid;grid-template-columns:34% 66%">
                <div class="wf-name" style="padding-left:{depth * 14 + 6}px">{ResourceChip(span.Resource)}{E(span.Name)}{kafka}{error}</div>
                <div class="wf-track"><div class="wf-bar" style="left:{left:0.###}%;width:{width:0.###}%;background:{Color(span.Resource)}"></div>
                <span class="wf-label" style="left:{Math.Min(left + width, 88):0.###}%;padding-left:4px">{Duration(span.DurationMs)}</span></div></summary>
                <div class="wf-detail"><p><b>{E(span.Name)}</b> · {E(span.Kind)} · {E(span.Scope)} · status {E(span.Status)}{(span.StatusMessage is { } m ? $": {E(m)}" : "")} · span <code>{span.SpanId}</code>{(span.ParentSpanId is { } p ? $" · parent <code>{p}</code>" : "")}</p>
                {AttributesTable(span.Attributes)}
                {(span.Events.Count > 0 ? "<h2>Events</h2>" + string.Concat(span.Events.Select(e => $"<p>{Duration(e.Timestamp - span.StartTime)} <b>{E(e.Name)}</b></p>{AttributesTable(e.Attributes)}")) : "")}
                {(span.Links.Count > 0 ? "<h2>Links</h2>" + string.Concat(span.Links.Select(l => $"<p><a href=\"/traces/{l.TraceId}\">{l.TraceId[..8]}</a> span {l.SpanId}</p>")) : "")}
                </div></details>
                """);
            foreach (var child in children.GetValueOrDefault(span.SpanId) ?? [])
            {
                Row(child, depth + 1);
            }
        }
        foreach (var root in roots)
        {
            Row(root, 0);
        }
        return html.ToString();
    }

    private static string MetricsPage(TelemetryStore store, string? resource, string? instrument, int minutes)
    {
        var instruments = store.GetInstruments();
        var list = new StringBuilder("<div class=\"list\">");
        foreach (var group in instruments.GroupBy(i => i.Resource))
        {
            list.Append(CultureInfo.InvariantCulture, $"<h3>{ResourceChip(group.Key)}</h3>");
            // The business metrics first: they are what a developer watches during a ride.
            foreach (var i in group.OrderBy(i => !i.Name.StartsWith("uberclone.", StringComparison.Ordinal)).ThenBy(i => i.Name, StringComparer.Ordinal))
            {
                var active = i.Resource == resource && i.Name == instrument;
                list.Append(CultureInfo.InvariantCulture, $"<a href=\"/metrics?resource={Q(i.Resource)}&instrument={Q(i.Name)}&minutes={minutes}\"{(active ? " class=\"active\"" : "")}>{E(i.Name)}</a>");
            }
        }
        list.Append("</div>");
        var selected = instruments.FirstOrDefault(i => i.Resource == resource && i.Name == instrument);
        var chart = selected is null
            ? "<p class=\"muted\">Choose an instrument. Business metrics are named uberclone.*.</p>"
            : MetricChart.Render(selected, store.GetPoints(selected.Resource, selected.Name, DashboardApi.SinceMinutes(minutes)), minutes);
        return $"<div class=\"layout\">{list}<div>{chart}</div></div>";
    }
}
