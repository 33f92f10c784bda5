using System.Text.RegularExpressions;
using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Quests;

/// <summary>Only rides picked up within <see cref="RadiusKm"/> of a point count (a city).</summary>
public sealed record QuestArea(double Lat, double Lng, double RadiusKm)
{
    public const double MaxRadiusKm = 200;

    public bool Contains(GeoPoint point) => Geo.DistanceMeters(Lat, Lng, point.Lat, point.Lng) <= RadiusKm * 1000;
}

/// <summary>
/// A driver incentive support created (ADR 0038): complete <see cref="Target"/> rides whose completion falls in
/// [<see cref="StartsAt"/>, <see cref="EndsAt"/>) and match its filters, and earn <see cref="BonusMinor"/> once.
/// </summary>
public sealed record Quest
{
    public const int MaxTarget = 500;
    public const int MaxNameLength = 60;
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(31);

    /// <summary>Indexed with the same value on every quest, so support's list reads them newest first without a scan.</summary>
    public const string ListedField = "listed";
    public string Listed => "quest";

    /// <summary>
    /// Indexed: <see cref="CountsUntil"/> in Unix milliseconds, so a completion and a driver's list read only the quests
    /// whose window can hold them (<see cref="CountsUntilRange"/>) rather than every quest.
    /// </summary>
    public const string CountsUntilField = "countsUntilMs";
    public long CountsUntilMs => CountsUntil.ToUnixTimeMilliseconds();

    public required string Id { get; init; }
    public required string Name { get; init; }
    public required DateTimeOffset StartsAt { get; init; }
    public required DateTimeOffset EndsAt { get; init; }
    public required int Target { get; init; }
    public required long BonusMinor { get; init; }
    public required string Currency { get; init; }
    /// <summary>Null: rides picked up anywhere count.</summary>
    public QuestArea? Area { get; init; }
    /// <summary>Empty: rides of every class count.</summary>
    public IReadOnlyList<string> VehicleClasses { get; init; } = [];
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Support ended it before its window did: rides completed from then on do not count; bonuses earned stay.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    private static readonly Regex CurrencyFormat = new("^[A-Z]{3}$", RegexOptions.CultureInvariant);

    /// <summary>When rides stop counting: the end of its window, or when support ended it if that was sooner.</summary>
    public DateTimeOffset CountsUntil => EndedAt is { } ended && ended < EndsAt ? ended : EndsAt;

    /// <summary>A new quest, or <see cref="QuestRuleException"/> naming the field that cannot work.</summary>
    public static Quest Create(string id, string? name, DateTimeOffset startsAt, DateTimeOffset endsAt, int target, long bonusMinor, string? currency,
        QuestArea? area, IEnumerable<string>? vehicleClasses, string createdBy, DateTimeOffset now)
    {
        name = (name ?? "").Trim();
        currency = (currency ?? "").Trim().ToUpperInvariant();
        var classes = (vehicleClasses ?? []).Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        if (name.Length == 0 || name.Length > MaxNameLength || name.Any(char.IsControl)) throw new QuestRuleException("name", $"name is 1-{MaxNameLength} characters, e.g. Weekend rush.");
        if (endsAt <= startsAt) throw new QuestRuleException("endsAt", "endsAt is after startsAt.");
        if (endsAt - startsAt > LongestWindow) throw new QuestRuleException("endsAt", $"endsAt is at most {LongestWindow.TotalDays:0} days after startsAt.");
        if (endsAt <= now) throw new QuestRuleException("endsAt", "endsAt is in the future: a quest that already ended cannot be created.");
        if (target is < 1 or > MaxTarget) throw new QuestRuleException("target", $"target is 1-{MaxTarget} completed rides.");
        if (bonusMinor <= 0) throw new QuestRuleException("bonusMinor", "bonusMinor is more than 0 (in minor units: 4500 is 45.00).");
        if (!CurrencyFormat.IsMatch(currency)) throw new QuestRuleException("currency", "currency is a 3-letter ISO 4217 code, e.g. USD.");
        if (area is not null)
        {
            if (!new GeoPoint(area.Lat, area.Lng).IsValid) throw new QuestRuleException("area", "area.lat is -90..90 and area.lng -180..180.");
            if (area.RadiusKm is <= 0 or > QuestArea.MaxRadiusKm || double.IsNaN(area.RadiusKm))
            {
                throw new QuestRuleException("area.radiusKm", $"area.radiusKm is more than 0 and at most {QuestArea.MaxRadiusKm:0}.");
            }
        }
        if (classes.FirstOrDefault(c => !Contracts.VehicleClasses.IsKnown(c)) is { } unknown)
        {
            throw new QuestRuleException("vehicleClasses", $"vehicleClasses has {unknown}: each is one of {string.Join(", ", Contracts.VehicleClasses.All)}.");
        }
        return new Quest
        {
            Id = id, Name = name, StartsAt = startsAt, EndsAt = endsAt, Target = target, BonusMinor = bonusMinor, Currency = currency,
            Area = area, VehicleClasses = classes, CreatedBy = createdBy, CreatedAt = now,
        };
    }

    /// <summary>
    /// The <see cref="CountsUntilMs"/> (both ends included) of every quest that was counting at some instant from
    /// <paramref name="from"/> to <paramref name="to"/>: one counting then ends after <paramref name="from"/>, and, having
    /// started by <paramref name="to"/>, at most <see cref="LongestWindow"/> after it (ending early only moves the end
    /// sooner). A ride completed at t is counted only by quests in <c>CountsUntilRange(t, t)</c>, whenever its completion
    /// is handled.
    /// </summary>
    public static (long Min, long Max) CountsUntilRange(DateTimeOffset from, DateTimeOffset to) =>
        (from.ToUnixTimeMilliseconds(), (to + LongestWindow).ToUnixTimeMilliseconds());

    /// <summary>
    /// Whether a driver approved for <paramref name="classes"/> can do it: it names no class, or one of theirs (ADR 0022).
    /// </summary>
    public bool IsDrivableIn(IReadOnlyCollection<string> classes) => VehicleClasses.Count == 0 || VehicleClasses.Any(classes.Contains);

    public bool IsActive(DateTimeOffset now) => now >= StartsAt && now < CountsUntil;

    /// <summary>Ended (its window over, or ended by support) at most <paramref name="within"/> ago, or still running: what a driver's list shows.</summary>
    public bool IsShownAt(DateTimeOffset now, TimeSpan within) => now >= StartsAt && now - CountsUntil < within;

    /// <summary>
    /// Whether <paramref name="trip"/> counts: completed by a driver (a cancelled ride or a no-show, fee or not, never
    /// does) at a time inside the window before support ended it, picked up in the area and of a class the quest names.
    /// </summary>
    public bool Counts(Trip trip) =>
        trip is { Status: TripStatus.Completed, DriverId: not null, CompletedAt: { } completed }
        && completed >= StartsAt && completed < CountsUntil
        && (Area is null || Area.Contains(trip.Pickup))
        && (VehicleClasses.Count == 0 || VehicleClasses.Contains(trip.VehicleClass));

    /// <summary>Support ends it: rides completed from now on do not count. Ending it again changes nothing.</summary>
    public Quest End(DateTimeOffset now) => EndedAt is null && now < EndsAt ? this with { EndedAt = now } : this;
}

/// <summary>
/// A driver's progress on a quest (id <see cref="IdOf"/>): the rides that counted, by trip id, so a completion handled
/// twice counts once, and when the bonus was earned (once: later rides change nothing).
/// </summary>
public sealed record QuestProgress
{
    public const string DriverField = "driverId";
    public const string EarnedQuestField = "earnedQuestId";

    public required string QuestId { get; init; }
    public required string DriverId { get; init; }
    public IReadOnlyList<string> TripIds { get; init; } = [];
    public DateTimeOffset? EarnedAt { get; init; }
    /// <summary>The ride that reached the target.</summary>
    public string? EarnedByTripId { get; init; }
    /// <summary>The bonus as the quest said when it was earned (its name too, for the earnings card and statement).</summary>
    public long BonusMinor { get; init; }
    public string Currency { get; init; } = "";
    public string QuestName { get; init; } = "";

    /// <summary>Indexed: the quest, once this driver earned its bonus (support's count of who reached it).</summary>
    public string? EarnedQuestId => EarnedAt is null ? null : QuestId;

    public int Done => TripIds.Count;

    public static string IdOf(string questId, string driverId) => $"{questId}:{driverId}";

    public static QuestProgress Start(string questId, string driverId) => new() { QuestId = questId, DriverId = driverId };

    /// <summary>
    /// <paramref name="trip"/> completed: counted if the quest counts it and it was not counted before, and the bonus
    /// earned if that reached the target. The same instance when nothing changes (a redelivery, a ride that does not count,
    /// a bonus already earned).
    /// </summary>
    public QuestProgress Count(Quest quest, Trip trip)
    {
        if (EarnedAt is not null || trip.DriverId != DriverId || quest.Id != QuestId || TripIds.Contains(trip.Id) || !quest.Counts(trip)) return this;
        var counted = this with { TripIds = [.. TripIds, trip.Id] };
        return counted.Done < quest.Target
            ? counted
            : counted with
            {
                EarnedAt = trip.CompletedAt, EarnedByTripId = trip.Id, BonusMinor = quest.BonusMinor, Currency = quest.Currency, QuestName = quest.Name,
            };
    }
}

/// <summary>A quest refused: <see cref="Field"/> is what to change.</summary>
public sealed class QuestRuleException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>No quest has this id.</summary>
public sealed class QuestNotFoundException(string message) : Exception(message);
