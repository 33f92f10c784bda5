using Aspire.Hosting.ApplicationModel;

namespace UberClone.AppHost.Orchestration;

/// <summary>What to run for a resource process, prepared (built, installed) just before its first start.</summary>
internal abstract class ProcessLaunch(string workingDirectory)
{
    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>The command line (program first).</summary>
    public abstract Task<IReadOnlyList<string>> PrepareAsync(ResourceLoggerService logs, CancellationToken cancellationToken);
}

/// <summary>`dotnet {dll}` of a project, built first when the dll is missing.</summary>
internal sealed class DotnetProjectLaunch(ProjectResource project, string configuration)
    : ProcessLaunch(Path.GetDirectoryName(project.ProjectPath)!)
{
    public override async Task<IReadOnlyList<string>> PrepareAsync(ResourceLoggerService logs, CancellationToken cancellationToken) =>
        [DotnetHost.Path, await ProjectBuild.EnsureBuiltAsync(project, configuration, logs, cancellationToken)];
}

/// <summary>
/// `npm run {script}` of a Node app, after `npm ci` when its dependencies are missing or stale; the `start` script
/// serves the production build, so `npm run build` runs first.
/// </summary>
internal sealed class NpmScriptLaunch(NodeAppResource app) : ProcessLaunch(app.WorkingDirectory)
{
    public override async Task<IReadOnlyList<string>> PrepareAsync(ResourceLoggerService logs, CancellationToken cancellationToken)
    {
        await Npm.EnsureInstalledAsync(app, logs, cancellationToken);
        if (app.Script == NodeAppResource.ProductionScript) await Npm.BuildAsync(app, logs, cancellationToken);
        return ["npm", "run", app.Script];
    }
}
