using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace UberClone.AppHost.Publishing;

/// <summary>
/// `dotnet run --project UberClone.AppHost -- --publisher manifest --output-path aspire-manifest`: instead of running,
/// write aspire-manifest.json and, beside it, the Kubernetes output (kustomize) made from it.
/// </summary>
internal sealed class Publisher(DistributedApplicationModel model, IConfiguration configuration)
{
    public const string ManifestPublisherName = "manifest";

    public static bool IsRequested(IConfiguration configuration) => configuration["publisher"] is { Length: > 0 };

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var publisher = configuration["publisher"];
        if (publisher != ManifestPublisherName)
        {
            throw new DistributedApplicationException($"Unknown publisher '{publisher}'. Known: {ManifestPublisherName}.");
        }
        var outputPath = configuration["output-path"] ?? "aspire-manifest";
        var manifestPath = ManifestPublisher.ManifestPath(outputPath);
        var manifest = await new ManifestPublisher(model).PublishAsync(manifestPath, cancellationToken);
        var kubernetesDirectory = Path.Combine(Path.GetDirectoryName(manifestPath)!, "kubernetes");
        await new KustomizePublisher(manifest, name => configuration[$"Parameters:{name}"]).PublishAsync(kubernetesDirectory, cancellationToken);
        Console.WriteLine($"Published {manifestPath}");
        Console.WriteLine($"Published {kubernetesDirectory} (kubectl apply -k {kubernetesDirectory})");
    }
}
