using System.Text.Json;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// Routes whose body is one setting, true or false (<c>PUT /api/drivers/me/pets-welcome {welcome}</c>, ADR 0041;
/// <c>PUT /api/drivers/me/cash {accept}</c>, ADR 0042), are
/// checked here before they are forwarded: JSON transcoding refuses a body it cannot read as the request (none, not an
/// object, <c>"welcome": "yes"</c>) with "Request JSON payload is not correctly formatted.", which names no field, and
/// reads a missing one as false. Anything but an object whose field is true or false → 400 problem naming the field.
/// The service checks the field is there too (a call that does not come through here).
/// </summary>
public static class BooleanBodies
{
    private const int MaxBodyBytes = 1024;

    /// <summary>Each route (method, path) and the field its body must set to true or false.</summary>
    private static readonly (string Method, string Path, string Field)[] Routes =
    [
        (HttpMethods.Put, "/api/drivers/me/pets-welcome", "welcome"),
        (HttpMethods.Put, "/api/drivers/me/cash", "accept"),
    ];

    public static IReverseProxyApplicationBuilder UseBooleanBodies(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            if (FieldOf(context.Request) is { } field && !await SetsAsync(context.Request, field, context.RequestAborted))
            {
                await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(StatusCodes.Status400BadRequest,
                    $"{field} (true or false) is required: send {{\"{field}\": true}} or {{\"{field}\": false}}."));
                return;
            }
            await next();
        });
        return proxy;
    }

    private static string? FieldOf(HttpRequest request)
    {
        var path = request.Path.Value?.TrimEnd('/');
        foreach (var (method, routePath, field) in Routes)
        {
            if (HttpMethods.Equals(request.Method, method) && string.Equals(path, routePath, StringComparison.OrdinalIgnoreCase)) return field;
        }
        return null;
    }

    /// <summary>
    /// Whether the body is a JSON object whose <paramref name="field"/> is true or false (named as transcoding reads it:
    /// exactly, once), the body left to be forwarded. A body too long for one setting does not set it.
    /// </summary>
    private static async Task<bool> SetsAsync(HttpRequest request, string field, CancellationToken ct)
    {
        if (request.ContentLength is 0 or > MaxBodyBytes) return false;
        request.EnableBuffering();
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        request.Body.Position = 0;
        if (read is 0 or > MaxBodyBytes) return false;
        try
        {
            using var json = JsonDocument.Parse(buffer.AsMemory(0, read));
            if (json.RootElement.ValueKind != JsonValueKind.Object) return false;
            var values = json.RootElement.EnumerateObject().Where(p => p.NameEquals(field)).Select(p => p.Value.ValueKind).ToList();
            return values is [JsonValueKind.True or JsonValueKind.False];
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
