using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <summary>A project from a generated Projects.* type (one per ProjectReference of the AppHost).</summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject(name, new TProject().ProjectPath);

    /// <summary>A project by path to its .csproj (or its folder), relative to the AppHost project's folder.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, string projectPath)
    {
        var path = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, projectPath));
        if (Directory.Exists(path))
        {
            path = Directory.EnumerateFiles(path, "*.csproj").SingleOrDefault()
                ?? throw new DistributedApplicationException($"Project '{name}': no single .csproj in {path}.");
        }
        if (!File.Exists(path))
        {
            throw new DistributedApplicationException($"Project '{name}': {path} does not exist.");
        }
        return builder.AddResource(new ProjectResource(name, path));
    }
}
