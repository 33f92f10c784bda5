using System.Text.Json;
using System.Text.RegularExpressions;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace UberClone.Gateway.Problems;

/// <summary>
/// A JSON body the gateway's own endpoints cannot read says where and why, not only that it failed: a field of the
/// wrong type (<c>"wheelchairAccessible": "yes"</c>) is named in <c>errors</c>, as the endpoints' own checks name the
/// fields they refuse, and broken JSON says where it breaks. Other bad requests keep ASP.NET Core's detail.
/// </summary>
public static partial class BodyErrors
{
    /// <summary>Fills <paramref name="context"/>'s problem from the exception that made it, when that is a body that could not be read.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.Exception is not BadHttpRequestException { InnerException: JsonException json }) return;
        var field = FieldOf(json.Path);
        if (field is not null && json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            // The exception handler clears the request's endpoint before the problem is written; its feature keeps it.
            var endpoint = context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.HttpContext.GetEndpoint();
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var message = TypeAt(bodyType, field) is { } type ? $"{field} must be {Expected(type)}." : $"{field} is not of the expected type.";
            context.ProblemDetails.Detail = message;
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
            return;
        }
        context.ProblemDetails.Detail = field is null
            ? "The body is not valid JSON."
            : $"The body is not valid JSON (it breaks at {field}).";
    }

    /// <summary>"$.stops[0].lat" → "stops[0].lat"; the body itself ("$", or none) → null.</summary>
    public static string? FieldOf(string? path) =>
        path is null || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>
    /// The type the body's <paramref name="field"/> is read as ("stops[0].lat": the element's <c>Lat</c>), by the body
    /// type's properties (camelCase in JSON); null when it cannot be told (System.Text.Json names the enclosing type, not
    /// the field's, for records read through their constructors).
    /// </summary>
    public static Type? TypeAt(Type? bodyType, string field)
    {
        var type = bodyType;
        foreach (var segment in IndexOrName().Matches(field).Select(m => m.Value))
        {
            if (type is null) return null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            type = segment.StartsWith('[')
                ? ElementOf(type)
                : type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }
        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>How a rider or an engineer reads what the field should be.</summary>
    public static string Expected(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
        _ when type == typeof(string) => "a string",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time (ISO 8601, e.g. 2026-12-24T08:15:00Z)",
        _ when type == typeof(DateOnly) => "a date (e.g. 2026-12-24)",
        _ when ElementOf(type) is not null => "a list",
        _ => "an object",
    };

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0]
            : null;

    [GeneratedRegex(@"\[\d+\]|[^.\[\]]+")]
    private static partial Regex IndexOrName();
}
