using System.Security.Cryptography;
using UberClone.Contracts.Identity;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// What the account page shows: on or not, since when, how many recovery codes are left, how many browsers are
/// remembered, for how many days a browser is (<see cref="TwoStepOptions.TrustedDeviceDays"/>), and whether the account
/// must keep it (a support account, <see cref="TwoStepOptions.RequiredForSupport"/>).
/// </summary>
public sealed record TwoStepStatus(bool Enabled, DateTimeOffset? EnabledAt, int RecoveryCodesLeft, int RememberedBrowsers, int RememberDays, bool Required = false)
{
    public static TwoStepStatus Of(Account? account, DateTimeOffset now, TwoStepOptions options)
    {
        // Required: a support account must use it (turning it off signs it out everywhere until it is set up again).
        var required = account is not null && options.RequiredForSupport && account.Role == Roles.Operator;
        return account is { DeletedAt: null, TwoStep: { IsOn: true } on }
            ? new(true, on.EnabledAt, on.RecoveryCodesLeft, on.TrustedDevicesAt(now), options.TrustedDeviceDays, required)
            : new(false, null, 0, 0, options.TrustedDeviceDays, required);
    }
}

/// <summary>
/// Configuration section "TwoStep": how many days "Don't ask again on this browser" lasts (<c>TrustedDeviceDays</c>, 30),
/// and whether support accounts must use 2-step verification before they reach the desk (<c>RequiredForSupport</c>: true
/// unless configured otherwise; the gateway's Development settings, which the AppHost's local run uses, and the test
/// fixtures turn it off).
/// </summary>
public sealed record TwoStepOptions(int TrustedDeviceDays, bool RequiredForSupport = false)
{
    public const string RequiredForSupportSetting = "TwoStep:RequiredForSupport";

    public TimeSpan TrustedDeviceLifetime => TimeSpan.FromDays(TrustedDeviceDays);

    public static TwoStepOptions From(IConfiguration configuration) =>
        new(configuration.GetValue("TwoStep:TrustedDeviceDays", 30), configuration.GetValue(RequiredForSupportSetting, true));

    /// <summary>Whether <paramref name="account"/> is a support account that must set up 2-step verification before it uses the desk.</summary>
    public bool SetupRequired(Account account) => RequiredForSupport && account.Role == Roles.Operator && account.TwoStep is not { IsOn: true };
}

/// <summary>A secret to add to the authenticator app: typed (in groups of four) or read from the <c>otpauth://</c> URI.</summary>
public sealed record TwoStepSetup(string Secret, string SetupUri);

/// <summary>A code refused (400 on the account page, 401 at sign-in); <see cref="SignInAgain"/>: the sign-in is over, the password is asked again.</summary>
public sealed class TwoStepRefusedException(string message, bool signInAgain = false) : Exception(message)
{
    public bool SignInAgain { get; } = signInAgain;
}

/// <summary>The account is not in the state the request needs (on already, not set up, off already): 409.</summary>
public sealed class TwoStepConflictException(string message) : Exception(message);

/// <summary>
/// A sign-in waiting for the code, on an account whose 2-step verification was turned off meanwhile (by support for an
/// owner who lost the phone, or by its owner elsewhere): no code is asked any more, the password alone signs in.
/// </summary>
public sealed class TwoStepTurnedOffException() : Exception("2-step verification was turned off for this account; sign in with your password.");

/// <summary>
/// The account's secret does not open under any key this gateway is given (a wrong or missing key after a bad deploy,
/// ADR 0052): no app code can be checked, so one is not refused as wrong (409 <c>two-step-codes-unavailable</c>).
/// Recovery codes are hashes, not sealed, and still work: nobody is locked out.
/// </summary>
public sealed class TwoStepCodesUnavailableException(string message) : Exception(message)
{
    public const string AtSignIn = "Your authenticator codes can't be checked right now — sign in with one of your recovery codes.";
    public const string OnTheAccount = "Your authenticator codes can't be checked right now — use one of your recovery codes instead.";
    public const string WhileSettingUp = "The authenticator key being set up can't be read any more — set up 2-step verification again.";
}

/// <summary>
/// 2-step verification (ADR 0052): setting it up with an authenticator app, the second step of signing in, turning it
/// off (its owner with the password and a code; support for an owner who lost the phone and the recovery codes).
/// </summary>
public sealed class TwoSteps(AccountStore store, AccountService accounts, AccountNotices notices, TwoStepSecrets secrets, TwoStepOptions options, TimeProvider clock,
    ILogger<TwoSteps> logger)
{
    public const string Issuer = "UberClone";

    /// <summary>
    /// The password was right and 2-step verification is on: a challenge for the code, valid a few minutes, and for how
    /// many days "Don't ask again on this browser" would remember this one.
    /// </summary>
    public async Task<(string Challenge, DateTimeOffset ExpiresAt, int RememberDays)> ChallengeAsync(Account account, CancellationToken ct)
    {
        var (id, challenge, stored) = SignInChallenge.New(account.Id, clock.GetUtcNow());
        await store.SignInChallenges.InsertAsync(id, stored, ct: ct);
        return (challenge, stored.ExpiresAt, options.TrustedDeviceDays);
    }

    /// <summary>
    /// The second step: the app's code (or a recovery code, used up) for a challenge still open. The challenge is spent
    /// before the session is issued, so one challenge signs in once however many answers race. With
    /// <paramref name="rememberBrowser"/>, the answer carries a token that skips the code on this browser for
    /// <see cref="TwoStepOptions.TrustedDeviceLifetime"/> (<see cref="TokenPair.TrustedDevice"/>).
    /// </summary>
    public async Task<TokenPair> CompleteAsync(string challenge, string code, bool rememberBrowser, SessionOrigin origin, CancellationToken ct)
    {
        const string again = "This sign-in has expired: sign in again with your password.";
        var id = SignInChallenge.IdOf(challenge);
        var now = clock.GetUtcNow();
        var open = await store.SignInChallenges.GetAsync(id, ct);
        if (open is null || !open.Document.IsOpen(now)) throw new TwoStepRefusedException(again, signInAgain: true);
        var stored = await store.Accounts.GetAsync(open.Document.UserId, ct);
        if (stored is null || stored.Document.DeletedAt is not null) throw new TwoStepRefusedException(again, signInAgain: true);
        if (stored.Document.Suspension is { } suspension) throw new AccountSuspendedException(suspension);

        if (stored.Document.TwoStep is not { IsOn: true } twoStep) throw new TwoStepTurnedOffException();
        var secret = OpenOrNull(stored.Document.Id, twoStep);
        if (twoStep.Accept(stored.Document.Id, secret, code, now) is not { } accepted)
        {
            if (secret is null && Totp.LooksLikeCode(code)) throw new TwoStepCodesUnavailableException(TwoStepCodesUnavailableException.AtSignIn);
            var counted = await store.SignInChallenges.UpdateAsync(id, c => c with { WrongAttempts = c.WrongAttempts + 1 }, ct: ct);
            var left = counted?.AttemptsLeft ?? 0;
            throw left == 0
                ? new TwoStepRefusedException("Too many wrong codes: sign in again with your password.", signInAgain: true)
                : new TwoStepRefusedException($"That code is not right: type the 6 digits your authenticator app shows now, or a recovery code ({left} {(left == 1 ? "try" : "tries")} left).");
        }

        var after = Sealed(stored.Document.Id, accepted.After, secret);
        string? trustedDevice = null;
        if (rememberBrowser) (after, trustedDevice) = after.Trust(stored.Document.Id, now, now + options.TrustedDeviceLifetime);
        try
        {
            await store.SignInChallenges.ReplaceAsync(id, open.Document with { WrongAttempts = SignInChallenge.MaxAttempts }, open.Version, ct: ct);
            stored = await store.Accounts.ReplaceAsync(stored.Document.Id, stored.Document with { TwoStep = after }, stored.Version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Another answer to this challenge, or the same code elsewhere, got there first: a code signs in once.
            throw new TwoStepRefusedException(again, signInAgain: true);
        }
        if (accepted.UsedRecoveryCode)
        {
            logger.LogInformation("Account {UserId} signed in with a recovery code; {Left} left", stored.Document.Id, accepted.After.RecoveryCodesLeft);
            await notices.RecoveryCodeUsed(stored.Document, accepted.After.RecoveryCodesLeft, CancellationToken.None);
        }
        return await accounts.FinishSignInAsync(stored.Document, origin, ct) with { TrustedDevice = trustedDevice };
    }

    public async Task<TwoStepStatus> StatusAsync(string userId, CancellationToken ct) =>
        TwoStepStatus.Of((await store.Accounts.GetAsync(userId, ct))?.Document, clock.GetUtcNow(), options);

    /// <summary>A new secret for the app (the password again); replaces one set up and never confirmed. 409 when on.</summary>
    public async Task<TwoStepSetup> SetUpAsync(string userId, string password, CancellationToken ct)
    {
        var stored = await accounts.CheckPasswordAsync(userId, password, ct);
        if (stored.Document.TwoStep is { IsOn: true }) throw new TwoStepConflictException("2-step verification is on already: turn it off first to use another app.");
        var secret = Totp.NewSecret();
        var setUp = TwoStepVerification.SetUp(secrets.Encrypt(userId, secret), clock.GetUtcNow());
        await store.Accounts.ReplaceAsync(userId, stored.Document with { TwoStep = setUp }, stored.Version, ct: ct);
        return new TwoStepSetup(Grouped(Base32.Encode(secret)), Totp.SetupUri(Issuer, stored.Document.Email, secret));
    }

    /// <summary>The app's first code turns it on; the answer is the recovery codes, shown this once.</summary>
    public async Task<IReadOnlyList<string>> EnableAsync(string userId, string code, CancellationToken ct)
    {
        var stored = await store.Accounts.GetAsync(userId, ct) ?? throw new InvalidCredentialsException("The account no longer exists.");
        var twoStep = stored.Document.TwoStep switch
        {
            null => throw new TwoStepConflictException("Set up 2-step verification first: add the secret to your authenticator app."),
            { IsOn: true } => throw new TwoStepConflictException("2-step verification is on already."),
            var pending => pending,
        };
        var secret = OpenOrNull(userId, twoStep) ?? throw new TwoStepCodesUnavailableException(TwoStepCodesUnavailableException.WhileSettingUp);
        if (twoStep.Enable(userId, secret, code.Trim(), clock.GetUtcNow()) is not { } enabled)
        {
            throw new TwoStepRefusedException("That code is not right: type the 6 digits the app shows for UberClone now (check that the phone's clock is right).");
        }
        var account = (await store.Accounts.ReplaceAsync(userId, stored.Document with { TwoStep = Sealed(userId, enabled.On, secret) }, stored.Version, ct: ct)).Document;
        logger.LogInformation("Account {UserId} turned 2-step verification on", userId);
        await notices.TwoStepOn(account, CancellationToken.None);
        return enabled.RecoveryCodes;
    }

    /// <summary>
    /// Its owner turns it off: the password and a code (the app's or a recovery code), so a phone left unlocked is not
    /// enough. A support account that must use it (<see cref="TwoStepOptions.SetupRequired"/>) is signed out everywhere in
    /// the same write (<see cref="SignedOutOff"/>): the answer is when, for the caller to apply at once; null otherwise.
    /// </summary>
    public async Task<DateTimeOffset?> DisableAsync(string userId, string password, string code, CancellationToken ct)
    {
        var stored = await accounts.CheckPasswordAsync(userId, password, ct);
        if (stored.Document.TwoStep is not { IsOn: true } twoStep) throw new TwoStepConflictException("2-step verification is off already.");
        if (Accepted(userId, twoStep, code, out _) is null) throw new TwoStepRefusedException(WrongCode);
        var (off, signedOutAt) = SignedOutOff(stored.Document, clock.GetUtcNow());
        var account = (await store.Accounts.ReplaceAsync(userId, off, stored.Version, signedOutAt is { } at ? [AccountService.SessionsRevoked(userId, at, userId)] : null, ct)).Document;
        logger.LogInformation("Account {UserId} turned 2-step verification off", userId);
        if (signedOutAt is { } revokedAt) await accounts.RevokeRefreshTokensAsync(userId, revokedAt, CancellationToken.None);
        await notices.TwoStepOff(account, supportReason: null, CancellationToken.None);
        return signedOutAt;
    }

    /// <summary>
    /// <paramref name="account"/> with 2-step verification off. A support account that must use it is also signed out
    /// everywhere as of <paramref name="now"/> (ADR 0052): the tokens it holds were issued with the desk's full access,
    /// and the next sign-in gives a token that only reaches setting it up again. Null time: nothing to sign out.
    /// </summary>
    private (Account Off, DateTimeOffset? SignedOutAt) SignedOutOff(Account account, DateTimeOffset now)
    {
        var off = account with { TwoStep = null };
        return options.SetupRequired(off) ? (off with { SessionsRevokedAt = now }, now) : (off, null);
    }

    /// <summary>
    /// Ten new recovery codes (the password and a code, as to turn it off): every one left stops working, the answer
    /// is the new ones, shown this once, and the owner is mailed.
    /// </summary>
    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(string userId, string password, string code, CancellationToken ct)
    {
        var stored = await accounts.CheckPasswordAsync(userId, password, ct);
        if (stored.Document.TwoStep is not { IsOn: true } twoStep) throw new TwoStepConflictException("2-step verification is off: recovery codes come with turning it on.");
        if (Accepted(userId, twoStep, code, out var secret) is not { } accepted) throw new TwoStepRefusedException(WrongCode);
        var (after, codes) = Sealed(userId, accepted.After, secret).WithNewRecoveryCodes(userId);
        var account = (await store.Accounts.ReplaceAsync(userId, stored.Document with { TwoStep = after }, stored.Version, ct: ct)).Document;
        logger.LogInformation("Account {UserId} made new recovery codes", userId);
        await notices.RecoveryCodesRenewed(account, CancellationToken.None);
        return codes;
    }

    /// <summary>Every browser remembered ("Don't ask again on this browser") is asked for the code again from now.</summary>
    public async Task<TwoStepStatus> ForgetBrowsersAsync(string userId, CancellationToken ct)
    {
        var account = await store.Accounts.UpdateAsync(userId, a => a.TwoStep is { } t ? a with { TwoStep = t.WithoutTrustedDevices() } : a, ct: ct);
        if (account is { DeletedAt: null }) logger.LogInformation("Account {UserId} forgot its remembered browsers", userId);
        return TwoStepStatus.Of(account, clock.GetUtcNow(), options);
    }

    /// <summary>
    /// Support (<paramref name="by"/>) turns it off for an owner who lost their phone and their recovery codes (the
    /// reason is mailed and audited). A support account that must use it is signed out everywhere in the same write
    /// (<see cref="SignedOutOff"/>; <c>SignedOutAt</c>, for the caller to apply at once). Null: no such account.
    /// </summary>
    public async Task<(Account Account, DateTimeOffset? SignedOutAt)?> TurnOffBySupportAsync(string userId, string reason, string by, CancellationToken ct)
    {
        var before = (await store.Accounts.GetAsync(userId, ct))?.Document;
        if (before is null || before.DeletedAt is not null) return null;
        if (before.TwoStep is not { IsOn: true }) throw new TwoStepConflictException("2-step verification is off for this account.");
        var now = clock.GetUtcNow();
        // The outbox sees the account as written: off, and signed out when it must use it.
        var account = await store.Accounts.UpdateAsync(userId, a => SignedOutOff(a, now).Off,
            off => options.SetupRequired(off) ? [AccountService.SessionsRevoked(userId, now, by)] : [], ct);
        if (account is null) return null;
        var signedOutAt = options.SetupRequired(account) ? now : (DateTimeOffset?)null;
        logger.LogInformation("2-step verification of {UserId} turned off by support", userId);
        if (signedOutAt is { } revokedAt) await accounts.RevokeRefreshTokensAsync(userId, revokedAt, CancellationToken.None);
        await notices.TwoStepOff(account, reason, CancellationToken.None);
        return (account, signedOutAt);
    }

    private const string WrongCode = "That code is not right: type the 6 digits your authenticator app shows now, or a recovery code.";

    /// <summary>
    /// What a code typed on the account page (to turn it off, for new recovery codes) does, with the secret it was
    /// checked against (null when it does not open: a recovery code still works, the app's code is answered with
    /// <see cref="TwoStepCodesUnavailableException"/>).
    /// </summary>
    private TwoStepAccepted? Accepted(string userId, TwoStepVerification twoStep, string code, out byte[]? secret)
    {
        secret = OpenOrNull(userId, twoStep);
        var accepted = twoStep.Accept(userId, secret, code, clock.GetUtcNow());
        if (accepted is null && secret is null && Totp.LooksLikeCode(code)) throw new TwoStepCodesUnavailableException(TwoStepCodesUnavailableException.OnTheAccount);
        return accepted;
    }

    /// <summary>The account's secret, or null when it does not open under any key given (logged, naming the account and never the secret).</summary>
    private byte[]? OpenOrNull(string userId, TwoStepVerification twoStep)
    {
        try
        {
            return secrets.Decrypt(userId, twoStep.Secret);
        }
        catch (CryptographicException ex)
        {
            logger.LogError("The 2-step secret of account {UserId} does not open ({Reason}): its authenticator codes cannot be checked until {KeySetting} or {PreviousKeysSetting} " +
                "holds the key it was sealed with; its recovery codes still sign in", userId, ex.Message, TwoStepSecrets.KeySetting, TwoStepSecrets.PreviousKeysSetting);
            return null;
        }
    }

    /// <summary>
    /// A secret stored in the clear before encryption, or sealed under a previous key (or before secrets named their
    /// key), is sealed under the current key in the same versioned write as the change its use makes: no second write
    /// races it. One that did not open (null <paramref name="secret"/>) is kept as it is.
    /// </summary>
    private TwoStepVerification Sealed(string userId, TwoStepVerification twoStep, byte[]? secret) =>
        secret is null || secrets.IsUnderCurrentKey(twoStep.Secret) ? twoStep : twoStep with { Secret = secrets.Encrypt(userId, secret) };

    /// <summary>"ABCD EFGH …": how a person types 32 letters without losing their place.</summary>
    private static string Grouped(string secret) => string.Join(' ', secret.Chunk(4).Select(c => new string(c)));
}
