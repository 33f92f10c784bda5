using System.Diagnostics;
using System.Text;

namespace UberClone.Browser.Tests;

/// <summary>
/// `npm run build` in the web app's folder (`npm ci` first when node_modules is missing), as the web app's Dockerfile
/// does: the production build the AppHost then serves with `npm run start`. Fails with the build's output.
/// </summary>
internal static class WebBuild
{
    public static async Task RunAsync(string webDirectory, CancellationToken ct)
    {
        if (!Directory.Exists(Path.Combine(webDirectory, "node_modules")))
        {
            await NpmAsync(webDirectory, "ci --no-audit --no-fund", ct);
        }
        var started = Stopwatch.StartNew();
        await NpmAsync(webDirectory, "run build", ct);
        Console.WriteLine($"Web app built (npm run build) in {started.Elapsed.TotalSeconds:0} s");
    }

    private static async Task NpmAsync(string directory, string arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo("npm", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NEXT_TELEMETRY_DISABLED"] = "1";
        start.Environment["NODE_ENV"] = "production";
        using var npm = Process.Start(start) ?? throw new InvalidOperationException($"npm {arguments} did not start.");
        var output = new StringBuilder();
        var lines = new object();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (lines) output.AppendLine(line);
        }
        npm.OutputDataReceived += (_, e) => Keep(e.Data);
        npm.ErrorDataReceived += (_, e) => Keep(e.Data);
        npm.BeginOutputReadLine();
        npm.BeginErrorReadLine();
        try
        {
            await npm.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm {arguments} in {directory} did not finish in time:\n{output}");
        }
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm {arguments} in {directory} failed (exit code {npm.ExitCode}):\n{output}");
        }
    }
}
