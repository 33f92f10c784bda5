// Configured through its environment, like any resource:
//   EnvEcho__ExitCode=N        exit at once with code N (a service that crashes on start)
//   EnvEcho__Unhealthy=true    /health answers 503 forever
//   EnvEcho__StartupDelayMs=N  wait before listening (a slow service)
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("EnvEcho");

if (settings.GetValue<int?>("ExitCode") is { } exitCode)
{
    Console.Error.WriteLine($"EnvEcho: exiting with code {exitCode} as configured");
    return exitCode;
}
await Task.Delay(settings.GetValue("StartupDelayMs", 0));

var app = builder.Build();
app.MapGet("/health", () => settings.GetValue<bool>("Unhealthy") ? Results.StatusCode(503) : Results.Text("Healthy"));
app.MapGet("/env", () => Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value));
app.MapGet("/protocol", (HttpContext context) => context.Request.Protocol);
await app.RunAsync();
return 0;
