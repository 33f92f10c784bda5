using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Gateway.Identity;
using UberClone.Gateway.RateLimiting;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// 2-step verification (ADR 0052): <c>POST /api/auth/signin/two-step</c> (the code after a sign-in answered 401
/// <c>two-step-required</c>), and the signed-in owner's <c>/api/auth/me/two-step</c> (status, set up, turn on, turn off,
/// new recovery codes, forget the browsers remembered).
/// </summary>
public static class TwoStepApi
{
    /// <param name="RememberBrowser">"Don't ask again on this browser": the answer carries a <c>trustedDevice</c> token for the next sign-ins.</param>
    public sealed record TwoStepSignInRequest(string? Challenge, string? Code, bool RememberBrowser = false);

    public sealed record SetUpRequest(string? Password);

    public sealed record EnableRequest(string? Code);

    public sealed record DisableRequest(string? Password, string? Code);

    public sealed record NewRecoveryCodesRequest(string? Password, string? Code);

    /// <summary>Shown once, when turned on: each signs in once without the phone.</summary>
    public sealed record RecoveryCodes(IReadOnlyList<string> Codes);

    /// <summary>A recovery code is "abcd-efgh"; the app's is 6 digits. Longer input is nobody's code.</summary>
    private const int MaxCodeLength = 20;

    public static RouteGroupBuilder MapTwoStepApi(this RouteGroupBuilder group)
    {
        group.MapPost("/signin/two-step", SignInAsync).AllowAnonymous()
            .WithSummary("The second step of signing in when 2-step verification is on: the challenge the sign-in answered and the app's 6-digit code (or a recovery code); " +
                "rememberBrowser: true answers a trustedDevice token that skips the code at this browser's sign-ins for rememberDays (the challenge says how many, TwoStep:TrustedDeviceDays); 409 two-step-turned-off when it was turned off meanwhile; " +
                "409 two-step-codes-unavailable when the app's codes cannot be checked (the stored secret does not open under the configured keys): a recovery code still signs in");
        group.MapGet("/me/two-step", StatusAsync).RequireAuthorization()
            .WithSummary("Whether 2-step verification is on, since when, how many recovery codes are left (recoveryCodesLeft) and how many browsers skip the code (rememberedBrowsers) and for how many days one is remembered (rememberDays)");
        group.MapPost("/me/two-step/setup", SetUpAsync).RequireAuthorization()
            .WithSummary("A new secret for an authenticator app (the password again): the key to type and the otpauth:// link; not asked at sign-in until turned on");
        group.MapPost("/me/two-step/enable", EnableAsync).RequireAuthorization()
            .WithSummary("Turn 2-step verification on with the app's first code: the answer is ten recovery codes, shown this once");
        group.MapPost("/me/two-step/disable", DisableAsync).RequireAuthorization()
            .WithSummary("Turn 2-step verification off: the password and a code (the app's or a recovery code)");
        group.MapPost("/me/two-step/recovery-codes", NewRecoveryCodesAsync).RequireAuthorization()
            .WithSummary("Ten new recovery codes in place of those left (the password and a code): shown this once; mailed");
        group.MapDelete("/me/two-step/remembered-browsers", ForgetBrowsersAsync).RequireAuthorization()
            .WithSummary("Forget every browser remembered at sign-in (\"Don't ask again on this browser\"): each asks for the code again; the status after");
        return group;
    }

    /// <summary>
    /// The answer to a right password when 2-step verification is on: 401 <c>two-step-required</c> with the challenge
    /// to send back with the code, until when it is open, and for how many days "Don't ask again on this browser" would
    /// remember it (<c>rememberDays</c>, <c>TwoStep:TrustedDeviceDays</c>). No token: the password alone signs nobody in.
    /// </summary>
    internal static async Task<ProblemHttpResult> CodeRequiredAsync(TwoStepRequiredException required, TwoSteps twoSteps, CancellationToken ct)
    {
        var (challenge, expiresAt, rememberDays) = await twoSteps.ChallengeAsync(required.Account, ct);
        return TypedResults.Problem(required.Message, statusCode: 401, type: Problems.Problems.Type("two-step-required"),
            extensions: new Dictionary<string, object?> { ["challenge"] = challenge, ["expiresAt"] = expiresAt, ["rememberDays"] = rememberDays });
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> SignInAsync(TwoStepSignInRequest request, HttpContext http,
        HttpResponse response, TwoSteps twoSteps, SignInThrottle throttle, AccountService accounts, AccountNotices notices, ILogger<AccountNotices> logger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Challenge) || request.Challenge.Length > 100) errors["challenge"] = ["challenge is the one the sign-in answered."];
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > MaxCodeLength) errors["code"] = ["code is the 6 digits your authenticator app shows, or a recovery code."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (throttle.TryAcquire("two-step:" + request.Challenge) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        try
        {
            var origin = SessionOrigin.Of(http);
            var session = await twoSteps.CompleteAsync(request.Challenge!, request.Code!.Trim(), request.RememberBrowser, origin, ct);
            await AccountsApi.NoticeNewDeviceAsync(session, origin, accounts, notices, logger);
            return TypedResults.Ok(session);
        }
        catch (TwoStepRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 401, type: Problems.Problems.Type(ex.SignInAgain ? "two-step-expired" : "two-step-code-wrong"));
        }
        catch (TwoStepTurnedOffException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("two-step-turned-off"));
        }
        catch (TwoStepCodesUnavailableException ex)
        {
            return CodesUnavailable(ex);
        }
        catch (AccountSuspendedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 403, type: Problems.Problems.Type("account-suspended"));
        }
    }

    private static async Task<Ok<TwoStepStatus>> StatusAsync(HttpContext http, TwoSteps twoSteps, CancellationToken ct) =>
        TypedResults.Ok(await twoSteps.StatusAsync(CurrentUser.From(http.User)!.UserId, ct));

    private static async Task<Results<Ok<TwoStepSetup>, ValidationProblem, ProblemHttpResult>> SetUpAsync(SetUpRequest request, HttpContext http, HttpResponse response,
        TwoSteps twoSteps, SignInThrottle throttle, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > AccountsApi.MaxPasswordLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = ["password is required: your account's password again."] });
        }
        var userId = CurrentUser.From(http.User)!.UserId;
        if (throttle.TryAcquire(AccountsApi.PasswordCheckKey(userId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        return await Answer(() => twoSteps.SetUpAsync(userId, request.Password, ct));
    }

    private static async Task<Results<Ok<RecoveryCodes>, ValidationProblem, ProblemHttpResult>> EnableAsync(EnableRequest request, HttpContext http, HttpResponse response,
        TwoSteps twoSteps, SignInThrottle throttle, CancellationToken ct)
    {
        if (request.Code?.Trim() is not { Length: Totp.Digits } code || !code.All(char.IsAsciiDigit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["code"] = ["code is the 6 digits your authenticator app shows for UberClone."] });
        }
        var userId = CurrentUser.From(http.User)!.UserId;
        if (throttle.TryAcquire("two-step-enable:" + userId) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        return await Answer(async () => new RecoveryCodes(await twoSteps.EnableAsync(userId, code, ct)));
    }

    /// <summary>What is wrong with a request that proves it is the owner (the password again, and the app's code or a recovery code); null: nothing.</summary>
    private static Dictionary<string, string[]>? PasswordAndCodeErrors(string? password, string? code)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(password) || password.Length > AccountsApi.MaxPasswordLength) errors["password"] = ["password is required: your account's password again."];
        if (string.IsNullOrWhiteSpace(code) || code.Length > MaxCodeLength) errors["code"] = ["code is the 6 digits your authenticator app shows, or a recovery code."];
        return errors.Count > 0 ? errors : null;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DisableAsync(DisableRequest request, HttpContext http, HttpResponse response,
        TwoSteps twoSteps, SignInThrottle throttle, RevokedSessions revoked, Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        if (PasswordAndCodeErrors(request.Password, request.Code) is { } errors) return TypedResults.ValidationProblem(errors);
        var userId = CurrentUser.From(http.User)!.UserId;
        if (throttle.TryAcquire(AccountsApi.PasswordCheckKey(userId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        var answer = await Answer(async () => await twoSteps.DisableAsync(userId, request.Password!, request.Code!.Trim(), ct));
        if (answer.Result is not Ok<DateTimeOffset?> off) return (ProblemHttpResult)answer.Result;
        // A support account that must use it is signed out everywhere, this session too (ADR 0052).
        if (off.Value is { } at) SessionsRevokedHandler.Apply(revoked, connections, userId, at);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RecoveryCodes>, ValidationProblem, ProblemHttpResult>> NewRecoveryCodesAsync(NewRecoveryCodesRequest request, HttpContext http,
        HttpResponse response, TwoSteps twoSteps, SignInThrottle throttle, CancellationToken ct)
    {
        if (PasswordAndCodeErrors(request.Password, request.Code) is { } errors) return TypedResults.ValidationProblem(errors);
        var userId = CurrentUser.From(http.User)!.UserId;
        if (throttle.TryAcquire(AccountsApi.PasswordCheckKey(userId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        return await Answer(async () => new RecoveryCodes(await twoSteps.NewRecoveryCodesAsync(userId, request.Password!, request.Code!.Trim(), ct)));
    }

    private static async Task<Ok<TwoStepStatus>> ForgetBrowsersAsync(HttpContext http, TwoSteps twoSteps, CancellationToken ct) =>
        TypedResults.Ok(await twoSteps.ForgetBrowsersAsync(CurrentUser.From(http.User)!.UserId, ct));

    /// <summary>409 <c>two-step-codes-unavailable</c>: the stored secret does not open (a key missing after a deploy); a recovery code still works.</summary>
    private static ProblemHttpResult CodesUnavailable(TwoStepCodesUnavailableException ex) =>
        TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("two-step-codes-unavailable"));

    /// <summary>
    /// A wrong password is 401 <c>invalid-credentials</c> as for every password asked again; a wrong code 400; a state that
    /// does not allow it, or an account changed between the read and the versioned write (nothing written), 409.
    /// </summary>
    private static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> Answer<T>(Func<Task<T>> act)
    {
        try
        {
            return TypedResults.Ok(await act());
        }
        catch (InvalidCredentialsException ex)
        {
            return AccountsApi.InvalidCredentials(ex);
        }
        catch (TwoStepRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.Type("two-step-code-wrong"));
        }
        catch (TwoStepConflictException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.TypeFor(409));
        }
        catch (TwoStepCodesUnavailableException ex)
        {
            return CodesUnavailable(ex);
        }
        catch (UberClone.Storage.ConcurrencyConflictException)
        {
            // The account changed between the read and the write (another device): nothing was written; asking again reads it anew.
            return TypedResults.Problem("Your account changed meanwhile (on another device); nothing was changed here. Try again.",
                statusCode: 409, type: Problems.Problems.TypeFor(409));
        }
    }
}
