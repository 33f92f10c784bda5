using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UberClone.Dashboard.Mail;
using UberClone.Dashboard.Otlp;
using UberClone.Dashboard.Pages;
using UberClone.Dashboard.Resources;
using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard.Api;

/// <summary>The JSON behind the pages (and what tests and scripts read): /api/resources, /api/console, /api/logs, /api/traces, /api/metrics, /api/mail.</summary>
internal static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder endpoints, TelemetryStore store, ConsoleLogBuffer console, IResourceSource? resources, IMailSource? mail = null)
    {
        var api = endpoints.MapGroup("/api");

        api.MapGet("/mail", (string? to, string? q, int? limit) => TypedResults.Ok(MailQuery.Filter(mail, to, q, Math.Clamp(limit ?? 200, 1, 5_000))));

        api.MapGet("/resources", () => TypedResults.Ok(resources?.GetResources() ?? []));
        api.MapPost("/resources/{name}/commands/{command}", async Task<Results<Ok, NotFound<string>, BadRequest<string>>> (string name, string command, CancellationToken cancellationToken) =>
        {
            if (resources is null)
            {
                return TypedResults.NotFound("This dashboard shows a telemetry file: there is no running application to command.");
            }
            var (success, error) = await resources.ExecuteCommandAsync(name, command, cancellationToken);
            return success ? TypedResults.Ok() : TypedResults.BadRequest(error ?? "failed");
        });

        api.MapGet("/console", (string? resource, long? after, string? q, int? limit) =>
            TypedResults.Ok(console.Read(resource, after ?? 0, q, Math.Clamp(limit ?? 2_000, 1, 10_000))));
        api.MapGet("/console/download", (string? resource) =>
        {
            var text = new StringBuilder();
            foreach (var line in console.Read(resource, limit: int.MaxValue))
            {
                text.Append(line.Timestamp.ToString("O")).Append(' ');
                if (resource is not { Length: > 0 })
                {
                    text.Append('[').Append(line.Resource).Append("] ");
                }
                text.AppendLine(Layout.StripAnsi(line.Content));
            }
            return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/plain; charset=utf-8", $"{(resource is { Length: > 0 } ? resource : "all")}-console.log");
        });

        api.MapGet("/logs", (string? resource, string? level, string? q, string? traceId, int? limit) =>
            TypedResults.Ok(store.QueryLogs(new LogQuery(resource, MinSeverity(level), q, traceId, Math.Clamp(limit ?? 500, 1, 10_000)))));
        api.MapGet("/logs/{id:long}", Results<Ok<LogEntry>, NotFound> (long id) =>
            store.GetLog(id) is { } log ? TypedResults.Ok(log) : TypedResults.NotFound());

        api.MapGet("/traces", (string? resource, string? q, bool? errors, int? limit) =>
            TypedResults.Ok(store.QueryTraces(resource, q, errors ?? false, Math.Clamp(limit ?? 200, 1, 5_000))));
        api.MapGet("/traces/{traceId}", Results<Ok<TraceDetail>, NotFound> (string traceId) =>
            store.GetTrace(traceId) is { } spans ? TypedResults.Ok(new TraceDetail(store.GetTraceSummary(traceId)!, spans)) : TypedResults.NotFound());

        api.MapGet("/metrics", (string? resource) => TypedResults.Ok(store.GetInstruments(resource)));
        api.MapGet("/metrics/{resource}/{instrument}", (string resource, string instrument, int? minutes) =>
            TypedResults.Ok(store.GetPoints(resource, instrument, SinceMinutes(minutes))));
    }

    public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<SpanEntry> Spans);

    /// <summary>Level names (Trace … Critical) to the lowest OTLP severity number of that level.</summary>
    public static int MinSeverity(string? level) => level?.ToLowerInvariant() switch
    {
        "trace" => 1,
        "debug" => 5,
        "information" or "info" => 9,
        "warning" or "warn" => 13,
        "error" => 17,
        "critical" or "fatal" => 21,
        _ => 0,
    };

    public static double SinceMinutes(int? minutes) =>
        minutes is > 0 ? DateTimeOffset.UtcNow.AddMinutes(-minutes.Value).ToUnixTimeMilliseconds() : 0;

    public static string LevelOf(int severity) => OtlpMapper.Level(severity, "");
}
