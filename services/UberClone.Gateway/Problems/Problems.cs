using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace UberClone.Gateway.Problems;

/// <summary>
/// Every error the gateway returns is application/problem+json with a stable type URI per kind of failure,
/// whether the gateway produced it or a service behind it did (gRPC status → problem).
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    private const string TypeBase = "https://uberclone.dev/problems/";

    /// <summary>A specific kind of failure, e.g. "invalid-credentials", "email-taken".</summary>
    public static string Type(string kind) => TypeBase + kind;

    /// <summary>True for the types ASP.NET Core fills in by default (RFC links), which this gateway replaces with its own.</summary>
    public static bool IsDefaultType(string? type) => type is null || !type.StartsWith(TypeBase, StringComparison.Ordinal);

    public static string TypeFor(int status) => TypeBase + status switch
    {
        400 => "invalid-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        502 or 503 => "service-unavailable",
        504 => "service-timeout",
        _ when status >= 500 => "internal-error",
        _ => "request-failed",
    };

    public static ProblemDetails Create(int status, string? detail, string? title = null, string? type = null) => new()
    {
        Status = status,
        Type = type ?? TypeFor(status),
        Title = title ?? ReasonPhrase(status),
        Detail = detail,
    };

    public static async Task WriteAsync(HttpResponse response, ProblemDetails problem)
    {
        response.StatusCode = problem.Status ?? 500;
        response.ContentLength = null;
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, problem, ProblemJson.Options);
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Request failed";
}

internal static class ProblemJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
