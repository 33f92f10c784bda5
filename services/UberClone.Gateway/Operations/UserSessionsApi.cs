using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// <c>GET /api/ops/users/{userId}/sessions</c> (operators only): where a caller is signed in (ADR 0048), as their own
/// Account settings list it, read-only: "someone else is in my account" is answered with the devices, and support ends
/// them all (sign out everywhere) or the owner ends one.
/// </summary>
public static class UserSessionsApi
{
    public sealed record UserSessionList(IReadOnlyList<SessionsApi.SessionView> Sessions);

    public static void MapUserSessionsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/ops/users/{userId}/sessions", ListAsync).RequireAuthorization()
            .WithSummary("Where a rider or driver is signed in (support, read-only): their live sessions, newest first, at most 50");

    private static async Task<Results<Ok<UserSessionList>, ProblemHttpResult>> ListAsync(string userId, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (CurrentUser.From(http.User)?.IsOperator != true) return Problem(403, "Only the support desk can see where an account is signed in.");
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var sessions = await accounts.ListSessionsAsync(userId, ct);
        return TypedResults.Ok(new UserSessionList([.. sessions.Select(s => SessionsApi.View(s.Id, s.Session, current: false))]));
    }

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
