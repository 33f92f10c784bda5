using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Confirming the email an account signed up with: a six-digit code is mailed at sign-up (and again on request, at
/// most once a minute), and the signed-in owner types it in. Until then receipts and ride notices are not mailed (anyone
/// may sign up with someone else's address); a password reset by mailed code confirms the email too.
/// </summary>
public sealed class EmailVerifications(AccountStore store, AccountService accounts, AccountNotices notices, TimeProvider clock, ILogger<EmailVerifications> logger)
{
    private const string AskAgain = "ask for a new code (\"Mail a new code\").";
    private readonly MailedCodes _codes = new(store.EmailVerifications, EmailVerification.Lifetime, clock);

    /// <summary>Mails a new code; false when one went less than a minute ago (it still works). Throws when already confirmed.</summary>
    public async Task<bool> SendAsync(Account account, CancellationToken ct)
    {
        if (account.EmailVerifiedAt is not null) throw new EmailAlreadyConfirmedException();
        if (await _codes.IssueAsync(account.Id, ct) is not { } code)
        {
            logger.LogInformation("Email confirmation of {UserId} asked again within {Interval}; no new code", account.Id, MailedCode.MinInterval);
            return false;
        }
        await notices.ConfirmEmailCode(account, code, ct);
        logger.LogInformation("Email confirmation code mailed for {UserId}", account.Id);
        return true;
    }

    /// <summary>The account with its email confirmed, or <see cref="EmailVerificationRefusedException"/> saying why not.</summary>
    public async Task<Account> ConfirmAsync(Account account, string code, CancellationToken ct)
    {
        if (account.EmailVerifiedAt is not null) throw new EmailAlreadyConfirmedException();
        await _codes.UseAsync(account.Id, code, reason => new EmailVerificationRefusedException(reason), AskAgain, beforeUse: null, ct);
        logger.LogInformation("Email of {UserId} confirmed", account.Id);
        return await accounts.ConfirmEmailAsync(account.Id, ct) ?? throw new EmailVerificationRefusedException("The account no longer exists.");
    }
}

/// <summary>The email is confirmed already: 409.</summary>
public sealed class EmailAlreadyConfirmedException() : Exception("Your email is confirmed already.");

/// <summary>POST /api/auth/me/email/code and /api/auth/me/email/verify: the signed-in owner confirms their email.</summary>
public static class EmailConfirmationApi
{
    public sealed record VerifyEmailRequest(string? Code);

    /// <summary>What asking for a new code answers: whether one was mailed (not within a minute of the last) and for how long it works.</summary>
    public sealed record EmailCodeSent(string Message, bool Mailed, int CodeLifetimeSeconds);

    public static async Task<Results<Accepted<EmailCodeSent>, ProblemHttpResult>> SendCodeAsync(HttpContext http, AccountService accounts, EmailVerifications verifications, CancellationToken ct)
    {
        if (await accounts.GetAsync(CurrentUser.From(http.User)!.UserId, ct) is not { DeletedAt: null } account) return Gone();
        try
        {
            var mailed = await verifications.SendAsync(account, ct);
            var lifetime = (int)EmailVerification.Lifetime.TotalSeconds;
            return TypedResults.Accepted((string?)null, mailed
                ? new EmailCodeSent($"A new code is on its way to {account.Email}. It works for {EmailVerification.Lifetime.TotalHours:0} hours.", true, lifetime)
                : new EmailCodeSent($"A code went to {account.Email} less than a minute ago and still works; ask again in a minute if it does not arrive.", false, lifetime));
        }
        catch (EmailAlreadyConfirmedException ex)
        {
            return AlreadyConfirmed(ex);
        }
    }

    public static async Task<Results<Ok<AccountsApi.MeResponse>, ValidationProblem, ProblemHttpResult>> VerifyAsync(
        VerifyEmailRequest request, HttpContext http, AccountService accounts, EmailVerifications verifications, CancellationToken ct)
    {
        if (request.Code?.Trim() is not { Length: 6 } code || !code.All(char.IsAsciiDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code is the six digits mailed to you."] });
        }
        if (await accounts.GetAsync(CurrentUser.From(http.User)!.UserId, ct) is not { DeletedAt: null } account) return Gone();
        try
        {
            return TypedResults.Ok(AccountsApi.Me(await verifications.ConfirmAsync(account, code, ct)));
        }
        catch (EmailVerificationRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.Type("email-code-refused"));
        }
        catch (EmailAlreadyConfirmedException ex)
        {
            return AlreadyConfirmed(ex);
        }
    }

    private static ProblemHttpResult AlreadyConfirmed(EmailAlreadyConfirmedException ex) =>
        TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("email-already-confirmed"));

    private static ProblemHttpResult Gone() =>
        TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
}
