using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace UberClone.Trips.Promotions;

/// <summary>
/// Inviting friends (<c>Promotions:Referral</c>): each rider has an invite code, a welcome promotion for riders who have
/// not ridden yet; when a friend who added it completes a ride with it, the rider who invited them gets a promotion of
/// their own (<see cref="RewardAmountOffMinor"/> off one ride).
/// </summary>
public sealed class ReferralOptions
{
    /// <summary>Invite codes can be given out (false: none is made, and codes already given out cannot be added).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The friend's welcome: this much off their first ride(s)…</summary>
    public int PercentOff { get; set; } = 50;

    /// <summary>…at most this much a ride (minor units of <see cref="Currency"/>).</summary>
    public long MaxDiscountMinor { get; set; } = 1_000;

    /// <summary>How many rides the welcome lasts.</summary>
    public int Rides { get; set; } = 1;

    /// <summary>What the inviter gets off one ride for each friend who rode.</summary>
    public long RewardAmountOffMinor { get; set; } = 500;

    /// <summary>The currency of both (rides priced in another currency are not discounted).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>How long the inviter's reward lasts.</summary>
    public TimeSpan RewardValidity { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The problem with these settings, or null when they can work.</summary>
    public string? Problem() =>
        PercentOff is < 1 or > Promotion.MaxPercentOff ? "Promotions:Referral:PercentOff must be 1-100."
        : MaxDiscountMinor < 1 ? "Promotions:Referral:MaxDiscountMinor must be at least 1."
        : Rides is < 1 or > Promotion.MaxRidesPerRider ? $"Promotions:Referral:Rides must be 1-{Promotion.MaxRidesPerRider}."
        : RewardAmountOffMinor < 1 ? "Promotions:Referral:RewardAmountOffMinor must be at least 1."
        : Currency is not { Length: 3 } || !Currency.All(char.IsAsciiLetterUpper) ? "Promotions:Referral:Currency must be a 3-letter upper-case ISO 4217 code."
        : RewardValidity <= TimeSpan.Zero || RewardValidity > Promotion.LongestValidity ? "Promotions:Referral:RewardValidity must be positive and at most a year."
        : null;
}

public static class Referrals
{
    /// <summary>An invite code is renewed for another <see cref="Promotion.LongestValidity"/> once it has less than this left.</summary>
    public static readonly TimeSpan RenewWithin = TimeSpan.FromDays(180);

    /// <summary>Whether a code has the shape of an invite or a reward, which support's own promotions may not take.</summary>
    public static bool IsReserved(string code) => KindOf(code) != "promotion";

    /// <summary>"invite" (a rider's invite code), "reward" (what an inviter got) or "promotion" (support's), by the code's shape.</summary>
    public static string KindOf(string code) => code.Length != 15 ? "promotion"
        : code.StartsWith("INV", StringComparison.Ordinal) ? "invite"
        : code.StartsWith("THX", StringComparison.Ordinal) ? "reward"
        : "promotion";

    /// <summary>The rider's invite code: "INV" and 12 letters and digits derived from their id (the same on every replica, no lookup).</summary>
    public static string CodeFor(string riderId) => "INV" + Base32(SHA256.HashData(Encoding.UTF8.GetBytes("invite:" + riderId)))[..12];

    /// <summary>The rider's invite: a welcome for riders who have not ridden, that names them as the one who invited.</summary>
    public static Promotion Invite(string riderId, ReferralOptions options, DateTimeOffset now) =>
        Promotion.Create(CodeFor(riderId), options.PercentOff, 0, options.MaxDiscountMinor, options.Currency, options.Rides,
            now + Promotion.LongestValidity, null, riderId, now, newRidersOnly: true) with { ReferrerId = riderId };

    /// <summary>
    /// What the inviter gets when friend <paramref name="friendId"/> completed a ride booked with invite
    /// <paramref name="inviteCode"/>: a promotion of its own, once per friend (its code derives from both, so the
    /// friend's second welcome ride or a redelivered completion adds nothing).
    /// </summary>
    public static Promotion Reward(string inviteCode, string friendId, ReferralOptions options, DateTimeOffset now) =>
        Promotion.Create("THX" + Base32(SHA256.HashData(Encoding.UTF8.GetBytes($"reward:{inviteCode}:{friendId}")))[..12], 0, options.RewardAmountOffMinor, null,
            options.Currency, 1, now + options.RewardValidity, 1, "referral", now);

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return text.ToString();
    }
}

/// <summary>Stops the service at start when <c>Promotions:Referral</c> cannot work, naming the setting.</summary>
public sealed class ReferralOptionsValidation : IValidateOptions<ReferralOptions>
{
    public ValidateOptionsResult Validate(string? name, ReferralOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
