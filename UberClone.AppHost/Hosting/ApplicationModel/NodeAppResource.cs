namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Node.js app run with `npm run {Script}` in its folder (Aspire's NodeAppResource from AddNpmApp).</summary>
public sealed class NodeAppResource(string name, string workingDirectory, string script)
    : Resource(name), IResourceWithEnvironment, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    /// <summary>Absolute path of the folder holding package.json.</summary>
    public string WorkingDirectory { get; } = workingDirectory;

    public string Script { get; } = script;

    /// <summary>The script that serves the app's production build (`npm run build` first; NODE_ENV=production).</summary>
    public const string ProductionScript = "start";
}
