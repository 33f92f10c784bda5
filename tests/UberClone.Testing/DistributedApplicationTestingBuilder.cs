using System.Reflection;

namespace Aspire.Hosting.Testing;

public static class DistributedApplicationTestingBuilder
{
    /// <summary>
    /// The AppHost's own model (its Program.cs), run with test settings. <typeparamref name="TEntryPoint"/> is the
    /// generated Projects.* type of the AppHost project, or any type from the AppHost's assembly.
    /// </summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(CancellationToken cancellationToken = default)
        where TEntryPoint : class =>
        CreateAsync<TEntryPoint>([], null, cancellationToken);

    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args, CancellationToken cancellationToken = default)
        where TEntryPoint : class =>
        CreateAsync<TEntryPoint>(args, null, cancellationToken);

    /// <param name="args">The AppHost's command line, e.g. <c>["--Kafka:Port=19092"]</c>.</param>
    /// <param name="configureBuilder">Adjusts options before Program.cs runs (e.g. the health timeout).</param>
    public static Task<IDistributedApplicationTestingBuilder> CreateAsync<TEntryPoint>(string[] args,
        Action<DistributedApplicationOptions>? configureBuilder, CancellationToken cancellationToken = default)
        where TEntryPoint : class =>
        new DistributedApplicationFactory(FindAppHostAssembly(typeof(TEntryPoint)), args, configureBuilder).CreateBuilderAsync(cancellationToken);

    /// <summary>A model declared by the test itself, with the same test settings.</summary>
    public static IDistributedApplicationTestingBuilder Create(params string[] args)
    {
        var settings = new TestSettings();
        var options = new DistributedApplicationOptions { Args = args };
        settings.ApplyTo(options);
        var builder = new DistributedApplicationBuilder(options);
        settings.ApplyTo(builder);
        return new TestingBuilder(builder, _ => Task.FromResult(builder.Build()));
    }

    /// <summary>A Projects.* type names the AppHost by its project file (its assembly name); any other type is in it.</summary>
    private static Assembly FindAppHostAssembly(Type entryPoint) =>
        typeof(IProjectMetadata).IsAssignableFrom(entryPoint) && Activator.CreateInstance(entryPoint) is IProjectMetadata metadata
            ? Assembly.Load(new AssemblyName(Path.GetFileNameWithoutExtension(metadata.ProjectPath)))
            : entryPoint.Assembly;
}
