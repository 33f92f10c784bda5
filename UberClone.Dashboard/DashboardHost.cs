using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UberClone.Dashboard.Api;
using UberClone.Dashboard.Otlp;
using UberClone.Dashboard.Pages;
using UberClone.Dashboard.Resources;
using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard;

/// <summary>
/// The dashboard's Kestrel host: three listeners on loopback (UI, OTLP/gRPC, OTLP/HTTP), each serving only its own
/// routes. The AppHost runs it in-process; Program.cs runs it on its own against a telemetry file.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string CookieName = "uberclone-dashboard";
    public const string OtlpApiKeyHeader = "x-otlp-api-key";
    private const string ListenerKey = "dashboard-listener";

    private readonly WebApplication _app;
    private readonly ListenOptions _ui;
    private readonly ListenOptions? _otlpGrpc;
    private readonly ListenOptions? _otlpHttp;
    private readonly SqliteTelemetryFile? _file;

    public DashboardHost(DashboardOptions options, IResourceSource? resources = null, ConsoleLogBuffer? console = null, Action<ILoggingBuilder>? logging = null,
        Mail.IMailSource? mail = null)
    {
        Options = options;
        Store = new TelemetryStore(options.Limits);
        Console = console ?? new ConsoleLogBuffer(options.Limits.ConsoleLinesPerResource);
        _file = options.TelemetryFile is { Length: > 0 } path ? SqliteTelemetryFile.Open(path, Store) : null;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        ListenOptions? ui = null, grpc = null, http = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.UiPort, l => ui = Tag(l, Listener.Ui, HttpProtocols.Http1));
            if (options.ReceiveOtlp)
            {
                // gRPC without TLS needs HTTP/2 with prior knowledge, which a listener can only offer if it speaks nothing else.
                kestrel.Listen(IPAddress.Loopback, options.OtlpGrpcPort, l => grpc = Tag(l, Listener.OtlpGrpc, HttpProtocols.Http2));
                kestrel.Listen(IPAddress.Loopback, options.OtlpHttpPort, l => http = Tag(l, Listener.OtlpHttp, HttpProtocols.Http1));
            }
        });
        builder.Services.AddSingleton(Store);
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);

        _app = builder.Build();
        _app.Use((context, next) => GuardAsync(context, next));
        _app.MapGrpcService<OtlpTraceService>();
        _app.MapGrpcService<OtlpLogsService>();
        _app.MapGrpcService<OtlpMetricsService>();
        _app.MapOtlpHttp(Store);
        _app.MapDashboardApi(Store, Console, resources, mail);
        _app.MapDashboardPages(Store, Console, resources, this, mail);
        _app.MapGet("/login", Login);
        _ui = ui!;
        _otlpGrpc = grpc;
        _otlpHttp = http;
    }

    public DashboardOptions Options { get; }
    public TelemetryStore Store { get; }
    public ConsoleLogBuffer Console { get; }
    public string? TelemetryFile => _file?.Path;

    /// <summary>Known once started (ports may have been 0).</summary>
    public Uri UiUrl => new($"http://localhost:{_ui.IPEndPoint!.Port}");
    public Uri LoginUrl => new(UiUrl, $"/login?t={Options.BrowserToken}");
    public Uri? OtlpGrpcUrl => _otlpGrpc is null ? null : new($"http://localhost:{_otlpGrpc.IPEndPoint!.Port}");
    public Uri? OtlpHttpUrl => _otlpHttp is null ? null : new($"http://localhost:{_otlpHttp.IPEndPoint!.Port}");

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _file?.Dispose();
    }

    private enum Listener { Ui, OtlpGrpc, OtlpHttp }

    private static ListenOptions Tag(ListenOptions listen, Listener listener, HttpProtocols protocols)
    {
        listen.Protocols = protocols;
        listen.Use(next => connection =>
        {
            connection.Items[ListenerKey] = listener;
            return next(connection);
        });
        return listen;
    }

    /// <summary>Each listener serves only its routes; OTLP needs the API key, the UI and its API the browser token or cookie.</summary>
    private Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var listener = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerKey, out var value) == true ? (Listener)value! : Listener.Ui;
        var path = context.Request.Path;
        var isGrpcRoute = path.StartsWithSegments("/opentelemetry.proto.collector.trace.v1.TraceService")
            || path.StartsWithSegments("/opentelemetry.proto.collector.logs.v1.LogsService")
            || path.StartsWithSegments("/opentelemetry.proto.collector.metrics.v1.MetricsService");
        var isHttpOtlpRoute = path.StartsWithSegments("/v1");
        switch (listener)
        {
            case Listener.OtlpGrpc when !isGrpcRoute:
            case Listener.OtlpHttp when !isHttpOtlpRoute:
            case Listener.Ui when isGrpcRoute || isHttpOtlpRoute:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            case Listener.OtlpGrpc or Listener.OtlpHttp when !SecretEquals(context.Request.Headers[OtlpApiKeyHeader].ToString(), Options.OtlpApiKey):
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (listener == Listener.OtlpGrpc)
                {
                    // gRPC clients read the status from the response, not the HTTP code.
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/grpc";
                    context.Response.AppendTrailer("grpc-status", "16");
                    context.Response.AppendTrailer("grpc-message", "missing or wrong x-otlp-api-key");
                }
                return Task.CompletedTask;
            case Listener.Ui when path != "/login" && !IsSignedIn(context):
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                if (path.StartsWithSegments("/api"))
                {
                    return Task.CompletedTask;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                return context.Response.WriteAsync(Layout.Unauthorized());
            default:
                return next(context);
        }
    }

    private bool IsSignedIn(HttpContext context) =>
        SecretEquals(context.Request.Cookies[CookieName] ?? "", CookieValue)
        || (context.Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && SecretEquals(authorization["Bearer ".Length..], Options.BrowserToken));

    /// <summary>The cookie holds a hash of the token, so the token itself never sits in the browser's cookie jar.</summary>
    private string CookieValue => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("dashboard-cookie:" + Options.BrowserToken)));

    private IResult Login(HttpContext context, string? t, string? returnUrl)
    {
        if (t is null || !SecretEquals(t, Options.BrowserToken))
        {
            return Results.Content(Layout.Unauthorized(), "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }
        context.Response.Cookies.Append(CookieName, CookieValue, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = TimeSpan.FromDays(3),
        });
        // Only local paths: the login link must not become an open redirect.
        return Results.Redirect(returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] != '/' && returnUrl[1] != '\\' ? returnUrl : "/");
    }

    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
