using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// A password reset under way for one account (id = the account's id): the code mailed to its owner, kept only as a
/// hash, valid for <see cref="Lifetime"/> and for at most <see cref="MaxAttempts"/> wrong guesses. A new request
/// replaces it (a new code), at most one a <see cref="MinInterval"/>; using it deletes it.
/// </summary>
public sealed record PasswordReset(string UserId, string CodeHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int WrongAttempts = 0)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    /// <summary>Six digits, five guesses: one chance in 200,000 for a guesser, per code.</summary>
    public const int MaxAttempts = 5;
    /// <summary>A mailbox gets at most one code a minute, however often someone asks.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    public const string ExpiresAtField = "expiresAtMs";

    /// <summary>Indexed, so expired resets can be deleted in order.</summary>
    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();

    public static (PasswordReset Reset, string Code) New(string userId, DateTimeOffset now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        return (new PasswordReset(userId, Hash(userId, code), now, now + Lifetime), code);
    }

    /// <summary>Whether a new code may be mailed now, in place of this one.</summary>
    public bool MayBeReplaced(DateTimeOffset now) => now - CreatedAt >= MinInterval;

    public PasswordResetCheck Check(string code, DateTimeOffset now) =>
        now >= ExpiresAt ? PasswordResetCheck.Expired
        : WrongAttempts >= MaxAttempts ? PasswordResetCheck.TooManyAttempts
        : CryptographicOperations.FixedTimeEquals(Convert.FromHexString(CodeHash), Convert.FromHexString(Hash(UserId, code))) ? PasswordResetCheck.Right
        : PasswordResetCheck.Wrong;

    public int AttemptsLeft => Math.Max(0, MaxAttempts - WrongAttempts);

    private static string Hash(string userId, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{code}")));
}

public enum PasswordResetCheck { Right, Wrong, Expired, TooManyAttempts }

/// <summary>The code cannot reset the password (wrong, expired, used up, or no reset was asked for): 400 saying which.</summary>
public sealed class PasswordResetRefusedException(string message) : Exception(message);
