using System.Security.Cryptography;
using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard;

/// <summary>How the dashboard listens and what guards it (Aspire's defaults: UI 18888, OTLP gRPC 18889, OTLP HTTP 18890).</summary>
public sealed record DashboardOptions
{
    /// <summary>0 picks a free port (tests).</summary>
    public int UiPort { get; init; } = 18888;
    public int OtlpGrpcPort { get; init; } = 18889;
    public int OtlpHttpPort { get; init; } = 18890;

    /// <summary>Null: no OTLP receivers (a persisted file opened on its own only needs the UI).</summary>
    public bool ReceiveOtlp { get; init; } = true;

    /// <summary>Required in the x-otlp-api-key header of every OTLP request.</summary>
    public string OtlpApiKey { get; init; } = NewSecret();

    /// <summary>The browser token of /login?t=…; also accepted as a Bearer token by /api.</summary>
    public string BrowserToken { get; init; } = NewSecret();

    /// <summary>SQLite file that keeps telemetry across restarts; null keeps it in memory only.</summary>
    public string? TelemetryFile { get; init; }

    public TelemetryLimits Limits { get; init; } = new();

    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
