namespace UberClone.AppHost.Orchestration;

internal static class DotnetHost
{
    /// <summary>The dotnet muxer that runs this AppHost (the CLI sets DOTNET_HOST_PATH under `dotnet run` and `dotnet test`).</summary>
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath
        : Environment.ProcessPath is { } processPath && System.IO.Path.GetFileName(processPath) == "dotnet" ? processPath
        : "dotnet";

    /// <summary>"net10.0": the folder under bin/{Configuration}/ that projects built alongside this AppHost use.</summary>
    public static string TargetFrameworkMoniker { get; } = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
}
