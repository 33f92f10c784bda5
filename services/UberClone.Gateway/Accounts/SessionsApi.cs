using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Where the signed-in user is signed in (ADR 0048): <c>GET /api/auth/me/sessions</c> lists their live sessions, and
/// <c>DELETE /api/auth/me/sessions/{id}</c> ends one (its refresh token, its access tokens and its sockets, on every
/// replica). Another user's session is answered as one that does not exist.
/// </summary>
public static class SessionsApi
{
    /// <summary>
    /// A live session as its owner sees it: <paramref name="Device"/> from the User-Agent at sign-in ("Chrome on Linux"),
    /// <paramref name="Ip"/> the address it was last used from as the gateway saw it, <paramref name="Current"/> the one
    /// the request came with.
    /// </summary>
    public sealed record SessionView(string Id, string Device, string? Ip, DateTimeOffset SignedInAt, DateTimeOffset LastUsedAt, bool Current);

    public sealed record SessionList(IReadOnlyList<SessionView> Sessions);

    private const int MaxIdLength = 64;

    public static void MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth/me/sessions").RequireAuthorization().WithTags("Accounts");
        group.MapGet("", ListAsync)
            .WithSummary("Where you're signed in: the live sessions (device, signed in at, last used, address), newest 50, current: true for this one");
        group.MapDelete("/{sessionId}", EndAsync)
            .WithSummary("Sign out one session (its tokens and sockets, on every replica); this one's too. 404 for an id that is not one of yours");
    }

    private static async Task<Ok<SessionList>> ListAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var userId = CurrentUser.From(http.User)!.UserId;
        var current = CurrentUser.SessionId(http.User);
        var sessions = await accounts.ListSessionsAsync(userId, ct);
        return TypedResults.Ok(new SessionList([.. sessions.Select(s => View(s.Id, s.Session, s.Id == current))]));
    }

    internal static SessionView View(string id, Session session, bool current) =>
        new(id, session.Device, session.Ip, session.SignedInAt, session.LastUsedAt, current);

    private static async Task<Results<NoContent, ProblemHttpResult>> EndAsync(string sessionId, HttpContext http, AccountService accounts, RevokedSessions revoked,
        Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        var userId = CurrentUser.From(http.User)!.UserId;
        if (sessionId.Length > MaxIdLength || await accounts.EndSessionAsync(userId, sessionId, ct) is not { } at)
        {
            return TypedResults.Problem("You have no session with this id (it may have ended already).", statusCode: 404, type: Problems.Problems.TypeFor(404));
        }
        SessionsRevokedHandler.ApplyEnded(revoked, connections, userId, sessionId, at);
        return TypedResults.NoContent();
    }
}
