using System.Diagnostics;

namespace UberClone.AppHost.Tests;

/// <summary>
/// What only a real AppHost process can show (tests/TestAssets/TestAppHost: two EnvEcho resources): how its
/// children end when the AppHost is told to stop, and when it is killed outright.
/// </summary>
public sealed class AppHostProcessTests
{
    [Fact]
    public async Task SIGTERM_stops_every_child_and_the_AppHost_exits_cleanly()
    {
        using var appHost = await StartTestAppHostAsync();
        var children = ChildrenRunning("EnvEcho.dll", appHost.Process.Id);
        Assert.Equal(2, children.Count);

        Process.Start("kill", ["-TERM", appHost.Process.Id.ToString()])!.WaitForExit();
        await appHost.Process.WaitForExitAsync(TestModel.Deadline());

        Assert.Equal(0, appHost.Process.ExitCode);
        Assert.Contains(appHost.Output, line => line.Contains("stopping all resources"));
        Assert.All(children, pid => Assert.False(TestModel.IsAlive(pid), $"process {pid} outlived the AppHost"));
    }

    [Fact]
    public async Task Killing_the_AppHost_with_SIGKILL_leaves_no_child_process()
    {
        using var appHost = await StartTestAppHostAsync();
        var children = ChildrenRunning("EnvEcho.dll", appHost.Process.Id);
        Assert.Equal(2, children.Count);

        appHost.Process.Kill();
        await appHost.Process.WaitForExitAsync(TestModel.Deadline());

        Assert.True(await TestModel.AllGoneWithinAsync(children, TimeSpan.FromSeconds(5)),
            $"still running 5 s after kill -9 of the AppHost: {string.Join(", ", children.Where(TestModel.IsAlive))}");
    }

    private sealed class RunningAppHost(Process process) : IDisposable
    {
        public Process Process { get; } = process;
        public List<string> Output { get; } = [];

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }
            Process.Dispose();
        }
    }

    private static async Task<RunningAppHost> StartTestAppHostAsync()
    {
        var dll = Path.Combine(Path.GetDirectoryName(new Projects.TestAppHost().ProjectPath)!,
            "bin", TestBuild.Configuration, "net10.0", "TestAppHost.dll");
        var appHost = new RunningAppHost(Process.Start(new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true })!);
        var healthy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        appHost.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }
            lock (appHost.Output)
            {
                appHost.Output.Add(line);
            }
            if (line.Contains("all resources healthy"))
            {
                healthy.TrySetResult();
            }
        };
        appHost.Process.BeginOutputReadLine();
        appHost.Process.BeginErrorReadLine();
        try
        {
            await healthy.Task.WaitAsync(TestModel.Deadline());
            return appHost;
        }
        catch
        {
            appHost.Dispose();
            throw;
        }
    }

    private static List<int> ChildrenRunning(string commandLinePart, int parentPid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parentPid && CommandLine(pid).Contains(commandLinePart))];

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
