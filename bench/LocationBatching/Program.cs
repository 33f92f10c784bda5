using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Identity;

// What the gRPC hop from the gateway to the drivers service costs per ping: one UpdateLocation call per ping (as the
// gateway did before 2026-12-02) against UpdateLocations batches (what LocationBatcher sends). Client and server run in
// this process over loopback HTTP/2, the server does nothing with a ping, so the numbers are the transport alone:
// protobuf, HTTP/2 framing, Kestrel, the gRPC pipeline, the client. CPU is this process's (client + server).
// Usage: UberClone.Bench.LocationBatching [pings per run, default 100000]
var pings = args.Length > 0 && int.TryParse(args[0], out var n) && n >= 1_000 ? n
    : args.Length > 0 ? Fail($"pings per run must be a whole number of at least 1000 (got '{args[0]}').") : 100_000;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<NothingServer>();
await app.StartAsync();
using var channel = GrpcChannel.ForAddress(app.Urls.First());
var client = new DriverService.DriverServiceClient(channel);
var asDriver = new Metadata { { Caller.UserIdHeader, "d1" }, { Caller.RoleHeader, Roles.Driver } };
var update = new LocationUpdate { Lat = 48.85, Lng = 2.35, AccuracyMeters = 5, RecordedAt = DateTimeOffset.UtcNow.ToString("O") };

Console.WriteLine($"{pings:N0} pings per run; two runs each, the second is reported (the first warms up)");
Console.WriteLine("| how | calls in flight | µs CPU per ping (client + server) | µs wall per ping |");
Console.WriteLine("|---|---:|---:|---:|");
await Measure("one call per ping", 16, async (count, _) =>
{
    for (var i = 0; i < count; i++) await client.UpdateLocationAsync(update, asDriver);
});
foreach (var size in new[] { 16, 64, 500 })
{
    var batch = new LocationBatch();
    batch.Items.AddRange(Enumerable.Range(0, size).Select(i => new DriverLocationUpdate { DriverId = $"d{i}", Update = update }));
    await Measure($"batches of {size}", 4, async (count, _) =>
    {
        for (var i = 0; i < count; i += size) await client.UpdateLocationsAsync(batch, Caller.GatewayMetadata());
    });
}
await app.StopAsync();

async Task Measure(string how, int concurrency, Func<int, int, Task> run)
{
    for (var round = 0; round < 2; round++)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => run(pings / concurrency, worker)));
        watch.Stop();
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        if (round == 1) Console.WriteLine($"| {how} | {concurrency} | {used.TotalMicroseconds / pings:F2} | {watch.Elapsed.TotalMicroseconds / pings:F2} |");
    }
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    Environment.Exit(2);
    return 0;
}

sealed class NothingServer : DriverService.DriverServiceBase
{
    public override Task<LocationAck> UpdateLocation(LocationUpdate request, ServerCallContext context) =>
        Task.FromResult(new LocationAck { Accepted = true });

    public override Task<LocationBatchAck> UpdateLocations(LocationBatch request, ServerCallContext context)
    {
        var ack = new LocationBatchAck();
        for (var i = 0; i < request.Items.Count; i++) ack.Results.Add(new LocationResult { Accepted = true });
        return Task.FromResult(ack);
    }
}
