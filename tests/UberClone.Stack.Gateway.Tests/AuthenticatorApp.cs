using System.Buffers.Binary;
using System.Security.Cryptography;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>What a rider's or an operator's authenticator app computes (ADR 0052), as the tests type it.</summary>
internal static class AuthenticatorApp
{
    /// <summary>
    /// What the authenticator app shows <paramref name="stepsAhead"/> 30-second steps from now (RFC 6238: HMAC-SHA1, six
    /// digits), from the base-32 secret the setup answered. Each sign-in takes a later step than the one before.
    /// </summary>
    public static string CodeOf(string secret, int stepsAhead)
    {
        var key = FromBase32(secret.Replace(" ", ""));
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30 + stepsAhead);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        return ((BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000).ToString("D6");
    }

    private static byte[] FromBase32(string text)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".IndexOf(c);
            bits += 5;
            if (bits < 8) continue;
            bytes.Add((byte)(buffer >> (bits - 8)));
            bits -= 8;
        }
        return [.. bytes];
    }
}
