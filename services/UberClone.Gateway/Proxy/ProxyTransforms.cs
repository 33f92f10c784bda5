using System.Net.Http.Headers;
using System.Text.Json;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// Identity goes downstream only as the gateway's word: client-sent identity headers are dropped and the
/// validated token's user is added (and, for a driver's quests, what they may drive: <see cref="DriverClasses"/>).
/// Errors coming back (gRPC status JSON from transcoding, or anything else) are rewritten as problem+json; successful
/// answers pass as the service wrote them (the desk names who acted from <c>GET /api/ops/operators</c>, ADR 0054).
/// </summary>
public static class ProxyTransforms
{
    public static void Apply(TransformBuilderContext context)
    {
        context.AddRequestHeaderRemove(Caller.UserIdHeader);
        context.AddRequestHeaderRemove(Caller.RoleHeader);
        context.AddRequestHeaderRemove(Caller.DriverClassesHeader);
        context.AddRequestTransform(transform =>
        {
            if (CurrentUser.From(transform.HttpContext.User) is { } caller)
            {
                transform.ProxyRequest.Headers.Add(Caller.UserIdHeader, caller.UserId);
                transform.ProxyRequest.Headers.Add(Caller.RoleHeader, caller.Role);
            }
            return ValueTask.CompletedTask;
        });
        context.AddRequestTransform(DriverClasses.AddAsync);
        context.AddResponseTransform(RewriteErrorsAsProblemsAsync);
    }

    private static async ValueTask RewriteErrorsAsProblemsAsync(ResponseTransformContext transform)
    {
        var response = transform.ProxyResponse;
        if (response is null || (int)response.StatusCode < 400) return;
        if (response.Content.Headers.ContentType?.MediaType == Problems.Problems.ContentType)
        {
            await StampDefaultTypeAsync(transform, response);
            return;
        }
        // A page for a person (the sandbox's card form, re-shown with what is wrong) stays a page.
        if (response.Content.Headers.ContentType?.MediaType == "text/html") return;

        var status = (int)response.StatusCode;
        var (detail, info) = await ReadDetailAsync(response.Content, transform.HttpContext.RequestAborted);
        transform.SuppressResponseBody = true;
        transform.HttpContext.Response.Headers.Remove("grpc-status");
        transform.HttpContext.Response.Headers.Remove("grpc-message");
        var problem = Problems.Problems.Create(status, detail, type: info is null ? null : Problems.Problems.Type(info.Value.Kind));
        if (info is { Fields: var fields })
        {
            foreach (var (key, value) in fields) problem.Extensions[key] = value;
            // A service that refuses for a while (too many wrong PINs, ADR 0044) says how long: the client's Retry-After.
            if (status == StatusCodes.Status429TooManyRequests && fields.TryGetValue("retryAfterSeconds", out var seconds) && int.TryParse(seconds, out var wait) && wait > 0)
            {
                transform.HttpContext.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        await Problems.Problems.WriteAsync(transform.HttpContext.Response, problem);
    }

    /// <summary>
    /// A service's own problem+json (a minimal API's <c>TypedResults.Problem</c>) keeps its detail and fields, but a type
    /// ASP.NET Core filled in (an RFC link) becomes the gateway's stable one for its status, as for every other error.
    /// </summary>
    private static async Task StampDefaultTypeAsync(ResponseTransformContext transform, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(transform.HttpContext.RequestAborted);
        System.Text.Json.Nodes.JsonObject? problem;
        try
        {
            problem = System.Text.Json.Nodes.JsonNode.Parse(body) as System.Text.Json.Nodes.JsonObject;
        }
        catch (JsonException)
        {
            problem = null;
        }
        transform.SuppressResponseBody = true;
        transform.HttpContext.Response.ContentLength = null;
        transform.HttpContext.Response.ContentType = Problems.Problems.ContentType;
        if (problem is not null && Problems.Problems.IsDefaultType(problem["type"]?.GetValueKind() == JsonValueKind.String ? problem["type"]!.GetValue<string>() : null))
        {
            problem["type"] = Problems.Problems.TypeFor((int)response.StatusCode);
            body = problem.ToJsonString();
        }
        await transform.HttpContext.Response.WriteAsync(body, transform.HttpContext.RequestAborted);
    }

    /// <summary>
    /// JSON transcoding errors are google.rpc.Status: {"code":3,"message":"…","details":[]}. A service that says more
    /// than the message puts a google.rpc.ErrorInfo in the details: its reason (CARD_AUTHENTICATION_REQUIRED) becomes the
    /// problem's type (card-authentication-required) and its metadata the problem's fields (ADR 0028).
    /// </summary>
    private static async Task<(string? Detail, (string Kind, IReadOnlyDictionary<string, string> Fields)? Info)> ReadDetailAsync(HttpContent content, CancellationToken ct)
    {
        var body = await content.ReadAsStringAsync(ct);
        if (string.IsNullOrWhiteSpace(body)) return (null, null);
        if (content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/json" })
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message))
                {
                    return (message.GetString(), ErrorInfoOf(json.RootElement));
                }
            }
            catch (JsonException)
            {
                // Not the JSON we know: fall through to the raw text.
            }
        }
        return (body.Length > 500 ? body[..500] : body, null);
    }

    private static readonly HashSet<string> ProblemMembers = new(StringComparer.OrdinalIgnoreCase) { "type", "title", "status", "detail", "instance", "errors", "traceId" };

    private static (string Kind, IReadOnlyDictionary<string, string> Fields)? ErrorInfoOf(JsonElement status)
    {
        if (!status.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array) return null;
        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind != JsonValueKind.Object || !detail.TryGetProperty("@type", out var type)
                || type.GetString()?.EndsWith("/google.rpc.ErrorInfo", StringComparison.Ordinal) != true
                || !detail.TryGetProperty("reason", out var reason) || reason.GetString() is not { Length: > 0 and <= 64 } kind
                || !kind.All(c => char.IsAsciiLetterUpper(c) || c == '_'))
            {
                continue;
            }
            var fields = new Dictionary<string, string>();
            if (detail.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in metadata.EnumerateObject())
                {
                    // A problem's own members (type, status, detail, …) are the gateway's to write, never a service's field.
                    if (field.Value.ValueKind == JsonValueKind.String && !ProblemMembers.Contains(field.Name)) fields[field.Name] = field.Value.GetString()!;
                }
            }
            return (kind.ToLowerInvariant().Replace('_', '-'), fields);
        }
        return null;
    }
}
