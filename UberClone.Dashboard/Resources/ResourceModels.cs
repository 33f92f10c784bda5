using System.Text.RegularExpressions;

namespace UberClone.Dashboard.Resources;

/// <summary>What the Resources page shows of one resource; the AppHost fills it from its app model and notifications.</summary>
public sealed record ResourceView(
    string Name,
    string Type,
    string State,
    string? Health,
    IReadOnlyList<int> ProcessIds,
    DateTime? StartTime,
    DateTime? StopTime,
    int Restarts,
    int? ExitCode,
    string? Message,
    IReadOnlyList<ResourceUrl> Urls,
    IReadOnlyList<ResourceEnvironmentVariable> Environment,
    IReadOnlyList<ResourceReference> References);

public sealed record ResourceUrl(string Name, string Url, bool IsExternal);

public sealed record ResourceEnvironmentVariable(string Name, string Value, bool IsMasked);

/// <summary>Type: "Reference" (uses it) or "WaitFor" (starts after it is healthy).</summary>
public sealed record ResourceReference(string Resource, string Type);

/// <summary>The running application behind the dashboard. Absent when the dashboard opens a telemetry file on its own.</summary>
public interface IResourceSource
{
    IReadOnlyList<ResourceView> GetResources();

    /// <summary>Aspire's command names: resource-start, resource-stop, resource-restart.</summary>
    Task<(bool Success, string? Error)> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken);
}

public static partial class SecretMasking
{
    public const string Mask = "••••••••";

    /// <summary>Values of variables that name a secret are hidden; passwords inside connection strings and URLs too.</summary>
    public static ResourceEnvironmentVariable Apply(string name, string? value)
    {
        value ??= "";
        if (SecretName().IsMatch(name))
        {
            return new ResourceEnvironmentVariable(name, Mask, true);
        }
        var masked = UrlPassword().Replace(value, $"://$1:{Mask}@");
        masked = KeyValuePassword().Replace(masked, $"$1={Mask}");
        return new ResourceEnvironmentVariable(name, masked, masked != value);
    }

    [GeneratedRegex("(KEY|SECRET|PASSWORD|PASSWD|PWD|TOKEN|CREDENTIAL|OTLP_HEADERS)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("://([^:/@\\s]+):[^@/\\s]+@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex("(password|pwd)=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();
}
