using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// Support accounts must use 2-step verification (ADR 0052, <c>TwoStep:RequiredForSupport</c>): the token of one that
/// has not set it up (<see cref="TokenService.TwoStepSetupClaim"/>) reaches only the 2-step routes under
/// <c>/api/auth/me/two-step</c>, <c>GET /api/auth/me</c>, its sessions and signing out; every other API route, the desk's
/// <c>/api/*/ops/*</c> first, answers 403 <c>two-step-setup-required</c> saying how to set it up.
/// </summary>
public static class TwoStepSetupGate
{
    public const string ProblemType = "two-step-setup-required";

    public static IApplicationBuilder UseTwoStepSetupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(TokenService.TwoStepSetupClaim, "required") && context.Request.Path.StartsWithSegments("/api") && !Allowed(context.Request))
        {
            var problem = Problems.Problems.Create(403,
                "Support accounts must use 2-step verification. Set it up first: Account settings → 2-step verification " +
                "(POST /api/auth/me/two-step/setup with your password, then POST /api/auth/me/two-step/enable with the app's code), then sign in again with the code.",
                type: Problems.Problems.Type(ProblemType));
            problem.Extensions["setup"] = "/api/auth/me/two-step/setup";
            await Problems.Problems.WriteAsync(context.Response, problem);
            return;
        }
        await next();
    });

    /// <summary>What such a token still reaches: the account itself, the 2-step routes, where it is signed in (to end a session it does not know), and the way out.</summary>
    private static bool Allowed(HttpRequest request)
    {
        var path = request.Path;
        return (path.Equals("/api/auth/me", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(request.Method))
            || path.StartsWithSegments("/api/auth/me/two-step", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/auth/me/sessions", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/auth/signout", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/auth/signout-everywhere", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/auth/refresh", StringComparison.OrdinalIgnoreCase);
    }
}
