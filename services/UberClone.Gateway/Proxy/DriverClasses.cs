using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;
using Yarp.ReverseProxy.Transforms;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// Tells trips what a driver is approved to drive now (ADR 0022), in <see cref="Caller.DriverClassesHeader"/>, on the
/// calls whose answer depends on it: a driver's quests (ADR 0038) list only quests of a class they may drive. The gateway
/// owns the approval, so it reads the account (one read by id) when such a call passes, rather than trips keeping a copy
/// of every driver's approval from its events.
/// </summary>
public static class DriverClasses
{
    public const string QuestsPath = "/api/trips/quests";
    public const string ReservablePath = "/api/trips/reservable";

    /// <summary>
    /// Whether a driver's call to <paramref name="path"/> needs what they may drive: their quests, and the rides for later
    /// they may list and reserve (ADR 0047: <c>/api/trips/reservable</c>, <c>POST /api/trips/{tripId}/reservation</c>).
    /// </summary>
    public static bool AreNeededFor(PathString path)
    {
        if (!path.HasValue) return false;
        var value = path.Value!.TrimEnd('/');
        return value.Equals(QuestsPath, StringComparison.OrdinalIgnoreCase) || value.Equals(ReservablePath, StringComparison.OrdinalIgnoreCase)
            || (value.StartsWith("/api/trips/", StringComparison.OrdinalIgnoreCase) && value.EndsWith("/reservation", StringComparison.OrdinalIgnoreCase)
                && value.Count(c => c == '/') == 4);
    }

    /// <summary>The header's value: the classes of the permit valid at <paramref name="now"/>, comma-separated; "" for none.</summary>
    public static string Of(Account? account, DateTimeOffset now) => string.Join(',', account?.Approval?.PermitAt(now)?.Classes ?? []);

    /// <summary>Adds the header to a driver's call that needs it; a client's copy was dropped before (<see cref="ProxyTransforms"/>).</summary>
    public static async ValueTask AddAsync(RequestTransformContext transform)
    {
        var http = transform.HttpContext;
        if (CurrentUser.From(http.User) is not { Role: Roles.Driver } driver || !AreNeededFor(http.Request.Path)) return;
        var account = await http.RequestServices.GetRequiredService<AccountService>().GetAsync(driver.UserId, http.RequestAborted);
        transform.ProxyRequest.Headers.Add(Caller.DriverClassesHeader, Of(account, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()));
    }
}
