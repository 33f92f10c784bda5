namespace Aspire.Hosting;

/// <summary>Implemented by the generated Projects.* types (one per ProjectReference, see Hosting/Projects.targets).</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }
}
