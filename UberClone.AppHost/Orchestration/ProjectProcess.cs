using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>One replica of a resource process (`dotnet {dll}`, `npm run dev`) in its own session, its output forwarded line by line to the resource's log.</summary>
internal sealed class ProjectProcess
{
    private ProjectProcess(int id, Task<int> exited)
    {
        Id = id;
        Exited = exited;
    }

    /// <summary>Process id, and process group id (setsid makes the child a session leader).</summary>
    public int Id { get; }

    /// <summary>Completes with the exit code once the process has exited and its output is drained.</summary>
    public Task<int> Exited { get; }

    public static ProjectProcess Start(string resourceName, string linePrefix, IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment, ResourceLoggerService logs)
    {
        // setsid: the child gets its own process group, so Ctrl+C in the terminal reaches only the AppHost,
        // which then stops each child in order, and a group signal also reaches anything the child spawns.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }
        foreach (var name in ProjectEnvironment.NotInherited)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {string.Join(' ', command)}.");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProjectProcess(process.Id, WaitForExitAsync(process));

        void Forward(string? line, bool isError)
        {
            if (line is not null)
            {
                logs.Write(resourceName, linePrefix + line, isError);
            }
        }
    }

    public Task StopAsync(TimeSpan grace) => ProcessGroups.TerminateAsync(Id, Exited, grace);

    private static async Task<int> WaitForExitAsync(Process process)
    {
        using (process)
        {
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }
}
