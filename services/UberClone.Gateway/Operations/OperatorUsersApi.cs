using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Operations;

/// <summary>
/// The support desk's accounts API (operators only): <c>GET /api/ops/users?email=</c> and
/// <c>GET /api/ops/users/{userId}</c> (what a rider on the phone gives support is their email; what a trip gives is
/// ids), <c>POST /api/ops/operators</c>, a colleague's own support account, so every refund names who made it, and
/// <c>GET /api/ops/operators</c>, every support account's name, so the desk says who acted instead of an id (ADR 0054).
/// </summary>
public static class OperatorUsersApi
{
    public sealed record NewOperatorRequest(string? Email, string? Password, string? Name);

    public sealed record SuspendRequest(string? Reason);

    /// <summary>
    /// An account as support sees it: never the password hash. A deleted one: its id, role and dates only.
    /// <paramref name="EmailVerifiedAt"/>: when its owner confirmed the email (null: receipts are not mailed to it).
    /// <paramref name="DeletionRequestedAt"/>: its owner asked to delete it; it is erased at <paramref name="EraseAt"/>
    /// unless they sign in before. <paramref name="DriverApproval"/>: a driver's documents and what they may drive (ADR 0022).
    /// <paramref name="TwoStepSince"/>: 2-step verification is on since then (ADR 0052; null: off), with
    /// <paramref name="RecoveryCodesLeft"/> recovery codes left (null: off).
    /// </summary>
    public sealed record UserView(string UserId, string Email, string Role, string Name, Vehicle? Vehicle, DateTimeOffset CreatedAt, Suspension? Suspension,
        DateTimeOffset? DeletedAt = null, DateTimeOffset? EmailVerifiedAt = null, DateTimeOffset? DeletionRequestedAt = null, DateTimeOffset? EraseAt = null,
        DriverApprovalApi.ApprovalView? DriverApproval = null, DateTimeOffset? TwoStepSince = null, int? RecoveryCodesLeft = null)
    {
        public static UserView Of(Account account) =>
            new(account.Id, account.Email, account.Role, account.Name, account.Vehicle, account.CreatedAt, account.Suspension, account.DeletedAt, account.EmailVerifiedAt,
                account.DeletionRequestedAt, account.EraseAt,
                account.Role == Roles.Driver && account.DeletedAt is null ? DriverApprovalApi.ApprovalView.Of(account, TimeProvider.System.GetUtcNow(), forSupport: true) : null,
                account.TwoStep?.EnabledAt, account.TwoStep is { IsOn: true } on ? on.RecoveryCodesLeft : null);
    }

    /// <summary>A support account as the desk names it (<see cref="Suspended"/>: true for one that can no longer sign in).</summary>
    public sealed record OperatorView(string Id, string Name, string Email,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? Suspended = null);

    /// <summary>GET /api/ops/operators: every support account not deleted, by name.</summary>
    public sealed record OperatorList(IReadOnlyList<OperatorView> Operators);

    public static void MapOperatorUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ops/users").RequireAuthorization();
        group.MapGet("", FindAsync);
        group.MapGet("/{userId}", GetAsync);
        group.MapPost("/{userId}/signout-everywhere", SignOutEverywhereAsync);
        group.MapPost("/{userId}/suspend", SuspendAsync);
        group.MapPost("/{userId}/reinstate", ReinstateAsync);
        group.MapPost("/{userId}/password-reset", SendPasswordResetAsync);
        group.MapPost("/{userId}/delete", DeleteAsync);
        group.MapPost("/{userId}/keep", KeepAsync);
        group.MapPost("/{userId}/two-step/turn-off", TurnOffTwoStepAsync);
        app.MapGet("/api/ops/operators", ListOperatorsAsync).RequireAuthorization()
            .WithSummary("Every support account, by name: {operators: [{id, name, email, suspended?}]}; deleted ones are absent (support; ADR 0054)");
        app.MapPost("/api/ops/operators", AddOperatorAsync).RequireAuthorization();
    }

    /// <summary>A rider whose phone was stolen calls: every session of theirs ends, on every device.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SignOutEverywhereAsync(string userId, HttpContext http, AccountService accounts,
        RevokedSessions revoked, Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        if (await accounts.SignOutEverywhereAsync(userId, CurrentUser.From(http.User)!.UserId, ct) is not { } at) return Problem(404, $"No account has the id {userId}.");
        SessionsRevokedHandler.Apply(revoked, connections, userId, at);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// An owner who lost their phone and their recovery codes calls (ADR 0052): support turns 2-step verification off,
    /// saying why (mailed to the account and kept in the audit trail); the password alone signs in again.
    /// </summary>
    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> TurnOffTwoStepAsync(string userId, SuspendRequest? request, HttpContext http,
        Accounts.TwoStep.TwoSteps twoSteps, RevokedSessions revoked, Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var reason = request?.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 200) return Problem(400, "reason is required (at most 200 characters): how support made sure the caller owns the account; it is mailed to the account.");
        try
        {
            if (await twoSteps.TurnOffBySupportAsync(userId, reason, CurrentUser.From(http.User)!.UserId, ct) is not var (account, signedOutAt)) return Problem(404, $"No account has the id {userId}.");
            // A colleague's support account, which must use it: signed out everywhere (ADR 0052).
            if (signedOutAt is { } at) SessionsRevokedHandler.Apply(revoked, connections, userId, at);
            return TypedResults.Ok(UserView.Of(account));
        }
        catch (Accounts.TwoStep.TwoStepConflictException ex)
        {
            return Problem(409, ex.Message);
        }
    }

    /// <summary>Fraud, abuse: the account can no longer sign in, and every session of it ends at once.</summary>
    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> SuspendAsync(string userId, SuspendRequest? request, HttpContext http,
        AccountService accounts, RevokedSessions revoked, Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var reason = request?.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 200) return Problem(400, "reason is required (at most 200 characters): the account's owner is told it when signing in.");
        try
        {
            if (await accounts.SuspendAsync(userId, reason, CurrentUser.From(http.User)!.UserId, ct) is not { } suspended) return Problem(404, $"No account has the id {userId}.");
            SessionsRevokedHandler.Apply(revoked, connections, userId, suspended.RevokedAt);
            return TypedResults.Ok(UserView.Of(suspended.Account));
        }
        catch (InvalidOperationException ex)
        {
            return Problem(400, ex.Message);
        }
    }

    /// <summary>
    /// A rider or driver who cannot use the app (or wrote in) asks support to delete their account: the same as asking
    /// in the app (every session ends, rides booked ahead are cancelled, a driver goes offline, erased after the grace
    /// period unless its owner signs in) without the password; the reason is kept in the audit trail. Support accounts
    /// are suspended instead. Asking again answers the deletion already waiting.
    /// </summary>
    private static async Task<Results<Accepted<UserView>, ProblemHttpResult>> DeleteAsync(string userId, SuspendRequest? request, HttpContext http,
        AccountService accounts, AccountNotices notices, Contracts.Trips.TripService.TripServiceClient trips, RevokedSessions revoked,
        Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var reason = request?.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 200) return Problem(400, "reason is required (at most 200 characters): how the owner asked (a call, a mail), for the audit trail.");
        if (await accounts.GetAsync(userId, ct) is not { DeletedAt: null } account) return Problem(404, $"No account has the id {userId} (or it was erased already).");
        if (account.Role == Roles.Operator) return Problem(400, "Support accounts are not deleted: suspend one that is no longer used.");
        if (account.DeletionRequestedAt is not null) return TypedResults.Accepted((string?)null, UserView.Of(account));
        var (closing, problem) = await AccountDeletion.ScheduleAsync(account, bySupport: true, accounts, notices, trips, revoked, connections, ct);
        return problem ?? (Results<Accepted<UserView>, ProblemHttpResult>)TypedResults.Accepted((string?)null, UserView.Of(closing!));
    }

    /// <summary>The owner changed their mind but cannot sign in (a lost password, a dead phone): the deletion waiting is called off.</summary>
    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> KeepAsync(string userId, SuspendRequest? request, HttpContext http,
        AccountService accounts, AccountNotices notices, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        var reason = request?.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 200) return Problem(400, "reason is required (at most 200 characters): how the owner asked, for the audit trail.");
        if (await accounts.GetAsync(userId, ct) is not { DeletedAt: null } account) return Problem(404, $"No account has the id {userId} (or it was erased already).");
        if (account.DeletionRequestedAt is null) return Problem(409, "No deletion of this account is waiting.", "no-deletion-waiting");
        if (await accounts.KeepAsync(userId, ct, by: CurrentUser.From(http.User)!.UserId) is not { } kept) return Problem(404, $"No account has the id {userId} (or it was erased already).");
        await notices.AccountKept(kept, CancellationToken.None, bySupport: true);
        return TypedResults.Ok(UserView.Of(kept));
    }

    public sealed record PasswordResetSent(string Message, bool Mailed);

    /// <summary>"I forgot my password": a code goes to the account's own address; support never sees or sets a password.</summary>
    private static async Task<Results<Accepted<PasswordResetSent>, ProblemHttpResult>> SendPasswordResetAsync(string userId, HttpContext http,
        AccountService accounts, PasswordResets resets, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        if (await accounts.GetAsync(userId, ct) is not { } account) return Problem(404, $"No account has the id {userId}.");
        try
        {
            return await resets.RequestForAsync(account, ct)
                ? TypedResults.Accepted((string?)null, new PasswordResetSent($"A code is on its way to {account.Email}; it works for 15 minutes. They enter it at \"Forgot your password?\".", true))
                : TypedResults.Accepted((string?)null, new PasswordResetSent($"A code went to {account.Email} less than a minute ago; it still works. Another can be sent in a minute.", false));
        }
        catch (InvalidOperationException ex)
        {
            return Problem(400, ex.Message);
        }
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> ReinstateAsync(string userId, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        if (userId.Length > 64) return Problem(400, "userId is not a valid id.");
        try
        {
            return await accounts.ReinstateAsync(userId, CurrentUser.From(http.User)!.UserId, ct) is { } account
                ? TypedResults.Ok(UserView.Of(account))
                : Problem(404, $"No account has the id {userId}.");
        }
        catch (InvalidOperationException ex)
        {
            return Problem(400, ex.Message);
        }
    }

    /// <summary>
    /// Who the desk's colleagues are: the desk shows "who did it" (a waiver, a removed strike, a refund) by name from this
    /// list, read once a session, rather than each service's answer being named as it passes (ADR 0054).
    /// </summary>
    private static async Task<Results<Ok<OperatorList>, ProblemHttpResult>> ListOperatorsAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        var operators = await accounts.OperatorsAsync(ct);
        return TypedResults.Ok(new OperatorList([.. operators.Select(a => new OperatorView(a.Id, a.Name, a.Email, a.Suspension is null ? null : true))]));
    }

    private static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> AddOperatorAsync(
        NewOperatorRequest request, HttpContext http, AccountService accounts, ILoggerFactory loggers, CancellationToken ct)
    {
        if (Refused(http) is { } refused) return refused;
        var errors = new Dictionary<string, string[]>();
        AccountsApi.ValidateEmail(request.Email, errors);
        AccountsApi.ValidatePassword(request.Password, errors);
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > AccountsApi.MaxNameLength) errors["name"] = [$"name is required, at most {AccountsApi.MaxNameLength} characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        try
        {
            var account = await accounts.AddOperatorAsync(request.Email!, request.Password!, name, ct);
            loggers.CreateLogger(typeof(OperatorUsersApi)).LogInformation("Support account {UserId} added by {By}", account.Id, CurrentUser.From(http.User)!.UserId);
            return TypedResults.Created($"/api/ops/users/{account.Id}", UserView.Of(account));
        }
        catch (EmailTakenException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("email-taken"));
        }
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

    private static ProblemHttpResult Problem(int status, string detail, string? type = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: type is null ? Problems.Problems.TypeFor(status) : Problems.Problems.Type(type));
}
