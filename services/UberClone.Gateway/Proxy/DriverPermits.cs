using System.Text.Json;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Proxy;

/// <summary>
/// A driver goes online only in a vehicle class support approved them for, while their documents are valid (ADR 0022):
/// <c>POST /api/drivers/me/online</c> is checked here against the account, which the gateway owns, before it is
/// forwarded; otherwise 403 with why (not approved yet, under review, refused and why, lapsed, another class). The
/// drivers service takes a driver who is online offline when an approval no longer covers them
/// (<c>account.event.driver_approval</c>).
/// </summary>
public static class DriverPermits
{
    public const string OnlinePath = "/api/drivers/me/online";
    private const int MaxBodyBytes = 4 * 1024;

    public static IReverseProxyApplicationBuilder UseDriverPermits(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && IsOnlinePath(context.Request.Path)
                && CurrentUser.From(context.User) is { Role: Roles.Driver } driver)
            {
                var (classes, tooLong) = await RequestedClassesAsync(context.Request, context.RequestAborted);
                if (tooLong)
                {
                    await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(StatusCodes.Status413PayloadTooLarge,
                        $"Going online takes a small body ({{vehicleClass, location}}, at most {MaxBodyBytes / 1024} KB)."));
                    return;
                }
                var account = classes.Count == 0 ? null : await context.RequestServices.GetRequiredService<AccountService>().GetAsync(driver.UserId, context.RequestAborted);
                var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (account is not null && classes.Select(c => DriverApproval.RefusalToDrive(account.Approval, c, now)).FirstOrDefault(r => r is not null) is { } refusal)
                {
                    await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(StatusCodes.Status403Forbidden, refusal));
                    return;
                }
            }
            await next();
        });
        return proxy;
    }

    private static bool IsOnlinePath(PathString path) =>
        path.HasValue && path.Value!.TrimEnd('/').Equals(OnlinePath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Every known vehicle class the body names, under any spelling JSON transcoding accepts for the field
    /// (<c>vehicleClass</c>, <c>vehicle_class</c>), the body left to be forwarded. None when it names none (the drivers
    /// service says what is wrong); too long when it does not fit the check (it is refused rather than forwarded unchecked).
    /// </summary>
    private static async Task<(List<string> Classes, bool TooLong)> RequestedClassesAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0) return ([], false);
        request.EnableBuffering();
        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        request.Body.Position = 0;
        if (read > MaxBodyBytes) return ([], true);
        try
        {
            using var json = JsonDocument.Parse(buffer.AsMemory(0, read));
            if (json.RootElement.ValueKind != JsonValueKind.Object) return ([], false);
            return ([.. json.RootElement.EnumerateObject()
                .Where(p => p.Name.Replace("_", "").Equals("vehicleClass", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
                .Select(p => p.Value.GetString()!.Trim().ToLowerInvariant())
                .Where(VehicleClasses.IsKnown)], false);
        }
        catch (JsonException)
        {
            return ([], false);
        }
    }
}
