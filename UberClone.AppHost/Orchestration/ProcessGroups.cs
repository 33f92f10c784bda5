using System.Runtime.InteropServices;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// Signals whole process groups: every child runs in its own session (setsid), so its group id is its pid and
/// whatever it spawns goes down with it.
/// </summary>
internal static partial class ProcessGroups
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    /// <summary>SIGTERM, up to <paramref name="grace"/> for a clean exit, then SIGKILL for anything left in the group.</summary>
    public static async Task TerminateAsync(int processGroupId, Task leaderExited, TimeSpan grace)
    {
        Signal(processGroupId, SigTerm);
        await Task.WhenAny(leaderExited, Task.Delay(grace));
        Signal(processGroupId, SigKill);
        await leaderExited.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Errors (typically ESRCH: the group is already gone) are expected and ignored.</summary>
    private static void Signal(int processGroupId, int signal) => _ = kill(-processGroupId, signal);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
