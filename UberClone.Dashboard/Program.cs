using UberClone.Dashboard;

// The dashboard on its own, against a telemetry file the AppHost wrote (Dashboard:TelemetryFile):
//   dotnet run --project UberClone.Dashboard -- --file .data/telemetry.db [--port 18888] [--otlp]
// With --otlp it also receives OTLP (gRPC 18889, HTTP 18890) and prints the API key to give exporters.
var file = Argument("--file");
var options = new DashboardOptions
{
    UiPort = int.TryParse(Argument("--port"), out var port) ? port : 18888,
    OtlpGrpcPort = int.TryParse(Argument("--otlp-grpc-port"), out var grpc) ? grpc : 18889,
    OtlpHttpPort = int.TryParse(Argument("--otlp-http-port"), out var http) ? http : 18890,
    ReceiveOtlp = args.Contains("--otlp"),
    TelemetryFile = file,
};
if (file is null && !options.ReceiveOtlp)
{
    Console.Error.WriteLine("usage: UberClone.Dashboard --file <telemetry.db> [--port 18888] [--otlp [--otlp-grpc-port 18889] [--otlp-http-port 18890]]");
    return 2;
}
if (file is not null && !File.Exists(file))
{
    Console.Error.WriteLine($"warning: {file} does not exist yet; it will be created.");
}

await using var dashboard = new DashboardHost(options);
await dashboard.StartAsync();
Console.WriteLine($"Dashboard: {dashboard.LoginUrl}");
if (options.ReceiveOtlp)
{
    Console.WriteLine($"OTLP: gRPC {dashboard.OtlpGrpcUrl}, HTTP {dashboard.OtlpHttpUrl}; header x-otlp-api-key={options.OtlpApiKey}");
}
await dashboard.WaitForShutdownAsync();
return 0;

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
