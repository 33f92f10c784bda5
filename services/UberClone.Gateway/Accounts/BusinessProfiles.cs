using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Identity;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// A rider's business profile (ADR 0034): a work email that gets a copy of each business ride's receipt. Giving one
/// mails a code to it (a day, 5 wrong guesses, at most one a minute: <see cref="MailedCodes"/>, as an email change);
/// the profile shows the address unconfirmed until the code comes back. A new address replaces the old one, confirmed
/// or not, and is unconfirmed until its own code: receipts go only where the rider proved they read.
/// </summary>
public sealed class BusinessProfiles(AccountStore store, AccountNotices notices, TimeProvider clock, ILogger<BusinessProfiles> logger)
{
    private const string AskAgain = "ask for a new code (give the work email again).";
    private readonly MailedCodes _codes = new(store.WorkEmailCodes, WorkEmailConfirmation.Lifetime, clock);

    /// <summary>
    /// The account with <paramref name="workEmail"/> as its work email, unconfirmed, and a code mailed there; Mailed false
    /// when one went there less than a minute ago (it still works). <see cref="SameEmailException"/>: the account's own
    /// email or the work email confirmed already.
    /// </summary>
    public async Task<(Account Account, bool Mailed)> SetAsync(Account account, string workEmail, CancellationToken ct)
    {
        workEmail = AccountService.NormalizeEmail(workEmail);
        if (workEmail == account.Email) throw new SameEmailException();
        if (account.Business is { IsConfirmed: true } confirmed && confirmed.WorkEmail == workEmail) throw new SameWorkEmailException();
        var updated = await store.Accounts.UpdateAsync(account.Id, a => a.DeletedAt is not null || a.Business?.WorkEmail == workEmail
            ? a : a with { Business = new BusinessProfile(workEmail) }, ct: ct);
        if (updated is not { DeletedAt: null }) throw new EmailVerificationRefusedException("The account no longer exists.");
        if (await _codes.IssueAsync(account.Id, ct, target: workEmail) is not { } code) return (updated, false);
        await notices.WorkEmailCode(updated, workEmail, code, ct);
        logger.LogInformation("Business profile of {UserId}: a code was mailed to the work address", account.Id);
        return (updated, true);
    }

    /// <summary>
    /// The account with its work email confirmed, or <see cref="EmailVerificationRefusedException"/> saying why not (the
    /// code is wrong, expired or used up, or the work email was changed or removed since it was mailed).
    /// </summary>
    public async Task<Account> ConfirmAsync(Account account, string code, CancellationToken ct)
    {
        var used = await _codes.UseAsync(account.Id, code, reason => new EmailVerificationRefusedException(reason), AskAgain, beforeUse: null, ct);
        var now = clock.GetUtcNow();
        var confirmed = await store.Accounts.UpdateAsync(account.Id, a => a.DeletedAt is not null || a.Business is not { } business || business.WorkEmail != used.Target
            ? a : business.IsConfirmed ? a : a with { Business = business with { ConfirmedAt = now } }, ct: ct);
        if (confirmed?.Business is not { IsConfirmed: true } profile || profile.WorkEmail != used.Target)
        {
            throw new EmailVerificationRefusedException($"The work email was changed or removed since the code was mailed; {AskAgain}");
        }
        logger.LogInformation("Business profile of {UserId}: the work email is confirmed", account.Id);
        return confirmed;
    }

    /// <summary>The account without a business profile (and any code under way forgotten); unchanged when it has none.</summary>
    public async Task<Account?> RemoveAsync(string userId, CancellationToken ct)
    {
        var account = await store.Accounts.UpdateAsync(userId, a => a.Business is null ? a : a with { Business = null }, ct: ct);
        if (await store.WorkEmailCodes.GetAsync(userId, ct) is { } pending)
        {
            try
            {
                await store.WorkEmailCodes.DeleteAsync(userId, pending.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // A code issued meanwhile names an address the profile no longer has: confirming it is refused.
            }
        }
        return account;
    }
}

/// <summary>The work email given is the one confirmed already: 400 naming the field.</summary>
public sealed class SameWorkEmailException() : Exception("That is your confirmed work email already.");

/// <summary>PUT/DELETE /api/auth/me/business-profile and POST /api/auth/me/business-profile/confirm (riders only).</summary>
public static class BusinessProfileApi
{
    public sealed record BusinessProfileRequest(string? WorkEmail);

    public sealed record BusinessProfileConfirmRequest(string? Code);

    /// <summary>What a rider's account shows of the profile: the work email and whether it is confirmed.</summary>
    public sealed record BusinessProfileView(string WorkEmail, bool Confirmed, DateTimeOffset? ConfirmedAt)
    {
        public static BusinessProfileView? Of(Account account) =>
            account.Business is { } business ? new BusinessProfileView(business.WorkEmail, business.IsConfirmed, business.ConfirmedAt) : null;
    }

    /// <summary>What giving a work email answers: the profile now, and whether a code was mailed (as <see cref="EmailConfirmationApi.EmailCodeSent"/>).</summary>
    public sealed record BusinessProfileCodeSent(string Message, bool Mailed, int CodeLifetimeSeconds, BusinessProfileView BusinessProfile);

    public static void MapBusinessProfileApi(this RouteGroupBuilder group)
    {
        group.MapPut("/me/business-profile", SetAsync).RequireAuthorization()
            .WithSummary("Riders: give a work email for the receipts of business rides; a six-digit code is mailed to it (at most one a minute)");
        group.MapPost("/me/business-profile/confirm", ConfirmAsync).RequireAuthorization()
            .WithSummary("Riders: the code mailed to the work email confirms it; from then on business rides' receipts are copied there");
        group.MapDelete("/me/business-profile", RemoveAsync).RequireAuthorization()
            .WithSummary("Riders: remove the business profile; no more receipts go to the work email");
    }

    private static async Task<Results<Accepted<BusinessProfileCodeSent>, ValidationProblem, ProblemHttpResult>> SetAsync(
        BusinessProfileRequest request, HttpContext http, AccountService accounts, BusinessProfiles profiles, CancellationToken ct)
    {
        if (await RiderAsync(http, accounts, ct) is var (account, refused) && refused is not null) return refused;
        var errors = new Dictionary<string, string[]>();
        AccountsApi.ValidateEmail(request.WorkEmail, errors, "workEmail");
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        try
        {
            var (updated, mailed) = await profiles.SetAsync(account!, request.WorkEmail!, ct);
            var view = BusinessProfileView.Of(updated)!;
            var lifetime = (int)WorkEmailConfirmation.Lifetime.TotalSeconds;
            return TypedResults.Accepted((string?)null, mailed
                ? new BusinessProfileCodeSent($"A code is on its way to {view.WorkEmail}. Enter it here to confirm the work email.", true, lifetime, view)
                : new BusinessProfileCodeSent($"A code went to {view.WorkEmail} less than a minute ago and still works; ask again in a minute if it does not arrive.", false, lifetime, view));
        }
        catch (Exception ex) when (ex is SameEmailException or SameWorkEmailException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["workEmail"] = [ex is SameEmailException ? "workEmail is your account's own email: give the address at work." : ex.Message],
            });
        }
        catch (EmailVerificationRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 404, type: Problems.Problems.TypeFor(404));
        }
    }

    private static async Task<Results<Ok<AccountsApi.MeResponse>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        BusinessProfileConfirmRequest request, HttpContext http, AccountService accounts, BusinessProfiles profiles, CancellationToken ct)
    {
        if (await RiderAsync(http, accounts, ct) is var (account, refused) && refused is not null) return refused;
        if (request.Code?.Trim() is not { Length: 6 } code || !code.All(char.IsAsciiDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code is the six digits mailed to the work email."] });
        }
        try
        {
            return TypedResults.Ok(AccountsApi.Me(await profiles.ConfirmAsync(account!, code, ct)));
        }
        catch (EmailVerificationRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.Type("email-code-refused"));
        }
    }

    private static async Task<Results<Ok<AccountsApi.MeResponse>, ProblemHttpResult>> RemoveAsync(
        HttpContext http, AccountService accounts, BusinessProfiles profiles, CancellationToken ct)
    {
        if (await RiderAsync(http, accounts, ct) is var (account, refused) && refused is not null) return refused;
        return await profiles.RemoveAsync(account!.Id, ct) is { DeletedAt: null } updated
            ? TypedResults.Ok(AccountsApi.Me(updated))
            : TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
    }

    /// <summary>The signed-in rider's account, or the problem to answer: 403 for drivers and support (rides for work are riders'), 404 when gone.</summary>
    private static async Task<(Account? Account, ProblemHttpResult? Refused)> RiderAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role != Roles.Rider)
        {
            return (null, TypedResults.Problem("A business profile is for riders: it sends the receipts of rides for work to a work email.",
                statusCode: 403, type: Problems.Problems.TypeFor(403)));
        }
        return await accounts.GetAsync(caller.UserId, ct) is { DeletedAt: null } account
            ? (account, null)
            : (null, TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404)));
    }
}
