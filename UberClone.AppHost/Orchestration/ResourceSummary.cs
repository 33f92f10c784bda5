using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.MongoDB;

namespace UberClone.AppHost.Orchestration;

/// <summary>How a resource is reached, for the line printed when it becomes healthy.</summary>
internal static partial class ResourceSummary
{
    public static ImmutableArray<UrlSnapshot> Urls(IResource resource) =>
        [.. resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.AllocatedEndpoint is not null)
            .Select(e => new UrlSnapshot(e.Name, e.AllocatedEndpoint!.UriString, e.IsExternal))];

    public static async Task<string> DescribeAsync(IResource resource)
    {
        switch (resource)
        {
            case MongoDBServerResource { IsEmbedded: true } mongo:
                return $"embedded: no server, services keep SQLite files in {mongo.DataDirectory ?? "their default folder"}";
            case MongoDBDatabaseResource { Parent.IsEmbedded: true }:
                return "embedded: SQLite";
            case IResourceWithConnectionString withConnectionString:
                var connectionString = await withConnectionString.GetConnectionStringAsync();
                return connectionString is null ? "" : $"ConnectionStrings__{resource.Name}={Password().Replace(connectionString, "://$1:***@")}";
            default:
                return string.Join(", ", Urls(resource).Select(u => $"{u.Url} ({u.Name}{(u.IsExternal ? ", external" : "")})"));
        }
    }

    /// <summary>Last console lines without colour codes, for error messages.</summary>
    public static string Tail(ResourceLoggerService logs, string resourceName, int count = 10)
    {
        var lines = logs.GetRecentLines(resourceName, count);
        return lines.Count == 0
            ? "(no output)"
            : string.Join(System.Environment.NewLine, lines.Select(l => "  " + AnsiEscape().Replace(l.Content, "")));
    }

    [GeneratedRegex("://([^:/@]+):[^@/]+@")]
    private static partial Regex Password();

    [GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
