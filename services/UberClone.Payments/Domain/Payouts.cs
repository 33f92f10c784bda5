using UberClone.Contracts;

namespace UberClone.Payments.Domain;

/// <summary>
/// One line of a driver's ledger (ADR 0025): a change of what they earn from one trip (trips' <c>trip.event.earnings_changed</c>),
/// named "{tripId}:{revision}" so a redelivered change is one line. <see cref="PayoutId"/>: the payout that took it (null: owed).
/// </summary>
public sealed record EarningEntry
{
    public const string UnpaidDriverField = "unpaidDriverId";
    public const string PayoutField = "payoutId";

    public required string Id { get; init; }
    public required string DriverId { get; init; }
    public required string TripId { get; init; }
    public required string Currency { get; init; }
    /// <summary>The change: positive when the driver earns more (a fare, a tip), negative when less (a fare adjustment).</summary>
    public required long AmountMinor { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? PayoutId { get; init; }

    /// <summary>Indexed: the driver while the line is owed to them, null once a payout took it.</summary>
    public string? UnpaidDriverId => PayoutId is null ? DriverId : null;

    public static string IdOf(string tripId, int revision) => $"{tripId}:{revision}";

    /// <summary>A quest's bonus (ADR 0038): one line per quest and driver, whichever ride reached the target (<see cref="TripId"/>).</summary>
    public static string QuestBonusIdOf(string questId, string driverId) => $"quest:{questId}:{driverId}";

    public const string QuestBonusKind = "quest_bonus";

    public EarningEntry TakenBy(string payoutId) => PayoutId is null ? this with { PayoutId = payoutId } : this;

    public EarningEntry Released(string payoutId) => PayoutId == payoutId ? this with { PayoutId = null } : this;
}

public static class PayoutAccountStatus
{
    /// <summary>The driver started on the provider's page and has not finished (or the provider still checks them).</summary>
    public const string Onboarding = "onboarding";
    /// <summary>The provider pays the driver's bank account: payouts go there.</summary>
    public const string Enabled = "enabled";
}

/// <summary>
/// Where a driver is paid (id = the driver): their account at the provider (a Stripe Connect Express account, or the
/// sandbox's), and how they recognise its bank account ("DE •••• 3000", or the bank's name and the last 4). Weekly payouts are due at <see cref="NextPayoutAt"/>:
/// Monday 00:00 in the driver's <see cref="TimeZone"/> (the gateway's, as of <see cref="TimeZoneAt"/>; UTC without one).
/// <see cref="LastWeeklyRunDay"/>: the local Monday of the last weekly run, so a change of zone never pays a week twice.
/// </summary>
public sealed record PayoutAccount
{
    public const string NextPayoutField = "nextPayoutAtMs";

    public required string Id { get; init; }
    public required string Provider { get; init; }
    public required string AccountId { get; init; }
    public string Status { get; init; } = PayoutAccountStatus.Onboarding;
    public string? Destination { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EnabledAt { get; init; }
    public DateTimeOffset? NextPayoutAt { get; init; }
    public string? TimeZone { get; init; }
    public DateTimeOffset? TimeZoneAt { get; init; }
    public DateOnly? LastWeeklyRunDay { get; init; }
    /// <summary>The bank refused the provider's last payout to it (<see cref="BankRefusals"/>); null once a payout is paid again.</summary>
    public BankRefusal? BankRefusal { get; init; }
    /// <summary>When the newest of the provider's payouts to the bank that we were told of was made, and its id: older news changes nothing.</summary>
    public DateTimeOffset? BankPayoutAt { get; init; }
    public string? BankPayoutId { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Indexed: when the weekly payout is due, only for an account payouts can go to.</summary>
    public long? NextPayoutAtMs => Status == PayoutAccountStatus.Enabled ? NextPayoutAt?.ToUnixTimeMilliseconds() : null;

    public bool IsEnabled => Status == PayoutAccountStatus.Enabled;

    /// <summary>What the provider says of the account now: payouts enabled (to <paramref name="destination"/>) or not yet.</summary>
    public PayoutAccount WithProviderState(bool payoutsEnabled, string? destination, DateTimeOffset now)
    {
        var status = payoutsEnabled ? PayoutAccountStatus.Enabled : PayoutAccountStatus.Onboarding;
        if (status == Status && destination == Destination) return this;
        return this with
        {
            Status = status,
            Destination = destination ?? Destination,
            EnabledAt = payoutsEnabled ? EnabledAt ?? now : EnabledAt,
            NextPayoutAt = payoutsEnabled ? NextPayoutAt ?? PayoutSchedule.NextWeeklyRun(now, Zone()) : NextPayoutAt,
            UpdatedAt = now,
        };
    }

    /// <summary>The zone weekly payouts follow: the driver's, UTC when none is known (or this machine does not know it).</summary>
    public TimeZoneInfo Zone() => PayoutSchedule.ZoneOf(TimeZone);

    /// <summary>
    /// The weekly payout that was due (at <see cref="NextPayoutAt"/>) ran: the next is the first local Monday after
    /// <paramref name="now"/> (a run days late does not run again for the weeks it missed: it paid them).
    /// </summary>
    public PayoutAccount WeeklyRunDone(DateTimeOffset now) => this with
    {
        LastWeeklyRunDay = NextPayoutAt is { } ran ? UberClone.Contracts.DriverWeeks.LocalDay(ran, Zone()) : LastWeeklyRunDay,
        NextPayoutAt = PayoutSchedule.NextWeeklyRun(now, Zone()),
        UpdatedAt = now,
    };

    /// <summary>
    /// The driver's time zone is <paramref name="timeZone"/> since <paramref name="at"/> (ignored when an older change
    /// than the one kept, or the same one). A scheduled weekly payout moves to Monday 00:00 there
    /// (<see cref="PayoutSchedule.NextRunInZone"/>).
    /// </summary>
    public PayoutAccount InZone(string timeZone, DateTimeOffset at, DateTimeOffset now)
    {
        if (TimeZoneAt >= at) return this;
        var moved = this with { TimeZone = timeZone, TimeZoneAt = at, UpdatedAt = now };
        return timeZone == TimeZone || NextPayoutAt is null ? moved : moved with { NextPayoutAt = PayoutSchedule.NextRunInZone(now, moved.Zone(), LastWeeklyRunDay) };
    }
}

/// <summary>
/// A driver's time zone as the gateway last told it (<c>account.event.time_zone_set</c>), kept whether or not they have
/// a payout account yet: a driver may sign up long before they give a bank account. <see cref="At"/> orders the changes.
/// </summary>
public sealed record DriverTimeZone(string Id, string TimeZone, DateTimeOffset At)
{
    /// <summary>This change, unless the one kept is as new or newer (a redelivery, or an older change arriving late).</summary>
    public DriverTimeZone Newest(DriverTimeZone other) => other.At > At ? other : this;
}

public static class PayoutStatus
{
    /// <summary>Written before it takes the lines owed: a crash here is resumed from the lines that name it.</summary>
    public const string Claiming = "claiming";
    /// <summary>Its lines are taken and its amount fixed; the transfer is being made (again, with the same key, after a crash or an outage).</summary>
    public const string Pending = "pending";
    public const string Paid = "paid";
    /// <summary>The provider refused it; its lines are owed again.</summary>
    public const string Failed = "failed";
    /// <summary>What it took came to nothing to pay (the lines cancelled each other out): they are owed again.</summary>
    public const string Empty = "empty";
}

public static class PayoutTriggers
{
    public const string Weekly = "weekly";
    /// <summary>The driver cashed out.</summary>
    public const string Instant = "instant";
    /// <summary>The driver's account was erased: everything they were owed, whatever the minimum.</summary>
    public const string Final = "final";
}

/// <summary>
/// Money moved to a driver: what they earned before <see cref="EarningsBefore"/> and had not been paid, in one currency.
/// Its transfer's idempotency key is its id, so asking again never pays twice.
/// </summary>
public sealed record Payout
{
    public const string OpenSinceField = "openSinceMs";

    public required string Id { get; init; }
    public required string DriverId { get; init; }
    public required string Currency { get; init; }
    public long AmountMinor { get; init; }
    public int Lines { get; init; }
    public required string Trigger { get; init; }
    public string Status { get; init; } = PayoutStatus.Claiming;
    public required DateTimeOffset EarningsBefore { get; init; }
    public required string AccountId { get; init; }
    public string? Destination { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public string? TransferId { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public string? FailureReason { get; init; }

    public bool IsOpen => Status is PayoutStatus.Claiming or PayoutStatus.Pending;

    /// <summary>Indexed: when an unfinished payout was started, so one left by a crash or an outage is resumed.</summary>
    public long? OpenSinceMs => IsOpen ? CreatedAt.ToUnixTimeMilliseconds() : null;

    /// <summary>The lines it took add up to <paramref name="amountMinor"/>: pending its transfer, or empty when there is nothing to pay.</summary>
    public Payout Claimed(long amountMinor, int lines) => Status != PayoutStatus.Claiming ? this
        : this with { AmountMinor = amountMinor, Lines = lines, Status = amountMinor > 0 ? PayoutStatus.Pending : PayoutStatus.Empty };

    public Payout MarkPaid(string transferId, DateTimeOffset now) =>
        Status == PayoutStatus.Pending ? this with { Status = PayoutStatus.Paid, TransferId = transferId, PaidAt = now } : this;

    public Payout MarkFailed(string reason, DateTimeOffset now) =>
        Status == PayoutStatus.Pending ? this with { Status = PayoutStatus.Failed, FailureReason = reason, FailedAt = now } : this;
}

/// <summary>When payouts happen and what a driver may cash out (ADR 0025).</summary>
public static class PayoutSchedule
{

    /// <summary>A cash-out is for at least this much (minor units) in the currency.</summary>
    public const long MinimumCashOutMinor = 100;

    /// <summary>At most this many cash-outs in 24 hours.</summary>
    public const int CashOutsPerDay = 5;

    /// <summary>The zone of an IANA id ("Asia/Tokyo"); UTC for none, or one this machine does not know.</summary>
    public static TimeZoneInfo ZoneOf(string? id) =>
        id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The first weekly run strictly after <paramref name="now"/>: Monday 00:00 in <paramref name="zone"/>, when the
    /// driver's statement week ends (<see cref="DriverWeeks.Start"/>: one instant even where that midnight is skipped or
    /// happens twice). The run pays what was earned before that same instant.
    /// </summary>
    public static DateTimeOffset NextWeeklyRun(DateTimeOffset now, TimeZoneInfo zone)
    {
        var monday = DriverWeeks.MondayOf(DriverWeeks.LocalDay(now, zone));
        var run = DriverWeeks.Start(monday, zone);
        while (run <= now)
        {
            monday = monday.AddDays(7);
            run = DriverWeeks.Start(monday, zone);
        }
        return run;
    }

    /// <summary>
    /// The weekly run once the driver's zone became <paramref name="zone"/>. A week is named by its Monday's date, and a
    /// weekly run is made once per Monday (<paramref name="lastRunDay"/>: the local Monday of the last run, in the zone
    /// it ran in): when this week's Monday 00:00 there has passed and no run was for that Monday, it is due now and pays
    /// what was earned before it (a driver who moves east is not left waiting a week); otherwise the next Monday 00:00
    /// there that no run was for (a driver who moves west after their Monday's run is not paid for it again hours later).
    /// </summary>
    public static DateTimeOffset NextRunInZone(DateTimeOffset now, TimeZoneInfo zone, DateOnly? lastRunDay)
    {
        var monday = DriverWeeks.MondayOf(DriverWeeks.LocalDay(now, zone));
        var start = DriverWeeks.Start(monday, zone);
        if (lastRunDay is { } last && monday > last && start <= now) return start;
        var next = NextWeeklyRun(now, zone);
        return lastRunDay is { } ran && DriverWeeks.LocalDay(next, zone) <= ran ? NextWeeklyRun(next, zone) : next;
    }

    /// <summary>What is owed per currency: the sum of the lines not yet paid out (negative when a fare adjustment came after a payout).</summary>
    public static IReadOnlyDictionary<string, long> Owed(IEnumerable<EarningEntry> unpaid) =>
        unpaid.Where(e => e.PayoutId is null).GroupBy(e => e.Currency).ToDictionary(g => g.Key, g => g.Sum(e => e.AmountMinor));

    /// <summary>Why a cash-out of <paramref name="owed"/> cannot be made now; null when it can.</summary>
    public static string? CashOutRefusal(PayoutAccount? account, IReadOnlyDictionary<string, long> owed, int cashOutsLastDay)
    {
        if (account is not { IsEnabled: true }) return "Set up payouts first: add the bank account your earnings go to.";
        if (cashOutsLastDay >= CashOutsPerDay) return $"You can cash out at most {CashOutsPerDay} times in 24 hours.";
        if (!owed.Values.Any(v => v >= MinimumCashOutMinor))
        {
            // Rides paid in cash (ADR 0042): the platform's part the driver collected is taken from what they earn next.
            if (owed.Where(o => o.Value < 0).OrderBy(o => o.Value).FirstOrDefault() is { Key: { } currency, Value: var net })
            {
                return $"You owe {UberClone.Contracts.Currencies.Display(-net, currency)} from rides paid in cash: it is taken from what you earn next, so there is nothing to cash out yet.";
            }
            var most = owed.OrderByDescending(o => o.Value).Select(o => o.Key).FirstOrDefault();
            return "There is not enough to cash out yet" + (most is null ? "." : $" (at least {UberClone.Contracts.Currencies.Display(MinimumCashOutMinor, most)}).");
        }
        return null;
    }
}

/// <summary>A payout that cannot be made now (no account, nothing owed, too many cash-outs): nothing was written.</summary>
public sealed class PayoutRefusedException(string message) : Exception(message);
