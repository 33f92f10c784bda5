using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace UberClone.AppHost.Tests;

/// <summary>
/// A Node app run with its `start` script serves its production build: the AppHost runs `npm run build` first (with
/// NODE_ENV=production, as the app then runs), and a build that fails keeps the app from starting, saying so.
/// </summary>
public sealed class NpmAppTests : IDisposable
{
    private readonly string _app = Directory.CreateTempSubdirectory("uberclone-npm-app-").FullName;

    public NpmAppTests()
    {
        File.WriteAllText(Path.Combine(_app, "package.json"),
            """{ "name": "npm-app", "version": "1.0.0", "private": true, "scripts": { "build": "node build.js", "start": "node server.js", "dev": "node server.js" } }""");
        File.WriteAllText(Path.Combine(_app, "server.js"), """
            const fs = require("fs");
            require("http").createServer((req, res) => {
              const built = fs.existsSync("built.txt") ? fs.readFileSync("built.txt", "utf8") : "not built";
              res.end(`${built}; running as ${process.env.NODE_ENV}`);
            }).listen(Number(process.env.PORT), "127.0.0.1");
            """);
    }

    public void Dispose() => Directory.Delete(_app, recursive: true);

    /// <summary>The app run with <paramref name="script"/> (web apps are only run when a test asks), once healthy: what GET / answers.</summary>
    private async Task<string> ServedAsync(string script)
    {
        await using var builder = DistributedApplicationTestingBuilder.Create("--Testing:WebApps=true");
        builder.AddNpmApp("web", _app, script).WithHttpEndpoint(name: "http");
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", TestModel.Deadline());
        return await app.CreateHttpClient("web").GetStringAsync("/", TestModel.Deadline());
    }

    private void Build(string script) => File.WriteAllText(Path.Combine(_app, "build.js"), script);

    [Fact]
    public async Task The_start_script_serves_a_build_made_just_before_it()
    {
        Build("""require("fs").writeFileSync("built.txt", "built as " + process.env.NODE_ENV);""");

        Assert.Equal("built as production; running as production", await ServedAsync("start"));
    }

    [Fact]
    public async Task The_dev_script_builds_nothing()
    {
        Build("""require("fs").writeFileSync("built.txt", "built");""");

        Assert.Equal("not built; running as development", await ServedAsync("dev"));
    }

    [Fact]
    public async Task A_build_that_fails_keeps_the_app_from_starting_and_says_why()
    {
        Build("""console.error("Type error: x is not a number"); process.exit(1);""");
        await using var builder = DistributedApplicationTestingBuilder.Create("--Testing:WebApps=true");
        builder.AddNpmApp("web", _app, "start").WithHttpEndpoint(name: "http");
        await using var app = await builder.BuildAsync(TestModel.Deadline());
        await app.StartAsync(TestModel.Deadline());

        await Assert.ThrowsAsync<DistributedApplicationException>(() => app.ResourceNotifications.WaitForResourceHealthyAsync("web", TestModel.Deadline()));

        Assert.True(app.ResourceNotifications.TryGetCurrentState("web", out var web));
        Assert.Equal(KnownResourceStates.FailedToStart, web!.Snapshot.State);
        Assert.Contains("npm run build failed with exit code 1", web.Snapshot.Message);
        Assert.False(File.Exists(Path.Combine(_app, "built.txt")));
    }
}
