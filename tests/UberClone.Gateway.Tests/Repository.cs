namespace UberClone.Gateway.Tests;

/// <summary>The checkout the tests run from: tests that read the repository's own files (the protos, the web app) find it here.</summary>
internal static class Repository
{
    /// <summary>The folder holding UberClone.sln, above the test binaries.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "UberClone.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return directory.FullName;
    }
}
