using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// A code mailed to an account's owner (id = the account's id), for a password reset (<see cref="PasswordReset"/>) or
/// to confirm the email (<see cref="EmailVerification"/>), each in a collection of its own: kept only as a hash bound
/// to the account, valid until <see cref="ExpiresAt"/> and for at most <see cref="MaxAttempts"/> wrong guesses. A new
/// request replaces it (a new code), at most one a <see cref="MinInterval"/>; using it deletes it. <see cref="Target"/>:
/// the address it went to when that is not the account's own (a new email, <see cref="EmailChange"/>).
/// </summary>
public sealed record MailedCode(string UserId, string CodeHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int WrongAttempts = 0, string? Target = null)
{
    /// <summary>Six digits, five guesses: one chance in 200,000 for a guesser, per code.</summary>
    public const int MaxAttempts = 5;
    /// <summary>A mailbox gets at most one code a minute, however often someone asks.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    public const string ExpiresAtField = "expiresAtMs";

    /// <summary>Indexed, so expired resets can be deleted in order.</summary>
    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();

    public static (MailedCode Stored, string Code) New(string userId, DateTimeOffset now, TimeSpan lifetime, string? target = null)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        return (new MailedCode(userId, Hash(userId, code), now, now + lifetime, Target: target), code);
    }

    /// <summary>Whether a new code may be mailed now, in place of this one.</summary>
    public bool MayBeReplaced(DateTimeOffset now) => now - CreatedAt >= MinInterval;

    public MailedCodeCheck Check(string code, DateTimeOffset now) =>
        now >= ExpiresAt ? MailedCodeCheck.Expired
        : WrongAttempts >= MaxAttempts ? MailedCodeCheck.TooManyAttempts
        : CryptographicOperations.FixedTimeEquals(Convert.FromHexString(CodeHash), Convert.FromHexString(Hash(UserId, code))) ? MailedCodeCheck.Right
        : MailedCodeCheck.Wrong;

    public int AttemptsLeft => Math.Max(0, MaxAttempts - WrongAttempts);

    private static string Hash(string userId, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{code}")));
}

public enum MailedCodeCheck { Right, Wrong, Expired, TooManyAttempts }

/// <summary>"Forgot your password?": the code works for a quarter of an hour.</summary>
public static class PasswordReset
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
}

/// <summary>Moving the account to a new email: the code, mailed to the new address, works for an hour.</summary>
public static class EmailChange
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
}

/// <summary>Confirming a rider's work email (ADR 0034): the code, mailed to the work address, works for a day.</summary>
public static class WorkEmailConfirmation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
}

/// <summary>Confirming the email given at sign-up: the code works for a day (people read mail later).</summary>
public static class EmailVerification
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
}

/// <summary>The code cannot reset the password (wrong, expired, used up, or no reset was asked for): 400 saying which.</summary>
public sealed class PasswordResetRefusedException(string message) : Exception(message);

/// <summary>The new email cannot be used (the account's own already): 400.</summary>
public sealed class SameEmailException() : Exception("That is the account's email already.");

/// <summary>The code cannot confirm the email (wrong, expired, used up, or none was sent): 400 saying which.</summary>
public sealed class EmailVerificationRefusedException(string message) : Exception(message);
