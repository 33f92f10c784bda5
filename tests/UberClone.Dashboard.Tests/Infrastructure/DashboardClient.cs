using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using UberClone.Dashboard;

namespace UberClone.Dashboard.Tests.Infrastructure;

/// <summary>The dashboard's JSON API, signed in with the browser token as a Bearer token.</summary>
public sealed class DashboardClient(Uri uiUrl, string token) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = uiUrl,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public static DashboardClient For(DashboardHost host) => new(host.UiUrl, host.Options.BrowserToken);

    public async Task<T> GetAsync<T>(string path) => (await Http.GetFromJsonAsync<T>(path, Json))!;

    /// <summary>Telemetry arrives in batches: polls until <paramref name="until"/> holds or the deadline passes.</summary>
    public async Task<T> WaitForAsync<T>(string path, Func<T, bool> until, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        T last = default!;
        while (!deadline.IsCancellationRequested)
        {
            last = await GetAsync<T>(path);
            if (until(last))
            {
                return last;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"GET {path} never satisfied the condition within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s. Last answer: {JsonSerializer.Serialize(last, Json)[..Math.Min(4000, JsonSerializer.Serialize(last, Json).Length)]}");
        return last;
    }

    public void Dispose() => Http.Dispose();
}

/// <summary>What the API returns (the dashboard's own records, read back as JSON).</summary>
public sealed record TraceDetail(TraceSummaryDto Summary, List<SpanDto> Spans);

public sealed record TraceSummaryDto(string TraceId, string Name, string RootResource, List<string> Resources, double DurationMs, int SpanCount, int ErrorCount);

public sealed record SpanDto(string TraceId, string SpanId, string? ParentSpanId, string Resource, string Scope, string Name, string Kind, string Status,
    Dictionary<string, string> Attributes, List<SpanEventDto> Events, List<SpanLinkDto> Links);

public sealed record SpanEventDto(string Name, Dictionary<string, string> Attributes);

public sealed record SpanLinkDto(string TraceId, string SpanId);

public sealed record LogDto(long Id, string Resource, string Level, string Message, string? Category, string? TraceId, string? SpanId, Dictionary<string, string> Attributes, string? Exception);

public sealed record InstrumentDto(string Resource, string Name, string Unit, string Kind);

public sealed record PointDto(string Instrument, string AttributesKey, double Value, ulong? Count, double? Sum);

public sealed record ResourceDto(string Name, string Type, string State, string? Health, List<int> ProcessIds, int Restarts,
    List<UrlDto> Urls, List<EnvDto> Environment, List<ReferenceDto> References);

public sealed record UrlDto(string Name, string Url);

public sealed record EnvDto(string Name, string Value, bool IsMasked);

public sealed record ReferenceDto(string Resource, string Type);
