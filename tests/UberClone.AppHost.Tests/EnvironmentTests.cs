using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace UberClone.AppHost.Tests;

/// <summary>A project resource receives exactly what an Aspire AppHost would give it (shared/ASPIRE-CONVENTIONS.md).</summary>
public sealed class EnvironmentTests
{
    [Fact]
    public async Task Project_receives_endpoints_service_discovery_telemetry_and_connection_strings()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        var kafka = builder.AddKafka("kafka");
        var other = builder.AddEcho("other").WithGrpcEndpoint();
        builder.AddEcho("echo").WithGrpcEndpoint()
            .WithReference(kafka).WithReference(other)
            .WithEnvironment("CUSTOM", "from-the-model")
            .WaitFor(kafka);
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("echo", TestModel.Deadline());

        var env = await app.GetEnvironmentAsync("echo");

        var http = app.GetEndpoint("echo");
        var grpc = app.GetEndpoint("echo", "grpc");
        Assert.Equal($"http://localhost:{http.Port}", env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal($"http://localhost:{grpc.Port}", env["Kestrel__Endpoints__grpc__Url"]);
        Assert.Equal("Http2", env["Kestrel__Endpoints__grpc__Protocols"]);
        Assert.False(env.ContainsKey("ASPNETCORE_URLS"));
        Assert.Equal("Development", env["ASPNETCORE_ENVIRONMENT"]);

        var otherHttp = app.GetEndpoint("other").ToString().TrimEnd('/');
        Assert.Equal(otherHttp, env["services__other__http__0"]);
        Assert.Equal(otherHttp, env["OTHER_HTTP"]);
        Assert.Equal(app.GetEndpoint("other", "grpc").ToString().TrimEnd('/'), env["services__other__grpc__0"]);

        Assert.Equal("echo", env["OTEL_SERVICE_NAME"]);
        Assert.Matches("^service.instance.id=[a-z]{8}$", env["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal("in_memory", env["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.Equal("1000", env["OTEL_BSP_SCHEDULE_DELAY"]);
        Assert.Equal("always_on", env["OTEL_TRACES_SAMPLER"]);
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("true", env["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"]);
        Assert.Equal("simple", env["LOGGING__CONSOLE__FORMATTERNAME"]);

        Assert.Equal(await app.GetConnectionStringAsync("kafka", TestModel.Deadline()), env["ConnectionStrings__kafka"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", env["ConnectionStrings__kafka"]);
        Assert.Equal("50", env["Aspire__Confluent__Kafka__Consumer__Config__FetchWaitMaxMs"]);
        Assert.Equal("from-the-model", env["CUSTOM"]);

        var otherEnv = await app.GetEnvironmentAsync("other");
        Assert.False(otherEnv.ContainsKey("ConnectionStrings__kafka"));
        Assert.NotEqual(env["OTEL_RESOURCE_ATTRIBUTES"], otherEnv["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Fact]
    public async Task Grpc_endpoint_speaks_cleartext_http2_and_http_endpoint_http1()
    {
        await using var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddEcho("echo").WithGrpcEndpoint();
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("echo", TestModel.Deadline());

        using var grpc = app.CreateHttpClient("echo", "grpc");
        grpc.DefaultRequestVersion = HttpVersion.Version20;
        grpc.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        Assert.Equal("HTTP/2", await grpc.GetStringAsync("/protocol", TestModel.Deadline()));

        using var http = app.CreateHttpClient("echo");
        Assert.Equal("HTTP/1.1", await http.GetStringAsync("/protocol", TestModel.Deadline()));
    }
}
