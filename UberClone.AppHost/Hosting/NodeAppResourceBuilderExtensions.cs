using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class NodeAppResourceBuilderExtensions
{
    /// <summary>
    /// `npm run {scriptName}` in <paramref name="workingDirectory"/> (relative to the AppHost project's folder). Give it an
    /// "http" endpoint: PORT is set to it, and GET / on it must answer 200 for the app to be healthy. Dependencies are
    /// installed first (npm ci) when node_modules is missing or stale.
    /// </summary>
    public static IResourceBuilder<NodeAppResource> AddNpmApp(this IDistributedApplicationBuilder builder, string name, string workingDirectory, string scriptName = "start")
    {
        var path = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, workingDirectory));
        if (!File.Exists(Path.Combine(path, "package.json")))
        {
            throw new DistributedApplicationException($"Node app '{name}': {path} has no package.json.");
        }
        return builder.AddResource(new NodeAppResource(name, path, scriptName)).WithHttpHealthCheck("/", 200, "http");
    }
}
