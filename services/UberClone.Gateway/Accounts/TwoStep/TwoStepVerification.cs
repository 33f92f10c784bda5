using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// An account's 2-step verification (ADR 0052): the authenticator app's secret as stored (encrypted,
/// <see cref="TwoStepSecrets"/>; the methods take it decrypted), on since <see cref="EnabledAt"/> (null: being set up,
/// not asked at sign-in yet), the last step whose code was taken (never twice), the one-time recovery codes for a lost
/// phone, kept only as hashes bound to the account, and the browsers its owner asked not to be asked again on
/// (<see cref="TrustedDevices"/>, hashes too).
/// </summary>
public sealed record TwoStepVerification(string Secret, DateTimeOffset SetUpAt, DateTimeOffset? EnabledAt = null, long LastStep = 0,
    IReadOnlyList<string>? RecoveryCodeHashes = null, IReadOnlyList<TrustedDevice>? TrustedDevices = null)
{
    public const int RecoveryCodeCount = 10;

    /// <summary>The browsers remembered at most: the oldest is forgotten for an eleventh.</summary>
    public const int MaxTrustedDevices = 10;

    /// <summary>Letters and digits nobody confuses when reading them off paper (no 0/o, 1/l/i).</summary>
    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public bool IsOn => EnabledAt is not null;

    public int RecoveryCodesLeft => RecoveryCodeHashes?.Count ?? 0;

    /// <summary>A new secret as stored (<paramref name="storedSecret"/>), waiting for a first code from the app before sign-in asks for codes.</summary>
    public static TwoStepVerification SetUp(string storedSecret, DateTimeOffset now) => new(storedSecret, now);

    /// <summary>
    /// The first code from the app proves it has the secret: on from now, with <see cref="RecoveryCodeCount"/> new
    /// recovery codes (returned once, to be shown once). Null when the code is not the app's.
    /// </summary>
    public (TwoStepVerification On, IReadOnlyList<string> RecoveryCodes)? Enable(string userId, byte[] secret, string code, DateTimeOffset now)
    {
        if (IsOn || Totp.Match(secret, code, now, LastStep) is not { } step) return null;
        var (codes, hashes) = NewRecoveryCodes(userId);
        return (this with { EnabledAt = now, LastStep = step, RecoveryCodeHashes = hashes }, codes);
    }

    /// <summary>
    /// What a code typed at sign-in (or to turn it off) does: the app's six digits of now, not seen before, or one of
    /// the recovery codes, which is then used up. Null when it is neither. A null <paramref name="secret"/> (it does
    /// not open: ADR 0052) takes recovery codes only.
    /// </summary>
    public TwoStepAccepted? Accept(string userId, byte[]? secret, string code, DateTimeOffset now)
    {
        code = code.Trim();
        if (secret is not null && Totp.Match(secret, code, now, LastStep) is { } step) return new(this with { LastStep = step }, UsedRecoveryCode: false);
        var hash = Hash(userId, "recovery", Normalized(code));
        if (RecoveryCodeHashes?.FirstOrDefault(h => SameHash(h, hash)) is not { } used) return null;
        return new(this with { RecoveryCodeHashes = RecoveryCodeHashes.Where(h => h != used).ToList() }, UsedRecoveryCode: true);
    }

    /// <summary>Ten new recovery codes (returned once, to be shown once) in place of every one left.</summary>
    public (TwoStepVerification After, IReadOnlyList<string> RecoveryCodes) WithNewRecoveryCodes(string userId)
    {
        var (codes, hashes) = NewRecoveryCodes(userId);
        return (this with { RecoveryCodeHashes = hashes }, codes);
    }

    /// <summary>
    /// "Don't ask again on this browser": a new token (32 random bytes, base64url, given to the browser once, kept
    /// only as its hash) that skips the code until <paramref name="until"/>. Expired ones are dropped, and the oldest
    /// beyond <see cref="MaxTrustedDevices"/>.
    /// </summary>
    public (TwoStepVerification After, string Token) Trust(string userId, DateTimeOffset now, DateTimeOffset until)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var kept = (TrustedDevices ?? []).Where(d => d.ExpiresAt > now).Append(new TrustedDevice(Hash(userId, "trusted", token), now, until))
            .OrderByDescending(d => d.TrustedAt).Take(MaxTrustedDevices).OrderBy(d => d.TrustedAt).ToList();
        return (this with { TrustedDevices = kept }, token);
    }

    /// <summary>Whether <paramref name="token"/> is a browser remembered for this account and not expired.</summary>
    public bool Trusts(string userId, string? token, DateTimeOffset now)
    {
        if (!IsOn || string.IsNullOrEmpty(token) || token.Length > 100 || TrustedDevices is not { Count: > 0 } devices) return false;
        var hash = Hash(userId, "trusted", token);
        return devices.Any(d => d.ExpiresAt > now && SameHash(d.Hash, hash));
    }

    /// <summary>The browsers remembered and not expired.</summary>
    public int TrustedDevicesAt(DateTimeOffset now) => TrustedDevices?.Count(d => d.ExpiresAt > now) ?? 0;

    /// <summary>Every browser forgotten: the code is asked on each again (turned off, a new password, signed out everywhere).</summary>
    public TwoStepVerification WithoutTrustedDevices() => TrustedDevices is null ? this : this with { TrustedDevices = null };

    private static (IReadOnlyList<string> Codes, IReadOnlyList<string> Hashes) NewRecoveryCodes(string userId)
    {
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        return (codes, codes.Select(c => Hash(userId, "recovery", Normalized(c))).ToList());
    }

    /// <summary>"abcd-efgh": 8 of 31 letters, about 40 bits; typed with or without the dash, in any case.</summary>
    private static string NewRecoveryCode()
    {
        var letters = Enumerable.Range(0, 8).Select(_ => RecoveryAlphabet[RandomNumberGenerator.GetInt32(RecoveryAlphabet.Length)]).ToArray();
        return $"{new string(letters, 0, 4)}-{new string(letters, 4, 4)}";
    }

    private static string Normalized(string recoveryCode) => new(recoveryCode.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Hash(string userId, string purpose, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{purpose}:{value}")));

    private static bool SameHash(string a, string b) => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(a), Convert.FromHexString(b));
}

/// <summary>A code taken: the verification as it is after it (the step or the recovery code spent).</summary>
public sealed record TwoStepAccepted(TwoStepVerification After, bool UsedRecoveryCode);

/// <summary>A browser whose owner asked not to be asked for the code again on it: the hash of its token, when, until when.</summary>
public sealed record TrustedDevice(string Hash, DateTimeOffset TrustedAt, DateTimeOffset ExpiresAt);
