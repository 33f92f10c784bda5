using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Identity;
using UberClone.Gateway.RateLimiting;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// A rider or driver moves their account to a new email: the password again, then a code mailed to the new address
/// (an hour, 5 wrong guesses) proves it is theirs; then the account signs in with the new email (confirmed), the old one
/// is free for anyone, and the old address is told (someone else's doing is noticed).
/// </summary>
public sealed class EmailChanges(AccountStore store, AccountService accounts, AccountNotices notices, TimeProvider clock, ILogger<EmailChanges> logger)
{
    private const string AskAgain = "ask for a new code (change the email again).";
    private readonly MailedCodes _codes = new(store.EmailChanges, EmailChange.Lifetime, clock);

    /// <summary>Mails a code to <paramref name="newEmail"/>; false when one went there less than a minute ago (it still works).</summary>
    public async Task<bool> RequestAsync(Account account, string newEmail, CancellationToken ct)
    {
        newEmail = AccountService.NormalizeEmail(newEmail);
        if (newEmail == account.Email) throw new SameEmailException();
        if (await accounts.FindByEmailAsync(newEmail, ct) is not null) throw new EmailTakenException();
        if (await _codes.IssueAsync(account.Id, ct, target: newEmail) is not { } code) return false;
        await notices.NewEmailCode(account, newEmail, code, ct);
        logger.LogInformation("Email change of {UserId}: a code was mailed to the new address", account.Id);
        return true;
    }

    /// <summary>The account on its new email, or <see cref="EmailVerificationRefusedException"/> / <see cref="EmailTakenException"/> saying why not.</summary>
    public async Task<Account> ConfirmAsync(Account account, string code, CancellationToken ct)
    {
        var used = await _codes.UseAsync(account.Id, code, reason => new EmailVerificationRefusedException(reason), AskAgain, beforeUse: null, ct);
        var changed = await accounts.ChangeEmailAsync(account.Id, used.Target!, ct) ?? throw new EmailVerificationRefusedException("The account no longer exists.");
        await notices.EmailChanged(account, changed.Email, CancellationToken.None); // to the old address
        return changed;
    }
}

/// <summary>POST /api/auth/me/email-change and /api/auth/me/email-change/confirm.</summary>
public static class EmailChangeApi
{
    public sealed record EmailChangeRequest(string? NewEmail, string? Password);

    public sealed record EmailChangeConfirmRequest(string? Code);

    public static async Task<Results<Accepted<EmailConfirmationApi.EmailCodeSent>, ValidationProblem, ProblemHttpResult>> RequestAsync(
        EmailChangeRequest request, HttpContext http, HttpResponse response, AccountService accounts, EmailChanges changes, SignInThrottle throttle, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AccountsApi.ValidateEmail(request.NewEmail, errors, "newEmail");
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > AccountsApi.MaxPasswordLength)
        {
            errors["password"] = ["password is required: changing the email asks for it again."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role == Roles.Operator)
        {
            return TypedResults.Problem("A support account's email is its sign-in at the desk: a colleague adds a new support account instead.",
                statusCode: 403, type: Problems.Problems.TypeFor(403));
        }
        if (throttle.TryAcquire(AccountsApi.PasswordCheckKey(caller.UserId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        try
        {
            var account = (await accounts.CheckPasswordAsync(caller.UserId, request.Password!, ct)).Document;
            var newEmail = AccountService.NormalizeEmail(request.NewEmail!);
            var lifetime = (int)EmailChange.Lifetime.TotalSeconds;
            return TypedResults.Accepted((string?)null, await changes.RequestAsync(account, newEmail, ct)
                ? new EmailConfirmationApi.EmailCodeSent($"A code is on its way to {newEmail}. It works for an hour; your email stays {account.Email} until you enter it.", true, lifetime)
                : new EmailConfirmationApi.EmailCodeSent($"A code went to {newEmail} less than a minute ago and still works; ask again in a minute if it does not arrive.", false, lifetime));
        }
        catch (InvalidCredentialsException ex)
        {
            return AccountsApi.InvalidCredentials(ex);
        }
        catch (SameEmailException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.TypeFor(400));
        }
        catch (EmailTakenException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("email-taken"));
        }
    }

    public static async Task<Results<Ok<AccountsApi.MeResponse>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        EmailChangeConfirmRequest request, HttpContext http, AccountService accounts, EmailChanges changes, CancellationToken ct)
    {
        if (request.Code?.Trim() is not { Length: 6 } code || !code.All(char.IsAsciiDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code is the six digits mailed to the new address."] });
        }
        if (await accounts.GetAsync(CurrentUser.From(http.User)!.UserId, ct) is not { DeletedAt: null } account)
        {
            return TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
        }
        try
        {
            return TypedResults.Ok(AccountsApi.Me(await changes.ConfirmAsync(account, code, ct)));
        }
        catch (EmailVerificationRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.Type("email-code-refused"));
        }
        catch (EmailTakenException)
        {
            return TypedResults.Problem("Another account took that email meanwhile; choose another.", statusCode: 409, type: Problems.Problems.Type("email-taken"));
        }
    }
}
