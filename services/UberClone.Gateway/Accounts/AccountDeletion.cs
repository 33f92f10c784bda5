using Grpc.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Identity;
using UberClone.Gateway.RateLimiting;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// <c>POST /api/auth/me/delete {password}</c>: a rider or driver deletes their account (app stores require it be
/// possible in the app). The password again; then trips confirms nothing is under way or owed (and holds a rider's new
/// bookings meanwhile); then every session ends on every replica and the account is erased after a grace period
/// (<see cref="AccountService.ScheduleDeletionAsync"/>; signing in before keeps it, ADR 0017). Support accounts are
/// suspended by a colleague instead. What is kept, and why: ADR 0014.
/// </summary>
public static class AccountDeletion
{
    public static async Task<Results<Accepted<DeletionScheduled>, ValidationProblem, ProblemHttpResult>> DeleteAsync(AccountsApi.DeleteAccountRequest request, HttpContext http,
        HttpResponse response, AccountService accounts, AccountNotices notices, SignInThrottle throttle, TripService.TripServiceClient trips, RevokedSessions revoked,
        Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > AccountsApi.MaxPasswordLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["password is required: deleting the account asks for it again."] });
        }
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role == Roles.Operator)
        {
            return Problem(403, "Support accounts are not deleted here: a colleague suspends one that is no longer used.", Problems.Problems.TypeFor(403));
        }
        if (throttle.TryAcquire(AccountsApi.PasswordCheckKey(caller.UserId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        Account account;
        try
        {
            account = (await accounts.CheckPasswordAsync(caller.UserId, request.Password, ct)).Document;
        }
        catch (InvalidCredentialsException ex)
        {
            return AccountsApi.InvalidCredentials(ex);
        }

        var (closing, problem) = await ScheduleAsync(account, bySupport: false, accounts, notices, trips, revoked, connections, ct);
        if (problem is not null) return problem;
        var eraseAt = closing!.EraseAt!.Value;
        return TypedResults.Accepted((string?)null, new DeletionScheduled(eraseAt,
            $"Your account will be deleted on {eraseAt:d MMMM yyyy}. Every device was signed out. Sign in before then to keep it."));
    }

    /// <summary>
    /// What deleting an account does once it was asked for (by its owner, or by support on their behalf): trips confirms
    /// nothing is under way or owed, as the account itself (409 <c>account-busy</c> saying what, 503 when trips cannot be
    /// asked: nothing changes); then every session ends on every replica, the erasure is scheduled and the owner mailed.
    /// </summary>
    internal static async Task<(Account? Closing, ProblemHttpResult? Problem)> ScheduleAsync(Account account, bool bySupport, AccountService accounts,
        AccountNotices notices, TripService.TripServiceClient trips, RevokedSessions revoked, Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        try
        {
            await trips.PrepareAccountDeletionAsync(new PrepareAccountDeletionRequest(), new Caller(account.Id, account.Role).ToMetadata(), cancellationToken: ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition)
        {
            return (null, Problem(409, ex.Status.Detail, Problems.Problems.Type("account-busy")));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return (null, Problem(503, "The account cannot be deleted right now (the trips service is not reachable); nothing was deleted. Try again shortly.", Problems.Problems.TypeFor(503)));
        }

        var closing = await accounts.ScheduleDeletionAsync(account.Id, ct);
        SessionsRevokedHandler.Apply(revoked, connections, account.Id, closing.SessionsRevokedAt!.Value);
        await notices.AccountClosing(account, closing.EraseAt!.Value, CancellationToken.None, bySupport);
        return (closing, null);
    }

    /// <summary>What asking to delete answers: when the account will be erased (signing in before keeps it).</summary>
    public sealed record DeletionScheduled(DateTimeOffset EraseAt, string Message);

    private static ProblemHttpResult Problem(int status, string detail, string type) =>
        TypedResults.Problem(detail, statusCode: status, type: type);
}
