using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;

namespace UberClone.Gateway.Identity;

/// <summary>
/// Temporary identity until accounts exist (issue 4): a sign-in that needs no password and returns a signed JWT
/// for a new user id. Everything downstream already works on validated tokens, so replacing this endpoint with
/// real accounts changes nothing else.
/// </summary>
public static class GuestSessionApi
{
    public sealed record GuestSessionRequest(string? Role, string? Name);

    public sealed record SessionResponse(string UserId, string Role, string Name, string AccessToken, DateTimeOffset ExpiresAt);

    public static RouteGroupBuilder MapGuestSessionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/session").AllowAnonymous();
        group.MapPost("/", CreateAsync);
        return group;
    }

    private static Results<Ok<SessionResponse>, ValidationProblem> CreateAsync(GuestSessionRequest request, TokenService tokens)
    {
        if (!Roles.IsKnown(request.Role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["role must be 'rider' or 'driver'."] });
        }
        var name = string.IsNullOrWhiteSpace(request.Name) ? request.Role! : request.Name.Trim();
        if (name.Length > 80)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["name is longer than 80 characters."] });
        }
        var userId = (request.Role == Roles.Rider ? "r" : "d") + Guid.CreateVersion7().ToString("N");
        var token = tokens.Issue(userId, request.Role!, name);
        return TypedResults.Ok(new SessionResponse(userId, request.Role!, name, token.AccessToken, token.ExpiresAt));
    }
}
