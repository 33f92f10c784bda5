using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Identity;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

public sealed record SignUpCommand(string Email, string Password, string Role, string Name, Vehicle? Vehicle, string? TimeZone = null);

/// <summary>
/// What sign-up, sign-in and refresh return: a short-lived access token and the refresh token that renews it.
/// <see cref="ExpiresIn"/> (seconds, OAuth's expires_in) is what a client should time its renewal by: a phone whose
/// clock is off would read <see cref="ExpiresAt"/> as long past or far ahead.
/// </summary>
public sealed record TokenPair(
    string UserId,
    string Role,
    string Name,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string TokenType = "Bearer")
{
    public int ExpiresIn { get; init; }

    /// <summary>True when this sign-in called off a deletion its owner had asked for (null otherwise).</summary>
    public bool? Restored { get; init; }

    /// <summary>
    /// A 2-step sign-in with "Don't ask again on this browser" (ADR 0052): the token the browser sends with its next
    /// sign-ins to skip the code (null otherwise).
    /// </summary>
    public string? TrustedDevice { get; init; }

    /// <summary>
    /// A support account that must use 2-step verification and has not set it up (ADR 0052, <c>TwoStep:RequiredForSupport</c>):
    /// true, and the access token reaches only the 2-step setup routes, <c>/api/auth/me</c> and signing out (null otherwise).
    /// </summary>
    public bool? TwoStepSetupRequired { get; init; }

    /// <summary>The session the tokens belong to (ADR 0048); the access token names it too.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string SessionId { get; init; } = "";
}

public enum OperatorAccountOutcome { Created, Updated, Unchanged, EmailTakenByUser }

public sealed class EmailTakenException() : Exception("An account with this email already exists.");

public sealed class InvalidCredentialsException(string message) : Exception(message);

public sealed class SamePasswordException() : Exception("The new password must differ from the current one.");

/// <summary>The password was right, and 2-step verification is on: the authenticator app's code is asked next (ADR 0052).</summary>
public sealed class TwoStepRequiredException(Account account) : Exception("Enter the 6-digit code from your authenticator app.")
{
    public Account Account { get; } = account;

    /// <summary>A password reset that got this far ended every session then (they stay ended).</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>A password reset that got this far kept an account whose deletion waited.</summary>
    public bool Restored { get; init; }
}

/// <summary>The password was right, but support suspended the account.</summary>
public sealed class AccountSuspendedException(Suspension suspension)
    : Exception($"This account is suspended ({suspension.Reason}). Contact support.");

/// <summary>Accounts and sessions. Passwords are hashed with Identity's PasswordHasher (PBKDF2-SHA512, 100k iterations, salted).</summary>
public sealed class AccountService(AccountStore store, TokenService tokens, IOptions<JwtOptions> options, TimeProvider clock, ILogger<AccountService> logger,
    Operations.OperatorBootstrapOptions bootstrap, AccountDeletionOptions deletion, TwoStep.TwoStepOptions twoStep)
{
    private static readonly PasswordHasher<Account> Hasher = new();
    /// <summary>Verified against when the email is unknown, so a miss costs as much time as a wrong password.</summary>
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-real-password-" + Guid.NewGuid());

    public async Task<TokenPair> SignUpAsync(SignUpCommand command, CancellationToken ct, SessionOrigin? origin = null) =>
        await IssueAsync(await CreateAsync(command, ct), familyId: null, ct, origin: origin);

    private async Task<Account> CreateAsync(SignUpCommand command, CancellationToken ct, bool emailVerified = false)
    {
        var email = NormalizeEmail(command.Email);
        await FreeStaleClaimAsync(email, ct);

        var id = command.Role switch { Roles.Rider => "r", Roles.Driver => "d", _ => "o" } + Guid.CreateVersion7().ToString("N");
        var now = clock.GetUtcNow();
        var account = new Account(id, email, command.Role, command.Name, "", command.Vehicle, now, EmailVerifiedAt: emailVerified ? now : null,
            TimeZone: TimeZones.Find(command.TimeZone)?.Id);
        account = account with { PasswordHash = Hasher.HashPassword(account, command.Password) };
        // The account first: if the email claim then loses a race, an unreachable account is left, never a claim without one.
        account = account with { ZoneTold = TimeZoneSet(account, now).Count > 0 };
        await store.Accounts.InsertAsync(id, account, TimeZoneSet(account, now), ct);
        try
        {
            await store.Emails.InsertAsync(email, new EmailClaim(id), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            throw new EmailTakenException();
        }
        logger.LogInformation("Account {UserId} ({Role}) created", id, command.Role);
        return account;
    }

    /// <summary>
    /// The password signs in, or (2-step verification on) asks for the app's code next, unless
    /// <paramref name="trustedDevice"/> is a browser its owner asked not to be asked again on (ADR 0052).
    /// </summary>
    public async Task<TokenPair> SignInAsync(string email, string password, CancellationToken ct, SessionOrigin? origin = null, string? trustedDevice = null)
    {
        var account = await FindByEmailAsync(NormalizeEmail(email), ct);
        var result = Hasher.VerifyHashedPassword(account!, account?.PasswordHash ?? DummyHash, password);
        if (account is null || result == PasswordVerificationResult.Failed)
        {
            throw new InvalidCredentialsException("The email or password is wrong.");
        }
        // Only to whoever knows the password: an account's being suspended is not told to anyone who asks.
        if (account.Suspension is { } suspension) throw new AccountSuspendedException(suspension);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await RehashAsync(account, password, ct);
        }
        // The password is half of it when 2-step verification is on (ADR 0052): the app's code is asked next, except on a browser remembered.
        if (account.TwoStep is { IsOn: true } twoStep && !twoStep.Trusts(account.Id, trustedDevice, clock.GetUtcNow())) throw new TwoStepRequiredException(account);
        return await FinishSignInAsync(account, origin, ct);
    }

    /// <summary>
    /// A sign-in whose every step passed (the password, and the app's code when 2-step verification is on): a new
    /// session. Signing in while a deletion waits keeps the account (what a user who changed their mind does).
    /// </summary>
    public async Task<TokenPair> FinishSignInAsync(Account account, SessionOrigin? origin, CancellationToken ct)
    {
        if (account.DeletionRequestedAt is not null && await KeepAsync(account.Id, ct) is { } kept)
        {
            return await IssueAsync(kept, familyId: null, ct, origin: origin) with { Restored = true };
        }
        return await IssueAsync(account, familyId: null, ct, origin: origin);
    }

    /// <summary>
    /// The owner asked to delete the account (ADR 0017): every session ends now (<c>account.event.sessions_revoked</c>),
    /// and <c>account.event.closing</c> has trips cancel what they booked ahead and drivers take a driver offline; the
    /// account itself (its email claim too) is kept until <see cref="AccountDeletionOptions.Grace"/> has passed, then
    /// erased by <see cref="AccountErasure"/>. Signing in before then keeps it. Returns the account (its
    /// <see cref="Account.EraseAt"/>: when it will be erased); a repeat keeps the first date.
    /// </summary>
    public async Task<Account> ScheduleDeletionAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var closing = await store.Accounts.UpdateAsync(userId, a => a.Closing(now, now + deletion.Grace),
            a => a.DeletionRequestedAt == now
                ? [
                    OutboxMessages.Create(Topics.AccountClosing, userId, new AccountClosingIntegrationEvent(userId, a.Role, now, a.EraseAt!.Value)),
                    OutboxMessages.Create(Topics.AccountSessionsRevoked, userId, new AccountSessionsRevokedIntegrationEvent(userId, now, userId)),
                ]
                : [], ct) ?? throw new InvalidCredentialsException("The account no longer exists.");
        await RevokeRefreshTokensAsync(userId, now, ct);
        logger.LogInformation("Account {UserId} ({Role}) asked to be deleted; erased at {EraseAt:u} unless its owner signs in", userId, closing.Role, closing.EraseAt);
        return closing;
    }

    /// <summary>
    /// Calls off a deletion asked for (the owner signed in, or reset their password, or support did it for them:
    /// <paramref name="by"/>). Null when the account is gone.
    /// </summary>
    public async Task<Account?> KeepAsync(string userId, CancellationToken ct, string? by = null)
    {
        var kept = await store.Accounts.UpdateAsync(userId, a => a.DeletedAt is null ? a.Kept() : a, ct: ct);
        if (kept is null || kept.DeletedAt is not null) return null;
        logger.LogInformation("Account {UserId} kept before it was erased, by {By}", userId, by ?? "its owner");
        return kept;
    }

    /// <summary>
    /// When a session issued now counts as issued: tokens carry their issue time in whole seconds and those issued until
    /// the account's last revocation are refused, so within the second of one it counts from the next.
    /// </summary>
    private DateTimeOffset AfterRevocation(Account account)
    {
        var now = clock.GetUtcNow();
        return account.SessionsRevokedAt is { } revoked && now.ToUnixTimeSeconds() <= revoked.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(revoked.ToUnixTimeSeconds() + 1)
            : now;
    }

    /// <summary>The accounts whose deletion is due at <paramref name="now"/> (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<Account>> DueForErasureAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        [.. (await store.Accounts.QueryUpToAsync(Account.EraseAtField, now.ToUnixTimeMilliseconds(), limit, ct)).Select(a => a.Document)];

    /// <summary>Rotates: the presented token is spent and a new pair is issued. A spent token presented again revokes its whole family.</summary>
    public async Task<TokenPair> RefreshAsync(string refreshToken, CancellationToken ct, SessionOrigin? origin = null)
    {
        var now = clock.GetUtcNow();
        var stored = await store.RefreshTokens.GetAsync(Hash(refreshToken), ct)
            ?? throw new InvalidCredentialsException("The refresh token is not valid.");
        if (stored.Document.ReplacedBy is not null)
        {
            logger.LogWarning("Refresh token of {UserId} was reused; revoking its family", stored.Document.UserId);
            await RevokeFamilyAsync(stored.Document.FamilyId, ct);
        }
        if (!stored.Document.IsUsable(now)) throw new InvalidCredentialsException("The refresh token is expired or revoked; sign in again.");

        var account = (await store.Accounts.GetAsync(stored.Document.UserId, ct))?.Document
            ?? throw new InvalidCredentialsException("The account no longer exists.");
        if (account.DeletedAt is not null) throw new InvalidCredentialsException("The account no longer exists.");
        if (account.Suspension is not null) throw new InvalidCredentialsException("This account is suspended; sign in to see why.");
        if (account.DeletionRequestedAt is not null) throw new InvalidCredentialsException("This account is being deleted; sign in to keep it.");
        // Signed out everywhere after this token was issued (a token the revocation loop did not reach, e.g. made meanwhile).
        if (account.SessionsRevokedAt is { } revokedAt && (stored.Document.IssuedAt ?? DateTimeOffset.MinValue) <= revokedAt)
        {
            throw new InvalidCredentialsException("This session was signed out everywhere; sign in again.");
        }
        // Ended from another device (ADR 0048): a rotation racing the end finds it here even if the family's revocation missed its token.
        if ((await store.Sessions.GetAsync(stored.Document.FamilyId, ct))?.Document.EndedAt is not null)
        {
            throw new InvalidCredentialsException("This session was signed out; sign in again.");
        }
        var next = NewRefreshTokenValue();
        try
        {
            await store.RefreshTokens.ReplaceAsync(stored.Id, stored.Document with { ReplacedBy = Hash(next) }, stored.Version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            throw new InvalidCredentialsException("The refresh token was already used.");
        }
        return await IssueAsync(account, stored.Document.FamilyId, ct, next, origin);
    }

    /// <summary>Revokes the session (the whole rotation family) of a refresh token; whoever holds it may end it. Unknown tokens are ignored.</summary>
    public async Task SignOutAsync(string refreshToken, CancellationToken ct)
    {
        if (await store.RefreshTokens.GetAsync(Hash(refreshToken), ct) is { } stored)
        {
            await RevokeFamilyAsync(stored.Document.FamilyId, ct);
        }
    }

    /// <summary>
    /// Makes the configured support account exist with this password: created when its email is free, its password (and
    /// name) set again when it exists as an operator. An email taken by a rider or driver is refused: configuration
    /// must never turn someone's account into the support desk's.
    /// </summary>
    public async Task<OperatorAccountOutcome> EnsureOperatorAsync(string email, string password, string name, CancellationToken ct)
    {
        email = NormalizeEmail(email);
        while (true)
        {
            if (await store.Emails.GetAsync(email, ct) is { } claim)
            {
                var stored = await store.Accounts.GetAsync(claim.Document.AccountId, ct)
                    ?? throw new InvalidOperationException($"The email {email} is claimed by account {claim.Document.AccountId}, which does not exist.");
                if (stored.Document.Role != Roles.Operator) return OperatorAccountOutcome.EmailTakenByUser;
                var account = stored.Document;
                if (Hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Success && account.Name == name)
                {
                    return OperatorAccountOutcome.Unchanged;
                }
                try
                {
                    await store.Accounts.ReplaceAsync(account.Id, account with { Name = name, PasswordHash = Hasher.HashPassword(account, password) }, stored.Version, ct: ct);
                    logger.LogInformation("Operator account {UserId} updated from configuration", account.Id);
                    return OperatorAccountOutcome.Updated;
                }
                catch (ConcurrencyConflictException)
                {
                    continue; // another replica updated it meanwhile: read again
                }
            }
            try
            {
                // Its email is configuration, not someone's claim: confirmed.
                await CreateAsync(new SignUpCommand(email, password, Roles.Operator, name, null), ct, emailVerified: true);
                return OperatorAccountOutcome.Created;
            }
            catch (EmailTakenException)
            {
                // Another replica created it first: read it again.
            }
        }
    }

    /// <summary>
    /// Ends every session of the user at once (a lost phone, a stolen password; or support for them): the account
    /// records when, with <c>account.event.sessions_revoked</c> in the same write (every gateway replica then refuses
    /// access tokens issued until then and closes their sockets), and every refresh token is revoked; browsers remembered
    /// for 2-step verification are asked for the code again (ADR 0052). Null when there is no such account. Safe to repeat.
    /// </summary>
    public async Task<DateTimeOffset?> SignOutEverywhereAsync(string userId, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId, a => a with { SessionsRevokedAt = now, TwoStep = a.TwoStep?.WithoutTrustedDevices() },
            a => [SessionsRevoked(userId, now, by)], ct);
        if (account is null) return null;
        await RevokeRefreshTokensAsync(userId, now, ct);
        logger.LogInformation("Every session of {UserId} ended (by {By})", userId, by);
        return now;
    }

    /// <summary>
    /// The message of <see cref="SignOutEverywhereAsync"/>, for a write that ends every session as part of another change
    /// (in its outbox, with <see cref="Account.SessionsRevokedAt"/> set to <paramref name="at"/>; then
    /// <see cref="RevokeRefreshTokensAsync"/>).
    /// </summary>
    public static OutboxMessage SessionsRevoked(string userId, DateTimeOffset at, string by) =>
        OutboxMessages.Create(Topics.AccountSessionsRevoked, userId, new AccountSessionsRevokedIntegrationEvent(userId, at, by));

    /// <summary>Every refresh token of the user not revoked yet is, as of <paramref name="now"/> (after a write that set <see cref="Account.SessionsRevokedAt"/>).</summary>
    public async Task RevokeRefreshTokensAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var token in await store.RefreshTokens.QueryAsync("userId", userId, 1000, ct))
        {
            if (token.Document.RevokedAt is not null) continue;
            try
            {
                await store.RefreshTokens.ReplaceAsync(token.Id, token.Document with { RevokedAt = now }, token.Version, ct: ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Rotated meanwhile: its successor was issued before now, and the account's SessionsRevokedAt refuses it.
            }
        }
    }

    /// <summary>
    /// Support suspends a rider's or driver's account (fraud, abuse): it can no longer sign in or renew, and every
    /// session of it ends at once (<see cref="SignOutEverywhereAsync"/>). Null when there is no such account; a repeat
    /// keeps the first suspension.
    /// </summary>
    public async Task<(Account Account, DateTimeOffset RevokedAt)?> SuspendAsync(string userId, string reason, string by, CancellationToken ct)
    {
        var stored = (await store.Accounts.GetAsync(userId, ct))?.Document;
        if (stored is null) return null;
        if (stored.DeletedAt is not null) throw new InvalidOperationException("This account was deleted by its owner.");
        // A colleague who left (or whose account was misused) is suspended like anyone: not by themselves (someone must
        // be left to lift it), and never the desk's first account, which configuration makes and keeps.
        if (stored.Role == Roles.Operator && userId == by) throw new InvalidOperationException("You cannot suspend your own account: a colleague can.");
        if (stored.Role == Roles.Operator && bootstrap.Email is { } first && NormalizeEmail(first) == stored.Email)
        {
            throw new InvalidOperationException($"This is the support desk's first account, made from configuration ({Operations.OperatorBootstrapOptions.Section}): change or remove it there.");
        }
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId, a => a.Suspension is null ? a with { Suspension = new Suspension(reason, now, by) } : a,
            a => [OutboxMessages.Create(Topics.AccountSuspended, userId, new AccountSuspendedIntegrationEvent(userId, a.Role, reason, now, by))], ct);
        if (account is null) return null;
        logger.LogInformation("Account {UserId} suspended by {By}", userId, by);
        return await SignOutEverywhereAsync(userId, by, ct) is { } revokedAt ? (account, revokedAt) : null;
    }

    /// <summary>
    /// The signed-in user's account when <paramref name="password"/> is its password (a change to the account asks for it
    /// again: a phone left unlocked must not be enough to take it over or delete it).
    /// </summary>
    public async Task<Versioned<Account>> CheckPasswordAsync(string userId, string password, CancellationToken ct)
    {
        var stored = await store.Accounts.GetAsync(userId, ct);
        if (stored is null || stored.Document.DeletedAt is not null) throw new InvalidCredentialsException("The account no longer exists.");
        if (Hasher.VerifyHashedPassword(stored.Document, stored.Document.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            throw new InvalidCredentialsException("The password is wrong.");
        }
        return stored;
    }

    /// <summary>
    /// A new password, after the current one was given again. Every session ends, on every device (whoever else knew the
    /// old password is out), this device's old tokens too, and this device gets a new session whose tokens are issued
    /// from the next whole second (tokens carry their issue time in seconds, and those issued until the change are refused).
    /// </summary>
    public async Task<(TokenPair Session, DateTimeOffset RevokedAt)> ChangePasswordAsync(string userId, string currentPassword, string newPassword, CancellationToken ct,
        SessionOrigin? origin = null)
    {
        while (true)
        {
            var stored = await CheckPasswordAsync(userId, currentPassword, ct);
            if (Hasher.VerifyHashedPassword(stored.Document, stored.Document.PasswordHash, newPassword) != PasswordVerificationResult.Failed)
            {
                throw new SamePasswordException();
            }
            try
            {
                return await SetPasswordAtAsync(stored, newPassword, ct, origin: origin);
            }
            catch (ConcurrencyConflictException)
            {
                // Changed meanwhile (another device's change of password?): check the password again.
            }
        }
    }

    /// <summary>
    /// A new password without the old one (a mailed code proved the email is theirs, <see cref="PasswordResets"/>):
    /// every session ends, and the answer is a new one, as for <see cref="ChangePasswordAsync"/>.
    /// </summary>
    public async Task<(TokenPair Session, DateTimeOffset RevokedAt)> SetPasswordAsync(string userId, string newPassword, CancellationToken ct, SessionOrigin? origin = null)
    {
        while (true)
        {
            var stored = await store.Accounts.GetAsync(userId, ct);
            if (stored is null || stored.Document.DeletedAt is not null) throw new InvalidCredentialsException("The account no longer exists.");
            try
            {
                return await SetPasswordAtAsync(stored, newPassword, ct, emailProven: true, origin: origin);
            }
            catch (ConcurrencyConflictException)
            {
                // The account changed meanwhile: read it again.
            }
        }
    }

    /// <summary>
    /// The password set on the account as read (else <see cref="ConcurrencyConflictException"/>), then every session
    /// ended (and every browser remembered for 2-step verification forgotten) and a new one issued. <paramref name="emailProven"/>: a code mailed to the account's email was used, so the
    /// email is confirmed too.
    /// </summary>
    private async Task<(TokenPair Session, DateTimeOffset RevokedAt)> SetPasswordAtAsync(Versioned<Account> stored, string newPassword, CancellationToken ct, bool emailProven = false,
        SessionOrigin? origin = null)
    {
        var (account, userId, now) = (stored.Document, stored.Document.Id, clock.GetUtcNow());
        var changed = account with
        {
            PasswordHash = Hasher.HashPassword(account, newPassword), SessionsRevokedAt = now, TwoStep = account.TwoStep?.WithoutTrustedDevices(),
            EmailVerifiedAt = account.EmailVerifiedAt ?? (emailProven ? now : null),
        };
        // A reset by mailed code is a sign-in by another way: it keeps an account whose deletion waits, like signing in.
        var restored = emailProven && account.DeletionRequestedAt is not null;
        if (restored) changed = changed.Kept();
        await store.Accounts.ReplaceAsync(userId, changed, stored.Version,
            [OutboxMessages.Create(Topics.AccountSessionsRevoked, userId, new AccountSessionsRevokedIntegrationEvent(userId, now, userId))], ct);
        await RevokeRefreshTokensAsync(userId, now, ct);
        logger.LogInformation("Account {UserId} has a new password; every other session ended", userId);
        // A mailed code proves the mailbox, not the phone: with 2-step verification on, the app's code is still asked.
        if (emailProven && changed.TwoStep is { IsOn: true }) throw new TwoStepRequiredException(changed) { RevokedAt = now, Restored = restored };
        var session = await IssueAsync(changed, familyId: null, ct, origin: origin);
        return (restored ? session with { Restored = true } : session, now);
    }

    /// <summary>The account's email confirmed now (kept if it already was). Null when there is no such account (or it was deleted).</summary>
    public async Task<Account?> ConfirmEmailAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId, a => a.DeletedAt is not null || a.EmailVerifiedAt is not null ? a : a with { EmailVerifiedAt = now }, ct: ct);
        return account?.DeletedAt is null ? account : null;
    }

    /// <summary>The name riders and drivers see of the user. Null when there is no such account (or it was deleted).</summary>
    public async Task<Account?> RenameAsync(string userId, string name, CancellationToken ct) => await UpdateProfileAsync(userId, name, null, ct);

    /// <summary>
    /// The name riders and drivers see and the time zone mails use (each unchanged when null). Null when there is no
    /// such account (or it was deleted).
    /// </summary>
    public async Task<Account?> UpdateProfileAsync(string userId, string? name, string? timeZone, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zoneChanged = false;
        var account = await store.Accounts.UpdateAsync(userId, a =>
            {
                zoneChanged = a.DeletedAt is null && (timeZone ?? a.TimeZone) != a.TimeZone;
                return a.DeletedAt is not null || ((name ?? a.Name) == a.Name && (timeZone ?? a.TimeZone) == a.TimeZone)
                    ? a
                    : a with { Name = name ?? a.Name, TimeZone = timeZone ?? a.TimeZone, ZoneTold = a.ZoneTold || zoneChanged && a.Role == Roles.Driver };
            },
            a => zoneChanged ? TimeZoneSet(a, now) : [], ct);
        return account?.DeletedAt is null ? account : null;
    }

    /// <summary>
    /// Tells payments the time zone of every driver whose zone it was never told (accounts from before drivers' zones were
    /// told, ADR 0025): until then their weekly payout runs on UTC weeks. Once per account (<see cref="Account.ZoneTold"/>,
    /// written with the event); several gateways doing it at once tell each driver once. How many were told.
    /// </summary>
    public async Task<int> TellUntoldTimeZonesAsync(CancellationToken ct)
    {
        var told = 0;
        await foreach (var found in store.Accounts.QueryAllAsync("role", Roles.Driver, ct))
        {
            if (!Untold(found.Document)) continue;
            var now = clock.GetUtcNow();
            var telling = false;
            await store.Accounts.UpdateAsync(found.Id, a =>
                {
                    telling = Untold(a);
                    return telling ? a with { ZoneTold = true } : a;
                },
                a => TimeZoneSet(a, now), ct);
            if (telling) told++;
        }
        return told;

        static bool Untold(Account a) => a is { ZoneTold: false, DeletedAt: null, TimeZone: not null };
    }

    /// <summary>
    /// A driver's time zone, for payments (<c>account.event.time_zone_set</c>): their weekly payout is due at Monday
    /// 00:00 there, when their statement's week ends (ADR 0025). Written with the account, so it is never lost.
    /// </summary>
    private static IReadOnlyList<OutboxMessage> TimeZoneSet(Account account, DateTimeOffset now) =>
        account is { Role: Roles.Driver, TimeZone: { } zone }
            ? [OutboxMessages.Create(Topics.AccountTimeZoneSet, account.Id, new AccountTimeZoneSetIntegrationEvent(account.Id, account.Role, zone, now))]
            : [];

    /// <summary>Turns categories of mail on or off (ids the caller checked). Null when there is no such account (or it was deleted).</summary>
    public async Task<Account?> SetMailAsync(string userId, IReadOnlyDictionary<string, bool> changes, CancellationToken ct)
    {
        var account = await store.Accounts.UpdateAsync(userId, a => a.DeletedAt is not null ? a : a.WithMail(changes), ct: ct);
        return account?.DeletedAt is null ? account : null;
    }

    /// <summary>
    /// Erases the account now (what <see cref="AccountErasure"/> does once the grace after its owner's request is over):
    /// the record becomes a tombstone (<see cref="Account.Erased"/>) with <c>account.event.deleted</c> and
    /// <c>account.event.sessions_revoked</c> in the same write, then the email is freed, every refresh token revoked and
    /// the saved places erased. An account already erased is not erased again (<see cref="InvalidCredentialsException"/>);
    /// an email claim a stopped erasure left is freed by the next sign-up with that email. Returns when the sessions ended.
    /// </summary>
    public async Task<DateTimeOffset> DeleteAsync(string userId, CancellationToken ct) =>
        await EraseAsync(userId, dueBy: null, ct) ?? throw new InvalidCredentialsException("The account no longer exists.");

    /// <summary>
    /// <see cref="DeleteAsync"/> for an account whose deletion was asked for and is due by <paramref name="dueBy"/>
    /// (null: any account): an owner who signed in meanwhile kept it, and it is left alone (null returned).
    /// </summary>
    public async Task<DateTimeOffset?> EraseAsync(string userId, DateTimeOffset? dueBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if ((await store.Accounts.GetAsync(userId, ct))?.Document is not { } before) return null;
        bool Due(Account a) => dueBy is not { } by || (a.EraseAtMs is { } at && at <= by.ToUnixTimeMilliseconds());
        if (!Due(before)) return null;
        var erased = await store.Accounts.UpdateAsync(userId, a => a.DeletedAt is null && Due(a) ? a.Erased(now) : a,
            a => [
                OutboxMessages.Create(Topics.AccountDeleted, userId, new AccountDeletedIntegrationEvent(userId, a.Role, now)),
                OutboxMessages.Create(Topics.AccountSessionsRevoked, userId, new AccountSessionsRevokedIntegrationEvent(userId, now, userId)),
            ], ct);
        if (erased?.DeletedAt != now) return null; // gone already, or kept by its owner meanwhile
        if (before.Email.Length > 0) await ReleaseEmailAsync(before.Email, userId, ct);
        await RevokeRefreshTokensAsync(userId, now, ct);
        await ForgetSessionsAsync(userId, ct);
        while (await store.Places.GetAsync(userId, ct) is { } places)
        {
            try
            {
                await store.Places.DeleteAsync(userId, places.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Saved meanwhile from a session still open on another device: read them again.
            }
        }
        // A work email still being confirmed (ADR 0034): the code names the address.
        if (await store.WorkEmailCodes.GetAsync(userId, ct) is { } workCode)
        {
            try
            {
                await store.WorkEmailCodes.DeleteAsync(userId, workCode.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Replaced or used meanwhile: the retention deletes what is left a day after it expires.
            }
        }
        logger.LogInformation("Account {UserId} ({Role}) deleted by its owner", userId, erased.Role);
        return erased.DeletedAt ?? now;
    }

    /// <summary>Where an erased account was signed in (devices, addresses) is erased with it (ADR 0048).</summary>
    private async Task ForgetSessionsAsync(string userId, CancellationToken ct)
    {
        foreach (var session in await store.Sessions.QueryAsync("userId", userId, KeptSessionsRead, ct))
        {
            try
            {
                await store.Sessions.DeleteAsync(session.Id, session.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Renewed meanwhile, or its end not yet relayed: the retention deletes it a day after it expires.
            }
        }
    }

    /// <summary>Frees an email whose claim belongs to <paramref name="accountId"/> (a deleted account).</summary>
    private async Task ReleaseEmailAsync(string email, string accountId, CancellationToken ct)
    {
        if (await store.Emails.GetAsync(email, ct) is not { } claim || claim.Document.AccountId != accountId) return;
        try
        {
            await store.Emails.DeleteAsync(email, claim.Version, ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Freed by a concurrent attempt.
        }
    }

    /// <summary>Lifts a suspension: the account signs in again. Null when there is no such account.</summary>
    public async Task<Account?> ReinstateAsync(string userId, string by, CancellationToken ct)
    {
        if ((await GetAsync(userId, ct))?.DeletedAt is not null) throw new InvalidOperationException("This account was deleted by its owner.");
        var account = await store.Accounts.UpdateAsync(userId, a => a.Suspension is null ? a : a with { Suspension = null }, ct: ct);
        if (account is not null) logger.LogInformation("Account {UserId} reinstated by {By}", userId, by);
        return account;
    }

    /// <summary>A colleague's support account, made by a support account (nobody signs up as one).</summary>
    public Task<Account> AddOperatorAsync(string email, string password, string name, CancellationToken ct) =>
        CreateAsync(new SignUpCommand(email, password, Roles.Operator, name, null), ct);

    public async Task<Account?> GetAsync(string userId, CancellationToken ct) => (await store.Accounts.GetAsync(userId, ct))?.Document;

    /// <summary>
    /// Every support account not deleted, suspended ones too, by name (then id): the desk names who acted from it (ADR 0054).
    /// Read by the indexed role, so the riders and drivers are never read.
    /// </summary>
    public async Task<IReadOnlyList<Account>> OperatorsAsync(CancellationToken ct)
    {
        var operators = new List<Account>();
        await foreach (var found in store.Accounts.QueryAllAsync("role", Roles.Operator, ct))
        {
            if (found.Document.DeletedAt is null) operators.Add(found.Document);
        }
        return [.. operators.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The account that holds this email; null when none does (or only a deleted one still has its claim).</summary>
    public async Task<Account?> FindByEmailAsync(string email, CancellationToken ct) =>
        await store.Emails.GetAsync(email, ct) is { } claim && await GetAsync(claim.Document.AccountId, ct) is { } account && HoldsEmail(account, email) ? account : null;

    /// <summary>Whether the account signs in with the email: not deleted, and not moved to another one.</summary>
    private static bool HoldsEmail(Account account, string email) => account.DeletedAt is null && account.Email == email;

    /// <summary>
    /// Removes the email's claim when it is stale: its account was deleted, or moved to another email, by a change that
    /// stopped before removing the claim. <see cref="EmailTakenException"/> when an account holds the email, or a move to
    /// it began less than <see cref="EmailClaim.ChangeGrace"/> ago (it is still finishing).
    /// </summary>
    private async Task FreeStaleClaimAsync(string email, CancellationToken ct)
    {
        if (await store.Emails.GetAsync(email, ct) is not { } claimed) return;
        if (await GetAsync(claimed.Document.AccountId, ct) is { DeletedAt: null } holder
            && (holder.Email == email || clock.GetUtcNow() - claimed.Document.MovingSince < EmailClaim.ChangeGrace))
        {
            throw new EmailTakenException();
        }
        await ReleaseEmailAsync(email, claimed.Document.AccountId, ct);
    }

    /// <summary>
    /// Moves the account to <paramref name="newEmail"/> (a code mailed there proved it is the owner's, so it is confirmed):
    /// the new address is claimed first (<see cref="EmailTakenException"/> when an account holds it), then the account
    /// changed, then the old claim removed; a change that stops in between leaves a claim the checks above treat as stale.
    /// Null when the account was deleted meanwhile.
    /// </summary>
    public async Task<Account?> ChangeEmailAsync(string userId, string newEmail, CancellationToken ct)
    {
        newEmail = NormalizeEmail(newEmail);
        await FreeStaleClaimAsync(newEmail, ct);
        try
        {
            await store.Emails.InsertAsync(newEmail, new EmailClaim(userId, clock.GetUtcNow()), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            if ((await store.Emails.GetAsync(newEmail, ct))?.Document.AccountId != userId) throw new EmailTakenException();
        }
        var now = clock.GetUtcNow();
        string? oldEmail = null;
        var account = await store.Accounts.UpdateAsync(userId, a =>
        {
            oldEmail = a.Email;
            return a.DeletedAt is not null || a.Email == newEmail ? a : a with { Email = newEmail, EmailVerifiedAt = now };
        }, ct: ct);
        if (account is null || account.DeletedAt is not null)
        {
            await ReleaseEmailAsync(newEmail, userId, ct);
            return null;
        }
        if (oldEmail is { Length: > 0 } old && old != newEmail) await ReleaseEmailAsync(old, userId, ct);
        logger.LogInformation("Account {UserId} moved to a new email", userId);
        return account;
    }

    private async Task RehashAsync(Account account, string password, CancellationToken ct)
    {
        if (await store.Accounts.GetAsync(account.Id, ct) is not { } stored) return;
        try
        {
            await store.Accounts.ReplaceAsync(account.Id, stored.Document with { PasswordHash = Hasher.HashPassword(account, password) }, stored.Version, ct: ct);
        }
        catch (ConcurrencyConflictException)
        {
            // Someone else updated it meanwhile; the next sign-in rehashes.
        }
    }

    /// <summary>Every refresh token of the session revoked, and the session ended (it leaves the list of where its user is signed in).</summary>
    private async Task RevokeFamilyAsync(string familyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await store.Sessions.UpdateAsync(familyId, s => s.Ended(now), ct: ct);
        foreach (var token in await store.RefreshTokens.QueryAsync("familyId", familyId, 1000, ct))
        {
            if (token.Document.RevokedAt is not null) continue;
            try
            {
                await store.RefreshTokens.ReplaceAsync(token.Id, token.Document with { RevokedAt = now }, token.Version, ct: ct);
            }
            catch (ConcurrencyConflictException)
            {
                // Rotated meanwhile: its successor is in the family and is revoked by this same loop or the next sign-out.
            }
        }
    }

    /// <remarks>
    /// The tokens count as issued <see cref="AfterRevocation"/>: now, or the next whole second when the account's
    /// sessions were ended within this one (a new password, a deletion asked for and called off, signing out everywhere
    /// and straight back in), since tokens issued until a revocation are refused.
    /// </remarks>
    /// <remarks>
    /// A new family (<paramref name="familyId"/> null) is a new session, recorded with where it comes from
    /// (<paramref name="origin"/>); a renewal moves its session's last use and expiry (and makes the record of a session
    /// older than sessions, ADR 0048).
    /// </remarks>
    private async Task<TokenPair> IssueAsync(Account account, string? familyId, CancellationToken ct, string? refreshValue = null, SessionOrigin? origin = null)
    {
        var issuedAt = AfterRevocation(account);
        var sessionId = familyId ?? Guid.CreateVersion7().ToString("N");
        var access = tokens.Issue(account.Id, account.Role, account.Name, sessionId, issuedAt, twoStep.SetupRequired(account));
        refreshValue ??= NewRefreshTokenValue();
        var refreshExpires = clock.GetUtcNow() + options.Value.RefreshTokenLifetime;
        await store.RefreshTokens.InsertAsync(Hash(refreshValue),
            new RefreshToken(account.Id, sessionId, refreshExpires, null, null, issuedAt), ct: ct);
        await RecordSessionAsync(account.Id, sessionId, issuedAt, refreshExpires, origin ?? SessionOrigin.Unknown, ct);
        return new TokenPair(account.Id, account.Role, account.Name, access.AccessToken, access.ExpiresAt, refreshValue, refreshExpires)
        {
            ExpiresIn = (int)options.Value.AccessTokenLifetime.TotalSeconds,
            SessionId = sessionId,
            TwoStepSetupRequired = twoStep.SetupRequired(account) ? true : null,
        };
    }

    private async Task RecordSessionAsync(string userId, string sessionId, DateTimeOffset at, DateTimeOffset expiresAt, SessionOrigin origin, CancellationToken ct)
    {
        if (await store.Sessions.UpdateAsync(sessionId, s => s.Renewed(at, expiresAt, origin.Ip), ct: ct) is not null) return;
        try
        {
            await store.Sessions.InsertAsync(sessionId, new Session(userId, origin.Device, origin.Ip, at, at, expiresAt), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await store.Sessions.UpdateAsync(sessionId, s => s.Renewed(at, expiresAt, origin.Ip), ct: ct);
        }
    }

    /// <summary>
    /// The kept sessions of the user (live or not, until a day past their expiry), newest sign-in first, with their ids:
    /// what the live list and the new-device check are made from.
    /// </summary>
    private async Task<IReadOnlyList<(string Id, Session Session)>> KeptSessionsAsync(string userId, CancellationToken ct) =>
        [.. (await store.Sessions.QueryAsync("userId", userId, KeptSessionsRead, ct)).Select(s => (s.Id, s.Document))];

    /// <summary>
    /// How many of a user's newest kept sessions are read: far more than anyone signs in within the 15 days a session
    /// is kept, and a bound on a read for an account someone signs into in a loop.
    /// </summary>
    private const int KeptSessionsRead = 500;

    /// <summary>Where the user is signed in: their live sessions, newest first, at most <see cref="Session.ListLimit"/> (ADR 0048).</summary>
    public async Task<IReadOnlyList<(string Id, Session Session)>> ListSessionsAsync(string userId, CancellationToken ct)
    {
        var account = await GetAsync(userId, ct);
        return account is null || account.DeletedAt is not null ? [] : Session.Live(await KeptSessionsAsync(userId, ct), clock.GetUtcNow(), account.SessionsRevokedAt);
    }

    /// <summary>
    /// Whether the sign-in of <paramref name="sessionId"/> came from a device none of the user's other kept sessions
    /// came from (ADR 0048). The session itself is left out.
    /// </summary>
    public async Task<bool> IsNewDeviceAsync(string userId, string sessionId, string device, CancellationToken ct) =>
        Session.IsNewDevice(device, (await KeptSessionsAsync(userId, ct)).Where(s => s.Id != sessionId).Select(s => s.Session));

    /// <summary>
    /// Ends one live session of the user (signed out from another device, ADR 0048): the session records when, with
    /// <c>account.event.sessions_revoked</c> naming it in the same write (every replica refuses its access tokens and
    /// closes its sockets), and its refresh tokens are revoked. Null when the user has no such live session (another
    /// user's id is answered the same way).
    /// </summary>
    public async Task<DateTimeOffset?> EndSessionAsync(string userId, string sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await GetAsync(userId, ct) is not { DeletedAt: null } account) return null;
        if (await store.Sessions.GetAsync(sessionId, ct) is not { } stored || stored.Document.UserId != userId
            || !stored.Document.IsLive(now, account.SessionsRevokedAt))
        {
            return null;
        }
        var ended = await store.Sessions.UpdateAsync(sessionId, s => s.Ended(now),
            s => [OutboxMessages.Create(Topics.AccountSessionsRevoked, userId, new AccountSessionsRevokedIntegrationEvent(userId, now, userId, sessionId))], ct);
        if (ended?.EndedAt != now) return null; // ended meanwhile (signed out on the device itself, or from a third)
        await RevokeFamilyAsync(sessionId, ct);
        logger.LogInformation("Session {SessionId} of {UserId} ended from another device", sessionId, userId);
        return now;
    }

    private static string NewRefreshTokenValue() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
