using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace UberClone.Gateway.Accounts.TwoStep;

/// <summary>
/// Time-based one-time passwords as RFC 6238 defines them and authenticator apps compute them (Google Authenticator,
/// 1Password, Authy): HMAC-SHA1 of the number of 30-second steps since the Unix epoch, six digits (ADR 0052).
/// </summary>
public static class Totp
{
    public const int Digits = 6;
    public const int StepSeconds = 30;

    /// <summary>How many steps either side of now a code is still taken: a phone's clock 30 s off, a code typed as it turned.</summary>
    public const int Window = 1;

    /// <summary>160 bits, the length RFC 4226 recommends and the apps expect.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(20);

    /// <summary>Whether <paramref name="code"/> has the shape of an app's code (six digits), whatever it is worth.</summary>
    public static bool LooksLikeCode(string code) => code.Trim() is { Length: Digits } digits && digits.All(char.IsAsciiDigit);

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code of <paramref name="step"/> (RFC 4226's dynamic truncation of the HMAC).</summary>
    public static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6");
    }

    /// <summary>
    /// The step <paramref name="code"/> is the code of, within <see cref="Window"/> of now and later than
    /// <paramref name="lastUsedStep"/> (a code seen once is not taken again: someone who read it over a shoulder is too
    /// late); null when none.
    /// </summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now, long lastUsedStep)
    {
        if (code.Length != Digits || !code.All(char.IsAsciiDigit)) return null;
        var current = StepAt(now);
        for (var step = current - Window; step <= current + Window; step++)
        {
            if (step <= lastUsedStep) continue;
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(code))) return step;
        }
        return null;
    }

    /// <summary>
    /// The <c>otpauth://</c> URI an authenticator app reads (from a QR code or a link on the phone): the issuer and the
    /// account name it shows, and the secret.
    /// </summary>
    public static string SetupUri(string issuer, string accountName, byte[] secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(accountName)}?secret={Base32.Encode(secret)}" +
        $"&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}";
}

/// <summary>RFC 4648 base 32 without padding: how authenticator apps take a secret typed by hand.</summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    /// <summary>Case, spaces and padding are ignored (people type it in groups); null when a letter is not base 32.</summary>
    public static byte[]? Decode(string text)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-' or '=') continue;
            var value = Alphabet.IndexOf(char.ToUpperInvariant(c));
            if (value < 0) return null;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
