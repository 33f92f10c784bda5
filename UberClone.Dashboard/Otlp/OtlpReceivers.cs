using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Google.Protobuf;
using UberClone.Dashboard.Otlp.Proto;
using UberClone.Dashboard.Telemetry;

namespace UberClone.Dashboard.Otlp;

/// <summary>OTLP/gRPC (opentelemetry.proto.collector.*.v1 services).</summary>
internal sealed class OtlpTraceService(TelemetryStore store) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        store.Add([], OtlpMapper.Map(request), [], []);
        return Task.FromResult(new ExportTraceServiceResponse());
    }
}

internal sealed class OtlpLogsService(TelemetryStore store) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
    {
        store.Add(OtlpMapper.Map(store, request), [], [], []);
        return Task.FromResult(new ExportLogsServiceResponse());
    }
}

internal sealed class OtlpMetricsService(TelemetryStore store) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
    {
        var (instruments, points) = OtlpMapper.Map(request);
        store.Add([], [], instruments, points);
        return Task.FromResult(new ExportMetricsServiceResponse());
    }
}

/// <summary>OTLP/HTTP with protobuf bodies: POST /v1/traces, /v1/logs, /v1/metrics (JSON bodies are refused with 415).</summary>
internal static class OtlpHttpEndpoints
{
    private const string Protobuf = "application/x-protobuf";
    private const long MaxBodyBytes = 16 * 1024 * 1024;

    public static void MapOtlpHttp(this IEndpointRouteBuilder endpoints, TelemetryStore store)
    {
        endpoints.MapPost("/v1/traces", (Delegate)((HttpContext context) => ReceiveAsync(context, ExportTraceServiceRequest.Parser,
            r => store.Add([], OtlpMapper.Map(r), [], []), new ExportTraceServiceResponse())));
        endpoints.MapPost("/v1/logs", (Delegate)((HttpContext context) => ReceiveAsync(context, ExportLogsServiceRequest.Parser,
            r => store.Add(OtlpMapper.Map(store, r), [], [], []), new ExportLogsServiceResponse())));
        endpoints.MapPost("/v1/metrics", (Delegate)((HttpContext context) => ReceiveAsync(context, ExportMetricsServiceRequest.Parser,
            r =>
            {
                var (instruments, points) = OtlpMapper.Map(r);
                store.Add([], [], instruments, points);
            }, new ExportMetricsServiceResponse())));
    }

    private static async Task<IResult> ReceiveAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser, Action<TRequest> store, IMessage response)
        where TRequest : IMessage<TRequest>
    {
        if (context.Request.ContentType?.StartsWith(Protobuf, StringComparison.OrdinalIgnoreCase) != true)
        {
            return Results.Problem($"OTLP/HTTP here accepts {Protobuf} only.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return Results.Problem("Export request too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        using var body = new MemoryStream();
        var input = context.Request.Headers.ContentEncoding.ToString() == "gzip"
            ? new System.IO.Compression.GZipStream(context.Request.Body, System.IO.Compression.CompressionMode.Decompress)
            : context.Request.Body;
        await input.CopyToAsync(body, context.RequestAborted);
        TRequest request;
        try
        {
            request = parser.ParseFrom(body.ToArray());
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Results.Problem($"Malformed OTLP request: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        store(request);
        return Results.Bytes(response.ToByteArray(), Protobuf);
    }
}
