using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>Finds the project's built dll, building the project first when it is missing.</summary>
internal static class ProjectBuild
{
    /// <summary>One build at a time: parallel builds of shared dependencies fight over the same obj/ files.</summary>
    private static readonly SemaphoreSlim BuildGate = new(1, 1);

    /// <summary>bin/{AppHost's configuration}/net10.0/{Name}.dll, built first when missing (a fresh clone, a project added later).</summary>
    public static async Task<string> EnsureBuiltAsync(ProjectResource project, string configuration, ResourceLoggerService logs, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", configuration, DotnetHost.TargetFrameworkMoniker,
            Path.GetFileNameWithoutExtension(project.ProjectPath) + ".dll");
        if (File.Exists(dll))
        {
            return dll;
        }
        await BuildGate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(dll))
            {
                logs.Write(project.Name, $"{dll} is missing: running dotnet build {project.ProjectPath} -c {configuration}");
                await BuildAsync(project, configuration, logs, cancellationToken);
            }
            return File.Exists(dll) ? dll : throw new DistributedApplicationException($"dotnet build succeeded but {dll} does not exist.");
        }
        finally
        {
            BuildGate.Release();
        }
    }

    private static async Task BuildAsync(ProjectResource project, string configuration, ResourceLoggerService logs, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "build", project.ProjectPath, "-c", configuration, "--nologo", "-v", "quiet", "--disable-build-servers" })
        {
            start.ArgumentList.Add(argument);
        }
        using var build = Process.Start(start)!;
        build.OutputDataReceived += (_, e) => Forward(e.Data, false);
        build.ErrorDataReceived += (_, e) => Forward(e.Data, true);
        build.BeginOutputReadLine();
        build.BeginErrorReadLine();
        try
        {
            await build.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            build.Kill(entireProcessTree: true);
            throw;
        }
        if (build.ExitCode != 0)
        {
            throw new DistributedApplicationException($"dotnet build {project.ProjectPath} failed with exit code {build.ExitCode}.");
        }

        void Forward(string? line, bool isError)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                logs.Write(project.Name, "build: " + line, isError);
            }
        }
    }
}
