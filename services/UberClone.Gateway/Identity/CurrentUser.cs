using System.Security.Claims;
using UberClone.Contracts.Identity;

namespace UberClone.Gateway.Identity;

public static class CurrentUser
{
    /// <summary>The authenticated caller from the validated token, or null.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        var userId = principal.FindFirstValue("sub");
        var role = principal.FindFirstValue(TokenService.RoleClaim);
        return principal.Identity?.IsAuthenticated == true && !string.IsNullOrEmpty(userId) && Roles.IsKnown(role)
            ? new Caller(userId, role!)
            : null;
    }

    /// <summary>The session of the caller's token (its <c>sid</c>); null for a token issued before tokens named it.</summary>
    public static string? SessionId(ClaimsPrincipal principal) => principal.FindFirstValue(TokenService.SessionClaim) is { Length: > 0 } sid ? sid : null;
}
