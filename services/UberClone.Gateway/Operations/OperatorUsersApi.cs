using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// The support desk's look-up of accounts (operators only): <c>GET /api/ops/users?email=</c> and
/// <c>GET /api/ops/users/{userId}</c>. What a rider on the phone gives support is their email; what a trip gives is ids.
/// </summary>
public static class OperatorUsersApi
{
    /// <summary>An account as support sees it: never the password hash.</summary>
    public sealed record UserView(string UserId, string Email, string Role, string Name, Vehicle? Vehicle, DateTimeOffset CreatedAt)
    {
        public static UserView Of(Account account) =>
            new(account.Id, account.Email, account.Role, account.Name, account.Vehicle, account.CreatedAt);
    }

    public static void MapOperatorUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ops/users").RequireAuthorization();
        group.MapGet("", FindAsync);
        group.MapGet("/{userId}", GetAsync);
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> FindAsync(string? email, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254 || !email.Contains('@'))
        {
            return Problem(400, "Give the account's email: /api/ops/users?email=someone@example.com.");
        }
        return await accounts.FindByEmailAsync(AccountService.NormalizeEmail(email), ct) is { } account
            ? TypedResults.Ok(UserView.Of(account))
            : Problem(404, $"No account has the email {email.Trim()}.");
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetAsync(string userId, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        return await accounts.GetAsync(userId, ct) is { } account
            ? TypedResults.Ok(UserView.Of(account))
            : Problem(404, $"No account has the id {userId}.");
    }

    private static ProblemHttpResult? Refused(HttpContext http) =>
        CurrentUser.From(http.User)?.IsOperator == true ? null : Problem(403, "Only the support desk can look up accounts.");

    private static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
