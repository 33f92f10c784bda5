using UberClone.Dashboard.Tests.Infrastructure;

namespace UberClone.Dashboard.Tests;

/// <summary>
/// Every page renders with data from a real run: its HTML holds the data, and Debian's chromium takes a screenshot
/// (saved under artifacts/dashboard-screenshots/ at the repository root) through the real login link.
/// </summary>
[Collection(DashboardStackCollection.Name)]
public sealed class PageScreenshotTests(DashboardStackFixture stack)
{
    [Theory]
    [InlineData("resources")]
    [InlineData("console")]
    [InlineData("structuredlogs")]
    [InlineData("traces")]
    [InlineData("trace")]
    [InlineData("metrics")]
    [InlineData("mail")]
    public async Task Page_renders_with_data_from_a_real_run(string page)
    {
        var ct = TestContext.Current.CancellationToken;
        var trip = await stack.TripAsync();
        using var api = stack.Api();
        var trace = await WholeStackTraceTests.FindTraceAsync(api, trip.TripId);
        await api.WaitForAsync<List<PointDto>>("/api/metrics/trips/uberclone.trips.time_to_match", p => p.Count > 1);
        var (path, expected) = page switch
        {
            "resources" => ("/resources", "data-resource=\"gateway\""),
            "console" => ("/console", "id=\"console\""),
            "structuredlogs" => ("/structuredlogs", "<td class=\"level-Information\">"),
            "traces" => ("/traces", $"/traces/{trace.Summary.TraceId}"),
            "trace" => ($"/traces/{trace.Summary.TraceId}", "<span class=\"kafka\">kafka producer</span>"),
            "metrics" => ("/metrics?resource=trips&instrument=uberclone.trips.time_to_match&minutes=15", "<path d=\"M"),
            // The trip's rider and driver signed up: the gateway mailed each a code, which the AppHost's mail resource caught.
            "mail" => ("/mail", "Confirm your UberClone email: "),
            _ => throw new ArgumentOutOfRangeException(nameof(page)),
        };

        var html = await api.Http.GetStringAsync(path, ct);
        Assert.Contains(expected, html);

        if (Chromium.Executable is null)
        {
            Assert.Skip("chromium is not installed (apt-get install -y chromium): the HTML was checked, no screenshot taken.");
        }
        var png = Path.Combine(ArtifactsDirectory(), $"{page}.png");
        File.Delete(png);
        var login = new Uri(stack.Dashboard.UiUrl, $"/login?t={stack.Dashboard.Options.BrowserToken}&returnUrl={Uri.EscapeDataString(path)}");
        await Chromium.ScreenshotAsync(login, png, ct);

        var size = new FileInfo(png).Length;
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {png} ({size / 1024} KiB)");
        // A sign-in page or an empty one compresses to a few KiB; a page with tables, bars or a chart does not.
        Assert.True(size > 20 * 1024, $"{png} is only {size} bytes: the page probably did not render its data.");
    }

    private static string ArtifactsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "UberClone.sln")))
        {
            directory = directory.Parent;
        }
        var path = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "artifacts", "dashboard-screenshots");
        Directory.CreateDirectory(path);
        return path;
    }
}
