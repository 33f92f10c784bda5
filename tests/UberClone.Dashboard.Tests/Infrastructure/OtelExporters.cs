using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace UberClone.Dashboard.Tests.Infrastructure;

/// <summary>
/// A fake service instrumented exactly as ServiceDefaults instruments ours (the real OpenTelemetry .NET SDK and OTLP
/// exporter), pointed at a dashboard. Disposing flushes and shuts the providers down.
/// </summary>
public sealed class OtelExporters : IDisposable
{
    private readonly string _sourceName = $"Test.{Guid.NewGuid():N}";
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;
    private readonly ILoggerFactory _logging;

    public OtelExporters(string serviceName, Uri endpoint, OtlpExportProtocol protocol, string apiKey)
    {
        Source = new ActivitySource(_sourceName);
        Meter = new Meter(_sourceName);
        var resource = ResourceBuilder.CreateEmpty().AddService(serviceName, serviceInstanceId: "test1");
        void Configure(OtlpExporterOptions o, string signal)
        {
            o.Protocol = protocol;
            // A programmatic HTTP endpoint is used as-is (no /v1/{signal} appended); gRPC takes the base address.
            o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, $"/v1/{signal}") : endpoint;
            o.Headers = $"x-otlp-api-key={apiKey}";
        }
        _tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(_sourceName)
            .AddOtlpExporter(o => Configure(o, "traces")).Build();
        _metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(_sourceName)
            .AddOtlpExporter((o, reader) => { Configure(o, "metrics"); reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 60_000; })
            .Build();
        _logging = LoggerFactory.Create(builder => builder.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(resource);
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter(e => Configure(e, "logs"));
        }));
    }

    public ActivitySource Source { get; }
    public Meter Meter { get; }
    public ILogger Logger(string category) => _logging.CreateLogger(category);

    public bool Flush() => _tracing.ForceFlush(10_000) & _metrics.ForceFlush(10_000);

    public void Dispose()
    {
        _tracing.Dispose();
        _metrics.Dispose();
        _logging.Dispose();
        Source.Dispose();
        Meter.Dispose();
    }
}
