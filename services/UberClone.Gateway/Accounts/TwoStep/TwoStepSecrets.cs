using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// The authenticator app's secret as the account stores it (ADR 0052): AES-GCM under a key kept outside the accounts
/// database (configuration <see cref="KeySetting"/>), as <c>v1:{nonce}:{ciphertext and tag}</c> (base64), with the
/// account's id as associated data, so whoever reads the database cannot compute codes, and a secret copied onto another
/// account does not decrypt there. A secret stored before (base 32, no prefix) is still read; the caller writes it
/// encrypted on its next use.
/// </summary>
public sealed class TwoStepSecrets
{
    public const string KeySetting = "TwoStep:SecretKey";
    public const int KeyBytes = 32;
    private const string Version = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public TwoStepSecrets(byte[] key)
    {
        if (key.Length != KeyBytes) throw new ArgumentException($"The 2-step secret key must be {KeyBytes} bytes.", nameof(key));
        _key = key;
    }

    /// <summary>Whether <paramref name="stored"/> is encrypted (else it is a secret stored in the clear before encryption).</summary>
    public static bool IsEncrypted(string stored) => stored.StartsWith(Version, StringComparison.Ordinal);

    public string Encrypt(string userId, byte[] secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[secret.Length + TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(0, secret.Length), sealedBytes.AsSpan(secret.Length), Encoding.UTF8.GetBytes(userId));
        return $"{Version}{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>
    /// The secret of <paramref name="userId"/>'s account. A <see cref="CryptographicException"/> when it does not
    /// decrypt (another key, another account's, tampered with): no code can be checked against it.
    /// </summary>
    public byte[] Decrypt(string userId, string stored)
    {
        if (!IsEncrypted(stored)) return Base32.Decode(stored) ?? throw new CryptographicException("The stored 2-step secret is not base 32.");
        var parts = stored[Version.Length..].Split(':');
        if (parts.Length != 2) throw new CryptographicException("The stored 2-step secret is not v1:{nonce}:{ciphertext}.");
        byte[] nonce, sealedBytes;
        try
        {
            (nonce, sealedBytes) = (Convert.FromBase64String(parts[0]), Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            throw new CryptographicException("The stored 2-step secret is not base64.");
        }
        if (nonce.Length != NonceBytes || sealedBytes.Length < TagBytes) throw new CryptographicException("The stored 2-step secret is cut short.");
        var secret = new byte[sealedBytes.Length - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(nonce, sealedBytes.AsSpan(0, secret.Length), sealedBytes.AsSpan(secret.Length), secret, Encoding.UTF8.GetBytes(userId));
        return secret;
    }

    /// <summary>
    /// The key from configuration (<c>TwoStep__SecretKey</c>): 32 bytes as base64, or as 64 hex digits (what the
    /// kustomize output generates); other text of at least 32 characters (a deployment tool's generated password) is
    /// stretched to 32 bytes with HKDF. Null without one in Development (<see cref="ForThisProcess"/>); anywhere else the
    /// gateway does not start without it.
    /// </summary>
    public static byte[]? KeyFrom(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return environment.IsDevelopment() ? null : throw new InvalidOperationException(
                $"{KeySetting} is not set: 2-step verification secrets are encrypted at rest under it. Set TwoStep__SecretKey to {KeyBytes} random bytes in base64 " +
                "(the AppHost passes its two-step-secret-key parameter), and keep it: secrets encrypted under one key do not decrypt under another.");
        }
        return ParseKey(configured.Trim())
            ?? throw new InvalidOperationException($"{KeySetting} must be {KeyBytes} bytes, in base64 (44 characters) or as {KeyBytes * 2} hex digits, or text of at least {KeyBytes} characters.");
    }

    /// <summary>Development without a configured key: one of this process only (secrets set up in this run do not decrypt after a restart).</summary>
    public static TwoStepSecrets ForThisProcess(ILogger logger)
    {
        logger.LogWarning("{Setting} is not set: 2-step secrets set up in this run are encrypted under a key of this process and will not decrypt after a restart", KeySetting);
        return new TwoStepSecrets(RandomNumberGenerator.GetBytes(KeyBytes));
    }

    internal static byte[]? ParseKey(string text)
    {
        if (text.Length == KeyBytes * 2 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == KeyBytes) return buffer[..written];
        return text.Length >= KeyBytes ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(text), KeyBytes, info: "uberclone:two-step-secrets"u8.ToArray()) : null;
    }
}
