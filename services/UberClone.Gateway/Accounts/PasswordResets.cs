using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// "Forgot your password?": a six-digit code mailed to the account's email (<see cref="PasswordReset"/>), then the
/// code and a new password sign the user in, and every earlier session ends. Asking tells nobody whether an account
/// has the email: the answer is the same and comes before anything is looked up (<see cref="PasswordResetRequests"/>).
/// </summary>
public sealed class PasswordResets(AccountStore store, AccountService accounts, AccountNotices notices, TimeProvider clock, ILogger<PasswordResets> logger)
{
    private readonly MailedCodes _codes = new(store.PasswordResets, PasswordReset.Lifetime, clock);

    /// <summary>Mails a code when an account (not deleted, not suspended) has this email; does nothing visible otherwise.</summary>
    public async Task RequestAsync(string email, CancellationToken ct)
    {
        var account = await accounts.FindByEmailAsync(AccountService.NormalizeEmail(email), ct);
        if (account is null || account.Suspension is not null)
        {
            logger.LogInformation("A password reset was asked for an email with no account that may use one; nothing sent");
            return;
        }
        await MailCodeAsync(account, ct);
    }

    /// <summary>
    /// Support mails a code to a caller who cannot sign in ("I forgot my password"), to the account's own address (support
    /// never learns or sets a password). False when a code went less than a minute ago (it still works).
    /// </summary>
    public Task<bool> RequestForAsync(Account account, CancellationToken ct)
    {
        if (account.DeletedAt is not null) throw new InvalidOperationException("This account was deleted by its owner.");
        if (account.Suspension is not null) throw new InvalidOperationException("This account is suspended: reinstate it first, or it cannot sign in anyway.");
        return MailCodeAsync(account, ct);
    }

    /// <summary>A new code replaces the account's last one and is mailed; false (nothing sent) within a minute of the last.</summary>
    private async Task<bool> MailCodeAsync(Account account, CancellationToken ct)
    {
        if (await _codes.IssueAsync(account.Id, ct) is not { } code)
        {
            logger.LogInformation("Password reset of {UserId} asked again within {Interval}; no new code", account.Id, MailedCode.MinInterval);
            return false;
        }
        await notices.ResetCode(account, code, ct);
        logger.LogInformation("Password reset code mailed for {UserId}", account.Id);
        return true;
    }

    /// <summary>
    /// The code mailed for this email and a new password: the password is set, every session of the account ends, and
    /// the answer is a new one. Refused (nothing changed, the code kept unless used up) when the code is wrong,
    /// expired or used; a suspended account is told so (and keeps its code).
    /// </summary>
    public async Task<(TokenPair Session, DateTimeOffset RevokedAt)> ConfirmAsync(string email, string code, string newPassword, CancellationToken ct, SessionOrigin? origin = null)
    {
        const string askAgain = "ask for a new code.";
        var account = await accounts.FindByEmailAsync(AccountService.NormalizeEmail(email), ct);
        if (account is null) throw new PasswordResetRefusedException($"No code was asked for, or it was used; {askAgain}");
        await _codes.UseAsync(account.Id, code, reason => new PasswordResetRefusedException(reason), askAgain,
            beforeUse: () => { if (account.Suspension is { } suspension) throw new AccountSuspendedException(suspension); }, ct);
        logger.LogInformation("Password of {UserId} reset with a mailed code", account.Id);
        (TokenPair Session, DateTimeOffset RevokedAt) changed;
        try
        {
            changed = await accounts.SetPasswordAsync(account.Id, newPassword, ct, origin);
        }
        catch (TwoStepRequiredException required)
        {
            // The password is changed; signing in with it waits for the app's code (ADR 0052).
            await NoticesAsync(required.Restored);
            throw;
        }
        await NoticesAsync(changed.Session.Restored == true);
        return changed;

        async Task NoticesAsync(bool restored)
        {
            await notices.PasswordChanged(account, CancellationToken.None);
            if (restored) await notices.AccountKept(account, CancellationToken.None);
        }
    }
}
