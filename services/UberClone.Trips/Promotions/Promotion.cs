using System.Text.RegularExpressions;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Promotions;

/// <summary>
/// What a promotion takes off a ride: <see cref="PercentOff"/> of the fare (at most <see cref="MaxDiscountMinor"/> when
/// set), or <see cref="AmountOffMinor"/>, on rides in <see cref="Currency"/>. The booking fee and place fees (ADR 0037)
/// are never discounted.
/// </summary>
public sealed record PromotionTerms(int PercentOff, long AmountOffMinor, long? MaxDiscountMinor, string Currency)
{
    /// <summary>
    /// The discount on a ride of <paramref name="fareMinor"/> of which <paramref name="passedOnMinor"/> is never
    /// discounted (the booking fee and place fees: <see cref="Pricing.FareBreakdown.PassedOnMinor"/>).
    /// </summary>
    public long DiscountOn(long fareMinor, long passedOnMinor)
    {
        var discountable = Math.Max(0, fareMinor - passedOnMinor);
        var off = PercentOff > 0
            ? (long)Math.Round(discountable * PercentOff / 100.0, MidpointRounding.AwayFromZero)
            : AmountOffMinor;
        if (MaxDiscountMinor is { } max) off = Math.Min(off, max);
        return Math.Clamp(off, 0, discountable);
    }
}

/// <summary>
/// A promotion support created: its <see cref="Code"/> (what riders type), its terms, how many rides it gives each
/// rider, until when, and for how many riders at most. Riders add it to their account (<see cref="RiderPromotions"/>).
/// </summary>
public sealed record Promotion
{
    public const int MaxRidesPerRider = 50;
    public const int MaxPercentOff = 100;
    public static readonly TimeSpan LongestValidity = TimeSpan.FromDays(366);

    public required string Code { get; init; }
    public required PromotionTerms Terms { get; init; }
    public required int RidesPerRider { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>At most this many riders may add it (null: no limit).</summary>
    public int? MaxRiders { get; init; }
    /// <summary>Only riders who have not completed a ride may add it (a welcome offer).</summary>
    public bool NewRidersOnly { get; init; }
    /// <summary>A rider's invite code (<see cref="Referrals"/>): the rider who invited, rewarded when a friend rides with it.</summary>
    public string? ReferrerId { get; init; }
    public int RidersAdded { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Support ended it before it expired: nobody can add it any more.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>
    /// Indexed: "promotion" for those support created, so support's list reads them newest first without a scan;
    /// "invite" for riders' invite codes, which stay out of it.
    /// </summary>
    public string Listed => ReferrerId is null ? "promotion" : "invite";
    public const string ListedField = "listed";

    private static readonly Regex CodeFormat = new("^[A-Z0-9]{4,20}$", RegexOptions.CultureInvariant);
    private static readonly Regex CurrencyFormat = new("^[A-Z]{3}$", RegexOptions.CultureInvariant);

    /// <summary>What a rider typed, as codes are kept: trimmed, upper case.</summary>
    public static string Normalize(string? code) => (code ?? "").Trim().ToUpperInvariant();

    public static bool IsCode(string code) => CodeFormat.IsMatch(code);

    /// <summary>A new promotion, or <see cref="PromotionRuleException"/> naming the first thing that cannot work.</summary>
    public static Promotion Create(string code, int percentOff, long amountOffMinor, long? maxDiscountMinor, string currency, int ridesPerRider,
        DateTimeOffset expiresAt, int? maxRiders, string createdBy, DateTimeOffset now, bool newRidersOnly = false)
    {
        code = Normalize(code);
        currency = (currency ?? "").Trim().ToUpperInvariant();
        if (!IsCode(code)) throw new PromotionRuleException("A promotion code is 4-20 letters A-Z and digits.");
        if ((percentOff > 0) == (amountOffMinor > 0)) throw new PromotionRuleException("Give either percentOff (1-100) or amountOffMinor (more than 0), not both.");
        if (percentOff is < 0 or > MaxPercentOff) throw new PromotionRuleException("percentOff is 1-100.");
        if (amountOffMinor < 0) throw new PromotionRuleException("amountOffMinor is more than 0.");
        if (maxDiscountMinor is <= 0) throw new PromotionRuleException("maxDiscountMinor, when given, is more than 0.");
        if (amountOffMinor > 0 && maxDiscountMinor is not null) throw new PromotionRuleException("maxDiscountMinor caps a percentage; an amount off is its own cap.");
        if (!CurrencyFormat.IsMatch(currency)) throw new PromotionRuleException("currency is a 3-letter ISO 4217 code, e.g. USD.");
        if (ridesPerRider is < 1 or > MaxRidesPerRider) throw new PromotionRuleException($"ridesPerRider is 1-{MaxRidesPerRider}.");
        if (expiresAt <= now) throw new PromotionRuleException("expiresAt is in the future.");
        if (expiresAt > now + LongestValidity) throw new PromotionRuleException("expiresAt is at most a year ahead.");
        if (maxRiders is < 1) throw new PromotionRuleException("maxRiders, when given, is at least 1.");
        return new Promotion
        {
            Code = code,
            Terms = new PromotionTerms(percentOff, amountOffMinor, maxDiscountMinor, currency),
            RidesPerRider = ridesPerRider,
            ExpiresAt = expiresAt,
            MaxRiders = maxRiders,
            NewRidersOnly = newRidersOnly,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
    }

    public bool IsOpen(DateTimeOffset now) => EndedAt is null && now < ExpiresAt;

    /// <summary>
    /// One more rider added it, or <see cref="PromotionRuleException"/> when it cannot be added now or by this rider
    /// (<paramref name="hasRidden"/>: they completed a ride already).
    /// </summary>
    public Promotion AddRider(DateTimeOffset now, bool hasRidden = false, string? riderId = null)
    {
        if (EndedAt is not null) throw new PromotionRuleException($"The promotion {Code} has ended.");
        if (ReferrerId is not null && ReferrerId == riderId) throw new PromotionRuleException("That is your own invite code: share it with friends who have not ridden yet.");
        if (NewRidersOnly && hasRidden) throw new PromotionRuleException($"The promotion {Code} is for riders who have not taken a ride with UberClone yet.");
        if (now >= ExpiresAt) throw new PromotionRuleException($"The promotion {Code} expired on {ExpiresAt:yyyy-MM-dd}.");
        if (RidersAdded >= MaxRiders) throw new PromotionRuleException($"The promotion {Code} has been claimed by as many riders as it allows.");
        return this with { RidersAdded = RidersAdded + 1 };
    }

    /// <summary>Support ends it: nobody can add it from now on. Ending it again changes nothing.</summary>
    public Promotion End(DateTimeOffset now) => EndedAt is null ? this with { EndedAt = now } : this;
}

/// <summary>A promotion refused: its input, or adding or using it now.</summary>
public sealed class PromotionRuleException(string message) : Exception(message);

/// <summary>No promotion has this code (or the rider does not hold it).</summary>
public sealed class PromotionNotFoundException(string message) : Exception(message);

/// <summary>A promotion a rider holds: its terms as they were when added, the rides it gives, and the trips that took one.</summary>
public sealed record RiderPromotion(string Code, PromotionTerms Terms, int Rides, DateTimeOffset ExpiresAt, DateTimeOffset AddedAt, IReadOnlyList<string> TripIds)
{
    public int RidesLeft => Math.Max(0, Rides - TripIds.Count);

    public bool IsUsable(DateTimeOffset now) => RidesLeft > 0 && now < ExpiresAt;
}

/// <summary>The offer of a promotion on one price: which, and how much it takes off.</summary>
public sealed record PromotionOffer(string Code, PromotionTerms Terms, long DiscountMinor);

/// <summary>
/// The promotions a rider added (id = the rider), newest first. A trip booked with one holds one of its rides
/// (<see cref="Hold"/>) until it ends without a ride (<see cref="Release"/>); a completed trip keeps it.
/// </summary>
public sealed record RiderPromotions(string RiderId, IReadOnlyList<RiderPromotion> Items)
{
    /// <summary>How many promotions a rider's account keeps: those expired longest ago go first.</summary>
    public const int MaxKept = 50;

    public static RiderPromotions Empty(string riderId) => new(riderId, []);

    public RiderPromotion? Find(string code) => Items.FirstOrDefault(p => p.Code == code);

    /// <summary>The rider adds <paramref name="promotion"/> (after <see cref="Promotion.AddRider"/> allowed it).</summary>
    public RiderPromotions Add(Promotion promotion, DateTimeOffset now)
    {
        if (Find(promotion.Code) is not null) return this;
        var added = new RiderPromotion(promotion.Code, promotion.Terms, promotion.RidesPerRider, promotion.ExpiresAt, now, []);
        var kept = Items.OrderByDescending(p => p.IsUsable(now)).ThenByDescending(p => p.ExpiresAt).Take(MaxKept - 1);
        return this with { Items = [added, .. kept] };
    }

    /// <summary>The best promotion for a ride of <paramref name="fareMinor"/> in <paramref name="currency"/>: the largest discount, then the one expiring first.</summary>
    public PromotionOffer? BestFor(string currency, long fareMinor, long passedOnMinor, DateTimeOffset now) =>
        Items
            .Where(p => p.IsUsable(now) && p.Terms.Currency == currency)
            .Select(p => (p, Discount: p.Terms.DiscountOn(fareMinor, passedOnMinor)))
            .Where(x => x.Discount > 0)
            .OrderByDescending(x => x.Discount).ThenBy(x => x.p.ExpiresAt)
            .Select(x => new PromotionOffer(x.p.Code, x.p.Terms, x.Discount))
            .FirstOrDefault();

    /// <summary>
    /// Trip <paramref name="tripId"/> takes one of <paramref name="code"/>'s rides; the same trip again changes nothing.
    /// <see cref="PromotionRuleException"/> when it has none left or expired.
    /// </summary>
    public RiderPromotions Hold(string code, string tripId, DateTimeOffset now)
    {
        var item = Find(code) ?? throw new PromotionNotFoundException($"You do not hold the promotion {code}.");
        if (item.TripIds.Contains(tripId)) return this;
        if (!item.IsUsable(now))
        {
            throw new PromotionRuleException($"The promotion {code} was used up or expired since your quote; ask for a new quote.");
        }
        return Replace(item with { TripIds = [.. item.TripIds, tripId] });
    }

    /// <summary>Trip <paramref name="tripId"/> ended without a ride: its ride of <paramref name="code"/> is the rider's again.</summary>
    public RiderPromotions Release(string code, string tripId) =>
        Find(code) is { } item && item.TripIds.Contains(tripId)
            ? Replace(item with { TripIds = item.TripIds.Where(t => t != tripId).ToList() })
            : this;

    private RiderPromotions Replace(RiderPromotion item) =>
        this with { Items = Items.Select(p => p.Code == item.Code ? item : p).ToList() };
}

/// <summary>The promotion a trip was booked with; the discount follows the trip's fare until it is completed.</summary>
public sealed record TripPromotion(string Code, PromotionTerms Terms)
{
    public long DiscountOn(Trip trip) => Terms.DiscountOn(trip.FareMinor, trip.Breakdown?.PassedOnMinor ?? 0);
}
