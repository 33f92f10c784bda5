using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace UberClone.Payments.Webhooks;

/// <summary>
/// Stripe's webhook signature scheme: header <c>Stripe-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>
/// (several v1 entries while a secret is being rolled). Verification compares in constant time and rejects timestamps
/// outside the tolerance, so a captured request cannot be replayed later.
/// </summary>
public static class StripeSignature
{
    public const string Header = "Stripe-Signature";

    public static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Convert.ToHexStringLower(Compute(payload, timestamp, secret))}";
    }

    public static SignatureCheck Verify(string payload, string? header, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header)) return SignatureCheck.Fail("The Stripe-Signature header is missing.");
        string? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t") timestamp = value;
            else if (key == "v1" && value.Length == 64 && TryHex(value, out var bytes)) signatures.Add(bytes);
        }
        if (timestamp is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.Fail("The Stripe-Signature header has no timestamp.");
        }
        if (signatures.Count == 0) return SignatureCheck.Fail("The Stripe-Signature header has no v1 signature.");

        var expected = Compute(payload, timestamp, secret);
        var matched = false;
        foreach (var signature in signatures) matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        if (!matched) return SignatureCheck.Fail("The signature does not match the payload.");

        var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        return age.Duration() > tolerance
            ? SignatureCheck.Fail($"The signature timestamp is outside the {tolerance.TotalSeconds:0} s tolerance.")
            : SignatureCheck.Ok;
    }

    private static byte[] Compute(string payload, string timestamp, string secret) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));

    private static bool TryHex(string value, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(value);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

public sealed record SignatureCheck(bool IsValid, string? Error)
{
    public static SignatureCheck Ok { get; } = new(true, null);

    public static SignatureCheck Fail(string error) => new(false, error);
}
