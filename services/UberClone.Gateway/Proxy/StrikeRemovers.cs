using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using UberClone.Gateway.Accounts;
using Yarp.ReverseProxy.Transforms;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// Support's driver card lists the driver's reservation strikes, a removed one with who removed it (ADR 0050). Trips keeps
/// the operator's id (<c>removedBy</c>) and knows no names; the gateway, which owns the accounts, adds the operator's name
/// (<c>removedByName</c>) to the answer as it passes — the card and the answer of "Remove" alike — the way the audit trail
/// names who acted (<see cref="Operations.SupportActionsApi"/>). An operator whose account is gone is left unnamed.
/// </summary>
public static partial class StrikeRemovers
{
    [GeneratedRegex("^/api/trips/ops/drivers/[^/]+/reservations(/strikes/remove)?/?$", RegexOptions.IgnoreCase)]
    private static partial Regex Paths();

    /// <summary>Whether the answer to <paramref name="path"/> lists a driver's strikes (the card, and removing one).</summary>
    public static bool AreListedIn(PathString path) => path.HasValue && Paths().IsMatch(path.Value!);

    /// <summary>
    /// Adds <c>removedByName</c> to each removed strike of <paramref name="list"/> (a <c>ReservableRideList</c> as JSON),
    /// each operator read once. Unchanged: no strikes, none removed, or an operator <paramref name="nameOf"/> does not know.
    /// </summary>
    public static async Task NameAsync(JsonObject list, Func<string, Task<string?>> nameOf)
    {
        if (list["strikes"] is not JsonArray strikes) return;
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var strike in strikes.OfType<JsonObject>())
        {
            if (strike["removedBy"] is not JsonValue by || by.GetValueKind() != JsonValueKind.String || by.GetValue<string>() is not { Length: > 0 } id) continue;
            if (!names.TryGetValue(id, out var name)) names[id] = name = await nameOf(id);
            if (name is not null) strike["removedByName"] = name;
        }
    }

    /// <summary>Names the strikes' removers in a successful answer of <see cref="AreListedIn"/>'s routes; anything else passes as it is.</summary>
    public static async ValueTask NameRemoversAsync(ResponseTransformContext transform)
    {
        var http = transform.HttpContext;
        var response = transform.ProxyResponse;
        if (response is null || (int)response.StatusCode != StatusCodes.Status200OK || !AreListedIn(http.Request.Path)
            || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
        JsonObject? list;
        try
        {
            list = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            list = null;
        }
        transform.SuppressResponseBody = true;
        http.Response.ContentLength = null;
        if (list is not null)
        {
            var accounts = http.RequestServices.GetRequiredService<AccountService>();
            await NameAsync(list, async id => (await accounts.GetAsync(id, http.RequestAborted))?.Name);
            body = list.ToJsonString();
        }
        await http.Response.WriteAsync(body, http.RequestAborted);
    }
}
