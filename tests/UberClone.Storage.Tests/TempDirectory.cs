namespace UberClone.Storage.Tests;

/// <summary>A directory per test class, deleted with everything in it when the class is done.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("uberclone-storage-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
