using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// A sign-in whose password was right, waiting for the authenticator app's code (ADR 0052): kept only under the hash
/// of the challenge the client was given, for <see cref="Lifetime"/> and at most <see cref="MaxAttempts"/> wrong codes,
/// so the challenge alone (without the password before it) lets nobody guess for long.
/// </summary>
public sealed record SignInChallenge(string UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, int WrongAttempts = 0)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Six digits, five guesses (and each window of codes moves on every 30 s): one chance in 200,000 per password typed.</summary>
    public const int MaxAttempts = 5;

    public const string ExpiresAtField = "expiresAtMs";

    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();

    public int AttemptsLeft => Math.Max(0, MaxAttempts - WrongAttempts);

    /// <summary>The challenge for the client (32 random bytes, base64url) and the id it is stored under.</summary>
    public static (string Id, string Challenge, SignInChallenge Stored) New(string userId, DateTimeOffset now)
    {
        var challenge = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (IdOf(challenge), challenge, new SignInChallenge(userId, now, now + Lifetime));
    }

    public static string IdOf(string challenge) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(challenge)));

    public bool IsOpen(DateTimeOffset now) => now < ExpiresAt && WrongAttempts < MaxAttempts;

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
