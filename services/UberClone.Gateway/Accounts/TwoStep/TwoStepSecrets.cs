using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// The authenticator app's secret as the account stores it (ADR 0052): AES-GCM under a key kept outside the accounts
/// database (configuration <see cref="KeySetting"/>), as <c>v2:{key id}:{nonce}:{ciphertext and tag}</c> (base64; the
/// key id is the first bytes of the key's SHA-256, so the key to open it with is picked without trying each), with the
/// account's id as associated data, so whoever reads the database cannot compute codes, and a secret copied onto another
/// account does not decrypt there. Keys are rotated by setting a new <see cref="KeySetting"/> and moving the old one to
/// <see cref="PreviousKeysSetting"/>: a secret under an old key still opens, and the caller writes it under the current
/// one with the change its use makes (<see cref="IsUnderCurrentKey"/>). Read as well: <c>v1:{nonce}:{ciphertext}</c>
/// (before key ids; each key is tried in turn) and a secret stored before encryption (base 32, no prefix).
/// </summary>
public sealed class TwoStepSecrets
{
    public const string KeySetting = "TwoStep:SecretKey";
    public const string PreviousKeysSetting = "TwoStep:PreviousSecretKeys";
    public const int KeyBytes = 32;
    private const string Version = "v2:";
    private const string UnnamedKeyVersion = "v1:";
    private const int KeyIdBytes = 4;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;
    private readonly string _keyId;
    private readonly IReadOnlyList<(string Id, byte[] Key)> _keys;

    /// <param name="key">The key new secrets are sealed with.</param>
    /// <param name="previousKeys">Keys secrets may still be sealed with, tried in this order after <paramref name="key"/>.</param>
    public TwoStepSecrets(byte[] key, IReadOnlyList<byte[]>? previousKeys = null)
    {
        if (key.Length != KeyBytes) throw new ArgumentException($"The 2-step secret key must be {KeyBytes} bytes.", nameof(key));
        if (previousKeys?.Any(k => k.Length != KeyBytes) == true) throw new ArgumentException($"Every previous 2-step secret key must be {KeyBytes} bytes.", nameof(previousKeys));
        _key = key;
        _keyId = KeyId(key);
        _keys = [(_keyId, key), .. (previousKeys ?? []).Select(k => (KeyId(k), k))];
    }

    /// <summary>Whether <paramref name="stored"/> is encrypted (else it is a secret stored in the clear before encryption).</summary>
    public static bool IsEncrypted(string stored) => stored.StartsWith(Version, StringComparison.Ordinal) || stored.StartsWith(UnnamedKeyVersion, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="stored"/> is sealed as new secrets are (under the current key, naming it); else its next write seals it anew.</summary>
    public bool IsUnderCurrentKey(string stored) => stored.StartsWith($"{Version}{_keyId}:", StringComparison.Ordinal);

    /// <summary>The id a stored secret names its key by: the first <see cref="KeyIdBytes"/> bytes of the key's SHA-256, in hex (it reveals nothing of the key).</summary>
    public static string KeyId(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, KeyIdBytes));

    public string Encrypt(string userId, byte[] secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[secret.Length + TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(0, secret.Length), sealedBytes.AsSpan(secret.Length), Encoding.UTF8.GetBytes(userId));
        return $"{Version}{_keyId}:{Convert.ToBase64String(nonce)}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>
    /// The secret of <paramref name="userId"/>'s account. A <see cref="CryptographicException"/> when it does not
    /// decrypt (a key this gateway is not given, another account's, tampered with): no code can be checked against it.
    /// </summary>
    public byte[] Decrypt(string userId, string stored)
    {
        if (stored.StartsWith(Version, StringComparison.Ordinal))
        {
            var parts = stored[Version.Length..].Split(':');
            if (parts.Length != 3) throw new CryptographicException("The stored 2-step secret is not v2:{key id}:{nonce}:{ciphertext}.");
            var key = _keys.FirstOrDefault(k => k.Id == parts[0]).Key
                ?? throw new CryptographicException($"The stored 2-step secret is sealed with key {parts[0]}, which is neither {KeySetting} nor one of {PreviousKeysSetting}.");
            return Open(key, userId, parts[1], parts[2]);
        }
        if (stored.StartsWith(UnnamedKeyVersion, StringComparison.Ordinal))
        {
            var parts = stored[UnnamedKeyVersion.Length..].Split(':');
            if (parts.Length != 2) throw new CryptographicException("The stored 2-step secret is not v1:{nonce}:{ciphertext}.");
            foreach (var (_, key) in _keys)
            {
                try
                {
                    return Open(key, userId, parts[0], parts[1]);
                }
                catch (AuthenticationTagMismatchException)
                {
                    // Sealed before secrets named their key: the next key may be the one.
                }
            }
            throw new AuthenticationTagMismatchException($"The stored 2-step secret does not open with {KeySetting} nor any of {PreviousKeysSetting}.");
        }
        return Base32.Decode(stored) ?? throw new CryptographicException("The stored 2-step secret is not base 32.");
    }

    private static byte[] Open(byte[] key, string userId, string nonceText, string sealedText)
    {
        byte[] nonce, sealedBytes;
        try
        {
            (nonce, sealedBytes) = (Convert.FromBase64String(nonceText), Convert.FromBase64String(sealedText));
        }
        catch (FormatException)
        {
            throw new CryptographicException("The stored 2-step secret is not base64.");
        }
        if (nonce.Length != NonceBytes || sealedBytes.Length < TagBytes) throw new CryptographicException("The stored 2-step secret is cut short.");
        var secret = new byte[sealedBytes.Length - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
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
        return ParseKey(configured.Trim()) ?? throw new InvalidOperationException($"{KeySetting} {KeyFormat}");
    }

    /// <summary>
    /// The keys before the current one (<c>TwoStep__PreviousSecretKeys</c>, comma-separated, each as
    /// <see cref="KeySetting"/> takes it), tried in order for a secret the current key does not open; none when unset.
    /// </summary>
    public static IReadOnlyList<byte[]> PreviousKeysFrom(IConfiguration configuration)
    {
        var configured = configuration[PreviousKeysSetting];
        if (string.IsNullOrWhiteSpace(configured)) return [];
        return configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select((text, i) => ParseKey(text) ?? throw new InvalidOperationException(
                $"{PreviousKeysSetting}: key {i + 1} (of the comma-separated list) {KeyFormat}"))
            .ToList();
    }

    /// <summary>Development without a configured key: one of this process only (secrets set up in this run do not decrypt after a restart).</summary>
    public static TwoStepSecrets ForThisProcess(ILogger logger, IReadOnlyList<byte[]>? previousKeys = null)
    {
        logger.LogWarning("{Setting} is not set: 2-step secrets set up in this run are encrypted under a key of this process and will not decrypt after a restart", KeySetting);
        return new TwoStepSecrets(RandomNumberGenerator.GetBytes(KeyBytes), previousKeys);
    }

    private const string KeyFormat = "must be 32 bytes, in base64 (44 characters) or as 64 hex digits, or text of at least 32 characters.";

    internal static byte[]? ParseKey(string text)
    {
        if (text.Length == KeyBytes * 2 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == KeyBytes) return buffer[..written];
        return text.Length >= KeyBytes ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(text), KeyBytes, info: "uberclone:two-step-secrets"u8.ToArray()) : null;
    }
}
