using System.Diagnostics;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// Guarantees no child outlives the AppHost, even after kill -9 (which runs no cleanup code): a tiny bash loop in
/// its own session polls the AppHost's pid and, once it is gone, terminates every process group listed in a pid
/// file the AppHost keeps current. It exits on its own when the AppHost deletes the file on a normal stop.
/// </summary>
internal sealed class OrphanWatchdog : IDisposable
{
    private const string Script = """
        exec </dev/null >/dev/null 2>&1
        apphost=$1; pidfile=$2
        alive() { [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
        while alive "$apphost"; do
          [ -f "$pidfile" ] || exit 0
          sleep 0.5
        done
        [ -f "$pidfile" ] || exit 0
        groups=$(cat "$pidfile")
        for g in $groups; do kill -TERM -- "-$g"; done
        for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
          left=; for g in $groups; do kill -0 -- "-$g" && left=1; done
          [ -z "$left" ] && break
          sleep 0.25
        done
        for g in $groups; do kill -KILL -- "-$g"; done
        rm -rf "$(dirname "$pidfile")"
        """;

    private readonly Lock _gate = new();
    private readonly HashSet<int> _groups = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"uberclone-apphost-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private string PidFile => Path.Combine(_directory, "children.pids");
    private bool _started;

    public void Start()
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }
            Directory.CreateDirectory(_directory);
            WritePidFile();
            var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in new[] { "bash", "-c", Script, "uberclone-watchdog", Environment.ProcessId.ToString(), PidFile })
            {
                start.ArgumentList.Add(argument);
            }
            using var watchdog = Process.Start(start);
            _started = true;
        }
    }

    public void Track(int processGroupId) => Update(() => _groups.Add(processGroupId));

    public void Untrack(int processGroupId) => Update(() => _groups.Remove(processGroupId));

    /// <summary>Deleting the pid file tells the watchdog that the AppHost stopped cleanly.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
            _started = false;
        }
    }

    private void Update(Func<bool> change)
    {
        lock (_gate)
        {
            if (change() && _started)
            {
                WritePidFile();
            }
        }
    }

    /// <summary>Written to a temporary file and renamed, so the watchdog never reads half a list.</summary>
    private void WritePidFile()
    {
        var temporary = PidFile + ".tmp";
        File.WriteAllLines(temporary, _groups.Select(g => g.ToString()));
        File.Move(temporary, PidFile, overwrite: true);
    }
}
