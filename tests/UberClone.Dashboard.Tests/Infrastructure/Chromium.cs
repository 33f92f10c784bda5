using System.Diagnostics;

namespace UberClone.Dashboard.Tests.Infrastructure;

/// <summary>Debian's chromium in headless mode: one screenshot per call, in a throwaway profile.</summary>
public static class Chromium
{
    public static string? Executable { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public static async Task ScreenshotAsync(Uri url, string pngPath, CancellationToken cancellationToken)
    {
        using var profile = new TemporaryDirectory();
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1440,1000",
                     // Lets the pages' scripts (the console's live tail) run before the picture is taken.
                     "--virtual-time-budget=3000",
                     $"--user-data-dir={profile.Path}", $"--screenshot={pngPath}", url.ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium took more than 60 s for {url}");
        }
        if (!File.Exists(pngPath))
        {
            throw new InvalidOperationException($"chromium exited with {process.ExitCode} without a screenshot: {await output}");
        }
    }
}
