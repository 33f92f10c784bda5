using UberClone.Contracts.Identity;

namespace UberClone.Payments.Http;

/// <summary>
/// Who calls payments' REST endpoints, as the gateway says in <c>x-user-id</c> / <c>x-user-role</c> (it drops any copy a
/// client sends). The endpoints decide what each role may do.
/// </summary>
public static class CallerHeaders
{
    /// <summary>The caller's id when they call in <paramref name="role"/>; null for anyone else (or no id).</summary>
    public static string? UserIn(this HttpRequest request, string role) =>
        request.Headers[Caller.RoleHeader].ToString() == role && request.Headers[Caller.UserIdHeader].ToString() is { Length: > 0 } id ? id : null;

    /// <summary>Whether the support desk (role <c>operator</c>) calls.</summary>
    public static bool IsSupport(this HttpRequest request) => request.Headers[Caller.RoleHeader].ToString() == Roles.Operator;
}
