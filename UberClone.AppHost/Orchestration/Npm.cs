using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>What a Node app needs before its script runs: its dependencies, and for `start` the production build it serves.</summary>
internal static class Npm
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Installs the app's dependencies when node_modules is missing or older than package-lock.json.</summary>
    public static async Task EnsureInstalledAsync(NodeAppResource app, ResourceLoggerService logs, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(app.WorkingDirectory, "package-lock.json");
        var installed = Path.Combine(app.WorkingDirectory, "node_modules", ".package-lock.json");
        if (File.Exists(installed) && (!File.Exists(lockFile) || File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile)))
        {
            return;
        }
        var arguments = File.Exists(lockFile) ? "ci" : "install";
        logs.Write(app.Name, $"node_modules is missing or stale: running npm {arguments} in {app.WorkingDirectory}");
        await RunAsync(app, [arguments, "--no-audit", "--no-fund"], new Dictionary<string, string>(), logs, cancellationToken);
    }

    /// <summary>
    /// `npm run build` (NODE_ENV=production), every time, as `dotnet run` builds a project: the `start` script serves the
    /// build, and one left from older sources would serve old pages. A build that fails stops the app from starting.
    /// </summary>
    public static async Task BuildAsync(NodeAppResource app, ResourceLoggerService logs, CancellationToken cancellationToken)
    {
        logs.Write(app.Name, $"running npm run build in {app.WorkingDirectory} (the production build `npm run {app.Script}` serves)");
        var started = Stopwatch.StartNew();
        await RunAsync(app, ["run", "build"], new Dictionary<string, string> { ["NODE_ENV"] = "production", ["NEXT_TELEMETRY_DISABLED"] = "1" }, logs,
            cancellationToken);
        logs.Write(app.Name, $"built in {started.Elapsed.TotalSeconds:0} s");
    }

    private static async Task RunAsync(NodeAppResource app, IReadOnlyList<string> arguments, Dictionary<string, string> environment, ResourceLoggerService logs,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", arguments)
        {
            WorkingDirectory = app.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var command = $"npm {string.Join(' ', arguments.Take(2))}";
        using var process = Process.Start(start) ?? throw new DistributedApplicationException("Could not start npm: is Node.js installed?");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) logs.Write(app.Name, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) logs.Write(app.Name, e.Data, isError: true); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new DistributedApplicationException($"{command} did not finish within {Timeout.TotalMinutes} minutes.");
        }
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"{command} failed with exit code {process.ExitCode}; see the log above.");
        }
    }
}
