using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts.TwoStep;
using UberClone.Gateway.Identity;
using UberClone.Gateway.RateLimiting;

namespace UberClone.Gateway.Accounts;

/// <summary>/api/auth: sign-up, sign-in, refresh and sign-out are open (they are how a token is obtained, or given up with the refresh token); /me needs one.</summary>
public static class AccountsApi
{
    public sealed record VehicleRequest(string? Make, string? Model, string? Plate, string? Colour, string? Class);

    /// <summary><paramref name="TimeZone"/>: the app's IANA time zone, for the times in mails (one this server does not know is left out).</summary>
    public sealed record SignUpRequest(string? Email, string? Password, string? Role, string? Name, VehicleRequest? Vehicle, string? TimeZone = null);

    /// <param name="TrustedDevice">The token a 2-step sign-in with "Don't ask again on this browser" gave (ADR 0052): a valid one skips the code.</param>
    public sealed record SignInRequest(string? Email, string? Password, string? TrustedDevice = null);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record PasswordResetRequest(string? Email);

    public sealed record PasswordResetConfirmRequest(string? Email, string? Code, string? NewPassword);

    /// <summary>The same whether or not an account has the email.</summary>
    public sealed record PasswordResetAccepted(string Message, int CodeLifetimeSeconds);

    /// <summary>Either or both: the name, the IANA time zone mails give times in.</summary>
    public sealed record UpdateMeRequest(string? Name, string? TimeZone = null);

    public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

    public sealed record DeleteAccountRequest(string? Password);

    /// <summary><paramref name="EmailVerified"/>: the owner confirmed the email with a mailed code (until then only codes are mailed to it).</summary>
    /// <summary><paramref name="DeletionGraceSeconds"/>: a deleted account is erased this long after its owner asked (<c>Accounts:DeletionGrace</c>).</summary>
    public sealed record AccountPolicies(long DeletionGraceSeconds);

    /// <summary><paramref name="BusinessProfile"/>: a rider's work email and whether it is confirmed (ADR 0034); null: none.</summary>
    public sealed record MeResponse(string UserId, string Email, string Role, string Name, Vehicle? Vehicle, DateTimeOffset CreatedAt, bool EmailVerified,
        string? TimeZone, BusinessProfileApi.BusinessProfileView? BusinessProfile = null);

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxNameLength = 80;
    public const int MaxEmailLength = 254;

    public static RouteGroupBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Accounts");
        group.MapPost("/signup", SignUpAsync).AllowAnonymous()
            .WithSummary("Create a rider or driver account and sign in");
        group.MapPost("/signin", SignInAsync).AllowAnonymous()
            .WithSummary("Exchange email and password for an access token and a refresh token");
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithSummary("Exchange a refresh token for a new pair (the old refresh token is spent)");
        // The refresh token is the credential here (as in OAuth's token revocation): a user whose access token has
        // already expired can still end their session.
        group.MapPost("/signout", SignOutAsync).AllowAnonymous()
            .WithSummary("Revoke the session of a refresh token (no access token needed)");
        group.MapPost("/signout-everywhere", SignOutEverywhereAsync).RequireAuthorization()
            .WithSummary("End every session of the signed-in user: all devices' tokens and sockets, this one's too");
        group.MapPost("/password-reset", RequestPasswordResetAsync).AllowAnonymous()
            .WithSummary("Forgot the password: mail a six-digit code to the account with this email, if there is one (the answer is the same either way)");
        group.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync).AllowAnonymous()
            .WithSummary("The mailed code and a new password: sign in, every earlier session ended");
        group.MapGet("/policies", (AccountDeletionOptions deletion) => TypedResults.Ok(new AccountPolicies((long)deletion.Grace.TotalSeconds))).AllowAnonymous()
            .WithSummary("What the apps tell users before they act: how long a deleted account is kept (signing in meanwhile keeps it)");
        group.MapGet("/me", MeAsync).RequireAuthorization()
            .WithSummary("The signed-in account");
        group.MapPatch("/me", UpdateMeAsync).RequireAuthorization()
            .WithSummary("Change the signed-in user's name and/or the time zone mails give times in");
        group.MapPost("/me/password", ChangePasswordAsync).RequireAuthorization()
            .WithSummary("Change the password (the current one again): every other session ends, this device gets a new one");
        group.MapPost("/me/email/code", EmailConfirmationApi.SendCodeAsync).RequireAuthorization()
            .WithSummary("Mail a new code to confirm the signed-in user's email (at most one a minute); 409 when confirmed already");
        group.MapPost("/me/email/verify", EmailConfirmationApi.VerifyAsync).RequireAuthorization()
            .WithSummary("Confirm the signed-in user's email with the mailed code: receipts and ride notices are mailed only once it is");
        group.MapPost("/me/email-change", EmailChangeApi.RequestAsync).RequireAuthorization()
            .WithSummary("Move the rider's or driver's account to a new email (the password again): a code is mailed to the new address");
        group.MapPost("/me/email-change/confirm", EmailChangeApi.ConfirmAsync).RequireAuthorization()
            .WithSummary("The code mailed to the new address: the account now signs in with it, and the old address is told");
        group.MapBusinessProfileApi();
        group.MapTwoStepApi();
        group.MapGet("/me/export", AccountExport.ExportAsync).RequireAuthorization()
            .WithSummary("Download my data: the account, saved places, every trip with its receipt, and help requests, as one JSON file");
        group.MapPost("/me/delete", AccountDeletion.DeleteAsync).RequireAuthorization()
            .WithSummary("Delete the signed-in rider's or driver's account (the password again); refused while a trip is under way or unpaid");
        return group;
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, HttpContext http, AccountService accounts, EmailVerifications verifications, ILogger<EmailVerifications> logger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateEmail(request.Email, errors);
        ValidatePassword(request.Password, errors);
        if (!Roles.MaySignUp(request.Role)) errors["role"] = ["role must be 'rider' or 'driver'."];
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength) errors["name"] = [$"name is required, at most {MaxNameLength} characters."];
        var vehicle = request.Role == Roles.Driver ? ValidateVehicle(request.Vehicle, errors) : null;
        if (request.Role == Roles.Rider && request.Vehicle is not null) errors["vehicle"] = ["only drivers have a vehicle."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        try
        {
            var session = await accounts.SignUpAsync(new SignUpCommand(request.Email!, request.Password!, request.Role!, name, vehicle, request.TimeZone), ct, SessionOrigin.Of(http));
            // A code to confirm the email (mailed in the background; "Mail a new code" sends another). The account exists
            // now: a failure here must not answer the sign-up with an error, so it is only logged.
            try
            {
                if (await accounts.GetAsync(session.UserId, ct) is { } account) await verifications.SendAsync(account, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "No email confirmation code could be issued for {UserId} at sign-up", session.UserId);
            }
            return TypedResults.Ok(session);
        }
        catch (EmailTakenException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 409, type: Problems.Problems.Type("email-taken"));
        }
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> SignInAsync(SignInRequest request, HttpContext http, HttpResponse response,
        AccountService accounts, SignInThrottle throttle, AccountNotices notices, TwoStep.TwoSteps twoSteps, ILogger<AccountNotices> logger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > MaxEmailLength) errors["email"] = ["email is required."];
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > MaxPasswordLength) errors["password"] = ["password is required."];
        if (request.TrustedDevice is { Length: > 100 }) errors["trustedDevice"] = ["trustedDevice is the token a sign-in with 2-step verification gave this browser."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        if (throttle.TryAcquire(AccountService.NormalizeEmail(request.Email!)) is { } retryAfter)
        {
            return RateLimits.Problem(response, retryAfter);
        }
        try
        {
            var origin = SessionOrigin.Of(http);
            var session = await accounts.SignInAsync(request.Email!, request.Password!, ct, origin, request.TrustedDevice);
            if (session.Restored == true && await accounts.GetAsync(session.UserId, ct) is { } kept) await notices.AccountKept(kept, CancellationToken.None);
            await NoticeNewDeviceAsync(session, origin, accounts, notices, logger);
            return TypedResults.Ok(session);
        }
        catch (InvalidCredentialsException ex)
        {
            return InvalidCredentials(ex);
        }
        catch (AccountSuspendedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 403, type: Problems.Problems.Type("account-suspended"));
        }
        catch (TwoStepRequiredException required)
        {
            return await TwoStep.TwoStepApi.CodeRequiredAsync(required, twoSteps, ct);
        }
    }

    /// <summary>
    /// A sign-in from a device the account's kept sessions never came from is mailed (ADR 0048). The session exists
    /// already: a failure here is only logged, never the sign-in's answer.
    /// </summary>
    internal static async Task NoticeNewDeviceAsync(TokenPair session, SessionOrigin origin, AccountService accounts, AccountNotices notices, ILogger logger)
    {
        try
        {
            if (await accounts.IsNewDeviceAsync(session.UserId, session.SessionId, origin.Device, CancellationToken.None)
                && await accounts.GetAsync(session.UserId, CancellationToken.None) is { } account)
            {
                await notices.NewSignIn(account, origin.Device, session.SessionId, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not tell whether {UserId} signed in from a new device", session.UserId);
        }
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> RefreshAsync(RefreshRequest request, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["refreshToken is required."] });
        }
        try
        {
            return TypedResults.Ok(await accounts.RefreshAsync(request.RefreshToken, ct, SessionOrigin.Of(http)));
        }
        catch (InvalidCredentialsException ex)
        {
            return InvalidCredentials(ex);
        }
    }

    private static async Task<NoContent> SignOutEverywhereAsync(HttpContext http, AccountService accounts, RevokedSessions revoked,
        Realtime.ConnectionRegistry connections, CancellationToken ct)
    {
        var userId = CurrentUser.From(http.User)!.UserId;
        if (await accounts.SignOutEverywhereAsync(userId, userId, ct) is { } at) SessionsRevokedHandler.Apply(revoked, connections, userId, at);
        return TypedResults.NoContent();
    }

    /// <summary>204 whether or not the token was known: the answer tells nobody which tokens exist.</summary>
    private static async Task<Results<NoContent, ValidationProblem>> SignOutAsync(RefreshRequest request, AccountService accounts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["refreshToken is required."] });
        }
        await accounts.SignOutAsync(request.RefreshToken, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> MeAsync(HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        return await accounts.GetAsync(caller.UserId, ct) is { DeletedAt: null } account
            ? TypedResults.Ok(Me(account))
            : TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
    }

    private static async Task<Results<Accepted<PasswordResetAccepted>, ValidationProblem, ProblemHttpResult>> RequestPasswordResetAsync(
        PasswordResetRequest request, HttpResponse response, PasswordResetRequests resets, SignInThrottle throttle, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateEmail(request.Email, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (throttle.TryAcquire("reset:" + AccountService.NormalizeEmail(request.Email!)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        await resets.EnqueueAsync(request.Email!, ct);
        return TypedResults.Accepted((string?)null, new PasswordResetAccepted(
            "If an account uses this email, a code is on its way to it. It works for 15 minutes.", (int)PasswordReset.Lifetime.TotalSeconds));
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> ConfirmPasswordResetAsync(PasswordResetConfirmRequest request,
        HttpContext http, HttpResponse response, PasswordResets resets, SignInThrottle throttle, RevokedSessions revoked, Realtime.ConnectionRegistry connections,
        TwoStep.TwoSteps twoSteps, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ValidateEmail(request.Email, errors);
        if (request.Code?.Trim() is not { Length: 6 } code || !code.All(char.IsAsciiDigit)) errors["code"] = ["code is the six digits mailed to you."];
        if (request.NewPassword is null || request.NewPassword.Length < MinPasswordLength || request.NewPassword.Length > MaxPasswordLength)
        {
            errors["newPassword"] = [$"newPassword must be {MinPasswordLength}-{MaxPasswordLength} characters."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (throttle.TryAcquire("reset-confirm:" + AccountService.NormalizeEmail(request.Email!)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        try
        {
            var (session, revokedAt) = await resets.ConfirmAsync(request.Email!, request.Code!.Trim(), request.NewPassword!, ct, SessionOrigin.Of(http));
            SessionsRevokedHandler.Apply(revoked, connections, session.UserId, revokedAt);
            return TypedResults.Ok(session);
        }
        catch (PasswordResetRefusedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, type: Problems.Problems.Type("reset-code-refused"));
        }
        catch (TwoStepRequiredException required)
        {
            // The new password is set and every session ended; signing in with it still takes the app's code (ADR 0052).
            if (required.RevokedAt is { } at) SessionsRevokedHandler.Apply(revoked, connections, required.Account.Id, at);
            return await TwoStep.TwoStepApi.CodeRequiredAsync(required, twoSteps, ct);
        }
        catch (AccountSuspendedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 403, type: Problems.Problems.Type("account-suspended"));
        }
    }

    private static async Task<Results<Ok<MeResponse>, ValidationProblem, ProblemHttpResult>> UpdateMeAsync(UpdateMeRequest request, HttpContext http, AccountService accounts, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (name is null && request.TimeZone is null) errors["name"] = ["give a name, a timeZone, or both."];
        if (name is { Length: 0 or > MaxNameLength }) errors["name"] = [$"name is at most {MaxNameLength} characters, not empty."];
        var zone = request.TimeZone is null ? null : TimeZones.Find(request.TimeZone);
        if (request.TimeZone is not null && zone is null) errors["timeZone"] = ["timeZone must be an IANA time zone such as Europe/Berlin."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await accounts.UpdateProfileAsync(CurrentUser.From(http.User)!.UserId, name, zone?.Id, ct) is { } account
            ? TypedResults.Ok(Me(account))
            : TypedResults.Problem("The account no longer exists.", statusCode: 404, type: Problems.Problems.TypeFor(404));
    }

    private static async Task<Results<Ok<TokenPair>, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(ChangePasswordRequest request, HttpContext http,
        HttpResponse response, AccountService accounts, AccountNotices notices, SignInThrottle throttle, RevokedSessions revoked, Realtime.ConnectionRegistry connections,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > MaxPasswordLength) errors["currentPassword"] = ["currentPassword is required."];
        if (request.NewPassword is null || request.NewPassword.Length < MinPasswordLength || request.NewPassword.Length > MaxPasswordLength)
        {
            errors["newPassword"] = [$"newPassword must be {MinPasswordLength}-{MaxPasswordLength} characters."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var userId = CurrentUser.From(http.User)!.UserId;
        if (throttle.TryAcquire(PasswordCheckKey(userId)) is { } retryAfter) return RateLimits.Problem(response, retryAfter);
        try
        {
            var (session, revokedAt) = await accounts.ChangePasswordAsync(userId, request.CurrentPassword!, request.NewPassword!, ct, SessionOrigin.Of(http));
            SessionsRevokedHandler.Apply(revoked, connections, userId, revokedAt);
            if (await accounts.GetAsync(userId, ct) is { } account) await notices.PasswordChanged(account, CancellationToken.None);
            return TypedResults.Ok(session);
        }
        catch (InvalidCredentialsException ex)
        {
            return InvalidCredentials(ex);
        }
        catch (SamePasswordException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = [ex.Message] });
        }
    }

    /// <summary>Password checks of a signed-in account share the sign-in limit's size, in a bucket of their own per account.</summary>
    internal static string PasswordCheckKey(string userId) => "account:" + userId;

    internal static MeResponse Me(Account account) =>
        new(account.Id, account.Email, account.Role, account.Name, account.Vehicle, account.CreatedAt, account.EmailVerifiedAt is not null, account.TimeZone,
            BusinessProfileApi.BusinessProfileView.Of(account));

    internal static ProblemHttpResult InvalidCredentials(InvalidCredentialsException ex) =>
        TypedResults.Problem(ex.Message, statusCode: 401, type: Problems.Problems.Type("invalid-credentials"));

    internal static void ValidateEmail(string? email, Dictionary<string, string[]> errors, string field = "email")
    {
        var valid = !string.IsNullOrWhiteSpace(email) && email.Length <= MaxEmailLength
            && MailAddress.TryCreate(email.Trim(), out var address) && address.Address == email.Trim() && address.Host.Contains('.');
        if (!valid) errors[field] = [$"{field} must be a valid address like name@example.com."];
    }

    internal static void ValidatePassword(string? password, Dictionary<string, string[]> errors)
    {
        if (password is null || password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            errors["password"] = [$"password must be {MinPasswordLength}-{MaxPasswordLength} characters."];
        }
    }

    internal static Vehicle? ValidateVehicle(VehicleRequest? vehicle, Dictionary<string, string[]> errors)
    {
        if (vehicle is null)
        {
            errors["vehicle"] = ["drivers must give their vehicle: make, model, plate, colour, class."];
            return null;
        }
        var make = Text(vehicle.Make, "vehicle.make", 40, errors);
        var model = Text(vehicle.Model, "vehicle.model", 40, errors);
        var plate = Text(vehicle.Plate, "vehicle.plate", 16, errors)?.ToUpperInvariant();
        if (plate is not null && !plate.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-'))
        {
            errors["vehicle.plate"] = ["vehicle.plate may contain only letters, digits, spaces and dashes."];
        }
        var colour = Text(vehicle.Colour, "vehicle.colour", 30, errors);
        if (!VehicleClasses.IsKnown(vehicle.Class))
        {
            errors["vehicle.class"] = [$"vehicle.class must be one of: {string.Join(", ", VehicleClasses.All)}."];
        }
        return errors.Keys.Any(k => k.StartsWith("vehicle", StringComparison.Ordinal))
            ? null
            : new Vehicle(make!, model!, plate!, colour!, vehicle.Class!);
    }

    private static string? Text(string? value, string field, int maxLength, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > maxLength)
        {
            errors[field] = [$"{field} is required, at most {maxLength} characters."];
            return null;
        }
        return trimmed;
    }
}
