using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>Installs a Node app's dependencies when node_modules is missing or older than package-lock.json.</summary>
internal static class NpmInstall
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

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
        var start = new ProcessStartInfo("npm", [arguments, "--no-audit", "--no-fund"])
        {
            WorkingDirectory = app.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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
            throw new DistributedApplicationException($"npm {arguments} did not finish within {Timeout.TotalMinutes} minutes.");
        }
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException($"npm {arguments} failed with exit code {process.ExitCode}; see the log above.");
        }
    }
}
