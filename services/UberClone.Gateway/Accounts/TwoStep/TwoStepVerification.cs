using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// An account's 2-step verification (ADR 0052): the authenticator app's secret (base 32), on since
/// <see cref="EnabledAt"/> (null: being set up, not asked at sign-in yet), the last step whose code was taken (never
/// twice), and the one-time recovery codes for a lost phone, kept only as hashes bound to the account.
/// </summary>
public sealed record TwoStepVerification(string Secret, DateTimeOffset SetUpAt, DateTimeOffset? EnabledAt = null, long LastStep = 0,
    IReadOnlyList<string>? RecoveryCodeHashes = null)
{
    public const int RecoveryCodeCount = 10;

    /// <summary>Letters and digits nobody confuses when reading them off paper (no 0/o, 1/l/i).</summary>
    private const string RecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public bool IsOn => EnabledAt is not null;

    public int RecoveryCodesLeft => RecoveryCodeHashes?.Count ?? 0;

    /// <summary>A new secret, waiting for a first code from the app before sign-in asks for codes.</summary>
    public static TwoStepVerification SetUp(DateTimeOffset now) => new(Base32.Encode(Totp.NewSecret()), now);

    public byte[] SecretBytes => Base32.Decode(Secret) ?? throw new InvalidOperationException("The stored 2-step secret is not base 32.");

    /// <summary>
    /// The first code from the app proves it has the secret: on from now, with <see cref="RecoveryCodeCount"/> new
    /// recovery codes (returned once, to be shown once). Null when the code is not the app's.
    /// </summary>
    public (TwoStepVerification On, IReadOnlyList<string> RecoveryCodes)? Enable(string userId, string code, DateTimeOffset now)
    {
        if (IsOn || Totp.Match(SecretBytes, code, now, LastStep) is not { } step) return null;
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        return (this with { EnabledAt = now, LastStep = step, RecoveryCodeHashes = codes.Select(c => Hash(userId, c)).ToList() }, codes);
    }

    /// <summary>
    /// What a code typed at sign-in (or to turn it off) does: the app's six digits of now, not seen before, or one of
    /// the recovery codes, which is then used up. Null when it is neither.
    /// </summary>
    public TwoStepAccepted? Accept(string userId, string code, DateTimeOffset now)
    {
        code = code.Trim();
        if (Totp.Match(SecretBytes, code, now, LastStep) is { } step) return new(this with { LastStep = step }, UsedRecoveryCode: false);
        var hash = Hash(userId, code);
        if (RecoveryCodeHashes?.FirstOrDefault(h => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(h), Convert.FromHexString(hash))) is not { } used) return null;
        return new(this with { RecoveryCodeHashes = RecoveryCodeHashes.Where(h => h != used).ToList() }, UsedRecoveryCode: true);
    }

    /// <summary>"abcd-efgh": 8 of 31 letters, about 40 bits; typed with or without the dash, in any case.</summary>
    private static string NewRecoveryCode()
    {
        var letters = Enumerable.Range(0, 8).Select(_ => RecoveryAlphabet[RandomNumberGenerator.GetInt32(RecoveryAlphabet.Length)]).ToArray();
        return $"{new string(letters, 0, 4)}-{new string(letters, 4, 4)}";
    }

    private static string Hash(string userId, string recoveryCode)
    {
        var normalized = new string(recoveryCode.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:recovery:{normalized}")));
    }
}

/// <summary>A code taken: the verification as it is after it (the step or the recovery code spent).</summary>
public sealed record TwoStepAccepted(TwoStepVerification After, bool UsedRecoveryCode);
