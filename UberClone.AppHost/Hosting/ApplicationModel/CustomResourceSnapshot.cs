using System.Collections.Immutable;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>What the AppHost knows about a resource at one moment (what a dashboard shows).</summary>
public sealed record CustomResourceSnapshot
{
    public required string ResourceType { get; init; }
    public string State { get; init; } = KnownResourceStates.NotStarted;
    /// <summary>Null until the resource runs; then Unhealthy until its health check first passes.</summary>
    public HealthStatus? HealthStatus { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>Why the resource failed, exited or is waiting, in words a person can act on.</summary>
    public string? Message { get; init; }
    public DateTime? StartTimeStamp { get; init; }
    public DateTime? StopTimeStamp { get; init; }
    public ImmutableArray<UrlSnapshot> Urls { get; init; } = [];
    public ImmutableArray<EnvironmentVariableSnapshot> EnvironmentVariables { get; init; } = [];
    /// <summary>One per running replica; each is also its process group id.</summary>
    public ImmutableArray<int> ProcessIds { get; init; } = [];
}

public sealed record UrlSnapshot(string Name, string Url, bool IsExternal);

public sealed record EnvironmentVariableSnapshot(string Name, string? Value);

public sealed record ResourceEvent(IResource Resource, string ResourceId, CustomResourceSnapshot Snapshot);
