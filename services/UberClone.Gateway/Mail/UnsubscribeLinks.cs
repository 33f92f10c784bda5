using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Mail;

/// <summary>
/// The link in every mail of a <see cref="MailCategory"/> that turns that category off without signing in: a token of
/// the account id, the category and an HMAC of both (a key derived from the JWT signing key, so every replica makes
/// and reads the same tokens and none is stored). It is shown as a page of the web app (<c>{Mail:LinkBase}/unsubscribe?t=…</c>,
/// which asks before it changes anything) and sent as RFC 8058's one-click <c>List-Unsubscribe</c> header (a POST to
/// <c>/api/mail/unsubscribe?t=…</c> through the web app's /api proxy), which mail providers show as "Unsubscribe".
/// </summary>
public sealed class UnsubscribeLinks(IOptions<JwtOptions> jwt, MailSettings settings)
{
    private const int MacBytes = 16;
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, jwt.Value.Key.Key, 32, info: "uberclone mail unsubscribe"u8.ToArray());

    public string Token(string accountId, MailCategory category) => $"{accountId}.{category.Id}.{Base64Url.EncodeToString(Mac(accountId, category.Id))}";

    /// <summary>The account and category a token names; null when it was not made here (altered, or made with another key).</summary>
    public (string AccountId, MailCategory Category)? Read(string? token)
    {
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 3 || MailCategories.Find(parts[1]) is not { } category) return null;
        var mac = new byte[MacBytes];
        // Canonical only (a last character differing in its unused bits would decode alike).
        if (!Base64Url.IsValid(parts[2]) || Base64Url.DecodeFromChars(parts[2], mac) != MacBytes || Base64Url.EncodeToString(mac) != parts[2]) return null;
        return CryptographicOperations.FixedTimeEquals(mac, Mac(parts[0], category.Id)) ? (parts[0], category) : null;
    }

    /// <summary>
    /// The mail with a last paragraph saying why it came and how to stop it (the link when <c>Mail:LinkBase</c> is set;
    /// account settings always), and the one-click address for the List-Unsubscribe header.
    /// </summary>
    public OutgoingMail Stamp(OutgoingMail mail, string accountId, MailCategory category)
    {
        var token = Uri.EscapeDataString(Token(accountId, category));
        var linkBase = settings.LinkBase?.TrimEnd('/');
        var footer = new StringBuilder().AppendLine().AppendLine()
            .Append($"You get this mail because \"{category.Label}\" is on in your account settings. ")
            .Append(linkBase is null ? "Turn it off there." : $"To stop these mails: {linkBase}/unsubscribe?t={token}")
            .AppendLine();
        return mail with
        {
            Body = mail.Body.TrimEnd() + footer,
            UnsubscribeUrl = linkBase is null ? null : $"{linkBase}/api/mail/unsubscribe?t={token}",
        };
    }

    private byte[] Mac(string accountId, string category) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{accountId}\n{category}"))[..MacBytes];
}
