using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Payouts;

/// <summary>What a driver is owed and has been paid, for their app and for support.</summary>
public sealed record DriverPayouts(PayoutAccount? Account, IReadOnlyDictionary<string, long> Owed, IReadOnlyList<Payout> Recent, int CashOutsLastDay,
    IReadOnlyList<CashBalance>? CashBalances = null);

/// <summary>
/// What a driver owes from rides paid in cash in a currency where their net is negative (ADR 0042), now, against the
/// limit; <paramref name="Paused"/>: cash rides are not offered to them (the last crossing decided so).
/// </summary>
public sealed record CashBalance(string Currency, long OwedMinor, long LimitMinor, bool Paused);

/// <summary>
/// Paying drivers what they earn (ADR 0025): the ledger of what each earned (trips' earnings changes), their account at
/// the provider (onboarding on its page, confirmed by its signed webhook), the weekly payout and cashing out, each payout
/// claiming the lines it pays so no line is paid twice, and resumed with the same transfer key after a crash or an outage.
/// </summary>
public sealed class PayoutsApplication(IDocumentDatabase database, IPaymentProvider provider, TimeProvider clock, ILogger<PayoutsApplication> logger,
    CashLimitOptions? cashLimits = null)
{
    /// <summary>How often one write decides its driver's cash limit again when the ledger moved meanwhile (another line written at once).</summary>
    private const int MaxCashLimitRounds = 5;

    private readonly CashLimitOptions _cashLimits = cashLimits ?? new CashLimitOptions();

    /// <summary>The most lines one payout takes; more wait for the next one.</summary>
    public const int MaxLinesPerPayout = 5_000;

    /// <summary>An unfinished payout older than this is resumed by the payout job (its starter crashed, or the provider did not answer).</summary>
    public static readonly TimeSpan ResumeAfter = TimeSpan.FromMinutes(1);

    public IDocumentStore<EarningEntry> Entries { get; } =
        database.Collection<EarningEntry>("earning_entries", EarningEntry.UnpaidDriverField, EarningEntry.PayoutField);

    public IDocumentStore<PayoutAccount> Accounts { get; } = database.Collection<PayoutAccount>("payout_accounts", "accountId", PayoutAccount.NextPayoutField);

    public IDocumentStore<Payout> Payouts { get; } = database.Collection<Payout>("payouts", "driverId", Payout.OpenSinceField);

    /// <summary>Whether each driver is past the limit of what they may owe from cash rides, per currency (ADR 0042).</summary>
    public IDocumentStore<DriverCashLimit> CashLimits { get; } = database.Collection<DriverCashLimit>("driver_cash_limits");

    /// <summary>Each driver's time zone (id = the driver), from the gateway, for the payout account they may set up later.</summary>
    public IDocumentStore<DriverTimeZone> TimeZones { get; } = database.Collection<DriverTimeZone>("driver_time_zones");

    /// <summary>
    /// The driver's time zone changed (or was set): kept, and their payout account, if they have one, follows it (its
    /// weekly payout moves to Monday 00:00 there). An older change than the one kept changes nothing.
    /// </summary>
    public async Task TimeZoneSetAsync(string driverId, string timeZone, DateTimeOffset at, CancellationToken ct)
    {
        var zone = new DriverTimeZone(driverId, timeZone, at);
        try
        {
            await TimeZones.InsertAsync(driverId, zone, ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            await TimeZones.UpdateAsync(driverId, z => z.Newest(zone), ct: ct);
        }
        var now = clock.GetUtcNow();
        var account = await Accounts.UpdateAsync(driverId, a => a.InZone(timeZone, at, now), ct: ct);
        if (account?.TimeZoneAt == at) logger.LogInformation("Driver {DriverId}'s weekly payout follows {TimeZone}: next at {NextPayoutAt:u}", driverId, timeZone, account.NextPayoutAt);
    }

    /// <summary>A change of what a driver earns from a trip becomes a line of their ledger, once.</summary>
    public async Task RecordAsync(TripEarningsChangedIntegrationEvent change, CancellationToken ct)
    {
        if (change.ChangeMinor == 0) return;
        var entry = new EarningEntry
        {
            Id = EarningEntry.IdOf(change.TripId, change.Revision),
            DriverId = change.DriverId,
            TripId = change.TripId,
            Currency = change.Currency,
            AmountMinor = change.ChangeMinor,
            Kind = change.Kind,
            At = change.At,
        };
        await AddOnceAsync(entry, ct);
    }

    /// <summary>
    /// A quest's bonus (ADR 0038) becomes a line of the driver's ledger, once: its id is the quest's and the driver's
    /// (<see cref="EarningEntry.QuestBonusIdOf"/>), not a trip's revision, since the bonus is no trip's earnings.
    /// </summary>
    public async Task RecordBonusAsync(QuestBonusEarnedIntegrationEvent earned, CancellationToken ct)
    {
        if (earned.BonusMinor <= 0) return;
        var entry = new EarningEntry
        {
            Id = EarningEntry.QuestBonusIdOf(earned.QuestId, earned.DriverId),
            DriverId = earned.DriverId,
            TripId = earned.TripId,
            Currency = earned.Currency,
            AmountMinor = earned.BonusMinor,
            Kind = EarningEntry.QuestBonusKind,
            At = earned.At,
        };
        await AddOnceAsync(entry, ct);
    }

    /// <summary>
    /// A ledger line written once under its id: a redelivered change finds it there. Either way the driver's cash limit is
    /// decided again from the ledger (a crash after the line and before the decision is mended by the redelivery).
    /// </summary>
    private async Task AddOnceAsync(EarningEntry entry, CancellationToken ct)
    {
        try
        {
            await Entries.InsertAsync(entry.Id, entry, ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            // A redelivery: the line is there.
        }
        await DecideCashLimitAsync(entry.DriverId, entry.Currency, ct);
    }

    private async Task<long> NetAsync(string driverId, string currency, CancellationToken ct) =>
        PayoutSchedule.Owed((await Entries.QueryAsync(EarningEntry.UnpaidDriverField, driverId, MaxLinesPerPayout, ct)).Select(e => e.Document))
            .GetValueOrDefault(currency);

    /// <summary>
    /// Whether the driver is past the limit of what they may owe from cash rides in <paramref name="currency"/> (ADR 0042),
    /// decided from the ledger as it is now; a change is written with its event, once per crossing. Another line written
    /// at the same moment may have been missed by the read: the decision is made again until one changes nothing, so the
    /// state last written follows a ledger read after every write.
    /// </summary>
    public async Task DecideCashLimitAsync(string driverId, string currency, CancellationToken ct)
    {
        var limit = _cashLimits.LimitMinor(currency);
        var id = DriverCashLimit.IdOf(driverId, currency);
        for (var round = 0; round < MaxCashLimitRounds; round++)
        {
            var net = await NetAsync(driverId, currency, ct);
            var now = clock.GetUtcNow();
            var stored = await CashLimits.GetAsync(id, ct);
            if (stored is null)
            {
                if (DriverCashLimit.First(driverId, currency, net, limit, now) is not { } first) return;
                try
                {
                    await CashLimits.InsertAsync(id, first, [CashLimitMessage(first)], ct);
                }
                catch (DuplicateDocumentException)
                {
                    continue; // decided at the same moment elsewhere: decide again on what it wrote
                }
            }
            else
            {
                var next = stored.Document.After(net, limit, now);
                if (ReferenceEquals(next, stored.Document)) return;
                try
                {
                    await CashLimits.ReplaceAsync(id, next, stored.Version, [CashLimitMessage(next)], ct);
                }
                catch (ConcurrencyConflictException)
                {
                    continue;
                }
            }
            logger.LogInformation("Driver {DriverId} owes {Owed} {Currency} from cash rides (limit {Limit}): cash rides {Decision}", driverId, -net, currency, limit,
                DriverCashLimit.IsPast(net, limit) ? "paused" : "resumed");
        }
    }

    private static OutboxMessage CashLimitMessage(DriverCashLimit state) => OutboxMessages.Create(Topics.PaymentDriverCashLimit, state.DriverId,
        new DriverCashLimitIntegrationEvent(state.DriverId, state.Currency, state.OwedMinor, state.LimitMinor, state.Reached, state.Crossings, state.ChangedAt));

    public async Task<DriverPayouts> OfDriverAsync(string driverId, CancellationToken ct)
    {
        var account = (await Accounts.GetAsync(driverId, ct))?.Document;
        if (account is { IsEnabled: false } && account.Provider == provider.Name)
        {
            try
            {
                account = await RefreshAsync(account, ct);
            }
            catch (PaymentProviderException ex)
            {
                // What is owed and paid is ours: shown as it is, the account as last known.
                logger.LogWarning(ex, "Could not read driver {DriverId}'s account at the provider.", driverId);
            }
        }
        var owed = PayoutSchedule.Owed((await Entries.QueryAsync(EarningEntry.UnpaidDriverField, driverId, MaxLinesPerPayout, ct)).Select(e => e.Document));
        var recent = (await Payouts.QueryAsync("driverId", driverId, 20, ct)).Select(p => p.Document)
            .Where(p => p.Status != PayoutStatus.Empty).ToList();
        var paused = (await CashLimits.GetManyAsync(owed.Keys.Select(c => DriverCashLimit.IdOf(driverId, c)).ToList(), ct))
            .Where(l => l.Document.Reached).Select(l => l.Document.Currency).ToHashSet();
        var cash = owed.Where(o => o.Value < 0 || paused.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => new CashBalance(o.Key, Math.Max(0, -o.Value), _cashLimits.LimitMinor(o.Key), paused.Contains(o.Key))).ToList();
        return new DriverPayouts(account, owed, recent, await CashOutsLastDayAsync(driverId, ct), cash);
    }

    /// <summary>
    /// The provider's page where the driver gives their bank account. Their account at the provider is created first
    /// (once) and recorded, so the provider's confirmation names a driver of ours.
    /// </summary>
    public async Task<string> StartOnboardingAsync(string driverId, CancellationToken ct)
    {
        var stored = (await Accounts.GetAsync(driverId, ct))?.Document;
        var accountId = stored is not null && stored.Provider == provider.Name ? stored.AccountId : await provider.PayoutAccountAsync(driverId, ct);
        if (stored is null || stored.Provider != provider.Name)
        {
            var now = clock.GetUtcNow();
            var account = new PayoutAccount { Id = driverId, Provider = provider.Name, AccountId = accountId, CreatedAt = now, UpdatedAt = now };
            try
            {
                if (stored is null) await Accounts.InsertAsync(driverId, account, ct: ct);
                else await Accounts.UpdateAsync(driverId, a => a.Provider == provider.Name ? a : account, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                // Started twice at once: the provider gave both the same account.
            }
            // Read after the account is written: a zone the gateway tells meanwhile finds the account, or is read here.
            if ((await TimeZones.GetAsync(driverId, ct))?.Document is { } zone)
            {
                await Accounts.UpdateAsync(driverId, a => a.InZone(zone.TimeZone, zone.At, clock.GetUtcNow()), ct: ct);
            }
        }
        // Set up already (the driver changes the bank account, one their bank refused a payout to): the provider's page for that.
        return stored is { IsEnabled: true } && stored.Provider == provider.Name
            ? await provider.PayoutBankAccountUrlAsync(accountId, driverId, ct)
            : await provider.PayoutOnboardingUrlAsync(accountId, driverId, ct);
    }

    /// <summary>The provider says the account changed (its webhook): read it there and keep what it says. Null: not one of ours.</summary>
    public async Task<PayoutAccount?> AccountChangedAsync(string accountId, CancellationToken ct)
    {
        var account = (await Accounts.QueryAsync("accountId", accountId, 1, ct)).FirstOrDefault()?.Document;
        return account is null ? null : await RefreshAsync(account, ct);
    }

    /// <summary>
    /// The provider paid the driver's bank from their account there, or the bank refused it (its webhook): the account keeps
    /// the refusal, written with <c>payment.event.payout_bank_refused</c> (once per refused payout), until a payout is paid
    /// again (written with <c>payment.event.payout_bank_refusal_cleared</c>, once). News older than what the account knows
    /// changes nothing. Null: not one of ours.
    /// </summary>
    public async Task<PayoutAccount?> BankPayoutAsync(string accountId, BankPayout payout, CancellationToken ct)
    {
        if ((await Accounts.QueryAsync("accountId", accountId, 1, ct)).FirstOrDefault()?.Document is not { } account) return null;
        var now = clock.GetUtcNow();
        BankRefusal? cleared = null;   // the refusal this payout's news ends, decided with each attempt's write
        var updated = await Accounts.UpdateAsync(account.Id, a =>
            {
                var next = a.AccountId == accountId ? BankRefusals.After(a, payout, now) : a;
                cleared = a.BankRefusal is { } before && next.BankRefusal is null ? before : null;
                return next;
            },
            // Written only when it changed: for a refused payout, that is this refusal being kept; for a paid one, a refusal cleared.
            a => payout.Failed && a.BankRefusal is { } refusal && refusal.ProviderPayoutId == payout.ProviderPayoutId
                ? [OutboxMessages.Create(Topics.PayoutBankRefused, a.Id, new PayoutBankRefusedIntegrationEvent(
                    a.Id, refusal.ProviderPayoutId, refusal.AmountMinor, refusal.Currency, refusal.Code, refusal.Message, refusal.PaidOn, now))]
                : !payout.Failed && cleared is not null
                    ? [OutboxMessages.Create(Topics.PayoutBankRefusalCleared, a.Id, new PayoutBankRefusalClearedIntegrationEvent(
                        a.Id, payout.ProviderPayoutId, payout.AmountMinor, payout.Currency, now))]
                    : [], ct) ?? account;
        if (updated.BankRefusal is { } kept && kept.At == now && payout.Failed) logger.LogWarning("Driver {DriverId}'s bank refused payout {ProviderPayoutId}: {Code}", account.Id, kept.ProviderPayoutId, kept.Code);
        return updated;
    }

    private async Task<PayoutAccount> RefreshAsync(PayoutAccount account, CancellationToken ct)
    {
        var state = await provider.PayoutAccountStateAsync(account.AccountId, ct);
        var now = clock.GetUtcNow();
        var updated = await Accounts.UpdateAsync(account.Id, a => a.AccountId == state.AccountId ? a.WithProviderState(state.PayoutsEnabled, state.Destination, now) : a, ct: ct);
        if (updated is { IsEnabled: true } && !account.IsEnabled) logger.LogInformation("Driver {DriverId} can be paid out to {Destination}", account.Id, updated.Destination);
        return updated ?? account;
    }

    /// <summary>The driver cashes out everything they are owed now (each currency of at least the minimum).</summary>
    public async Task<IReadOnlyList<Payout>> CashOutAsync(string driverId, CancellationToken ct)
    {
        var state = await OfDriverAsync(driverId, ct);
        if (PayoutSchedule.CashOutRefusal(state.Account, state.Owed, state.CashOutsLastDay) is { } refusal) throw new PayoutRefusedException(refusal);
        var now = clock.GetUtcNow();
        var currencies = state.Owed.Where(o => o.Value >= PayoutSchedule.MinimumCashOutMinor).Select(o => o.Key).ToHashSet();
        return await PayOutAsync(state.Account!, now, PayoutTriggers.Instant, currencies, ct);
    }

    /// <summary>An erased driver's time zone is forgotten (a payout account, a money record, keeps the zone it paid in).</summary>
    public async Task ForgetTimeZoneAsync(string driverId, CancellationToken ct)
    {
        if (await TimeZones.GetAsync(driverId, ct) is { } kept) await TimeZones.DeleteAsync(driverId, kept.Version, ct);
    }

    /// <summary>
    /// The driver's account was erased: everything they are still owed is paid to their bank account now, in every
    /// currency, whatever the cash-out minimum (nobody can ask for it any more). Without an account that can be paid the
    /// lines stay owed in the ledger, under the driver's id, for support. Safe to repeat: lines a payout took are not owed.
    /// </summary>
    public async Task<IReadOnlyList<Payout>> PayOutErasedAsync(string driverId, CancellationToken ct)
    {
        var state = await OfDriverAsync(driverId, ct);
        var owed = state.Owed.Where(o => o.Value > 0).ToList();
        if (owed.Count == 0) return [];
        if (state.Account is not { IsEnabled: true } account || account.Provider != provider.Name)
        {
            logger.LogWarning("Erased driver {DriverId} is owed {Owed} and has no bank account to pay it to: it stays in the ledger.", driverId,
                string.Join(", ", owed.Select(o => $"{o.Value} {o.Key}")));
            return [];
        }
        return await PayOutAsync(account, clock.GetUtcNow(), PayoutTriggers.Final, null, ct);
    }

    /// <summary>
    /// The weekly payouts that are due (at most <paramref name="limit"/> accounts): what each driver earned before their
    /// run, in every currency owed. Returns how many accounts were looked at.
    /// </summary>
    public async Task<int> PayOutDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await Accounts.QueryUpToAsync(PayoutAccount.NextPayoutField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var stored in due)
        {
            var account = stored.Document;
            try
            {
                if (account.Provider == provider.Name) await PayOutAsync(account, account.NextPayoutAt!.Value, PayoutTriggers.Weekly, null, ct);
            }
            catch (Exception ex) when (ex is PaymentProviderException or PayoutRefusedException)
            {
                logger.LogWarning(ex, "The weekly payout of driver {DriverId} did not go through; it is resumed.", account.Id);
            }
            // Only the run just made: one a change of zone moved meanwhile is still to be made.
            await Accounts.UpdateAsync(account.Id, a => a.NextPayoutAt == account.NextPayoutAt ? a.WeeklyRunDone(now) : a, ct: ct);
        }
        return due.Count;
    }

    /// <summary>Finishes payouts left unfinished (a crash while claiming, an outage during the transfer). Returns how many were looked at.</summary>
    public async Task<int> ResumeOpenAsync(int limit, CancellationToken ct)
    {
        var before = clock.GetUtcNow() - ResumeAfter;
        var open = await Payouts.QueryUpToAsync(Payout.OpenSinceField, before.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var payout in open)
        {
            try
            {
                await FinishAsync(payout.Document, ct);
                await DecideCashLimitAsync(payout.Document.DriverId, payout.Document.Currency, ct);
            }
            catch (PaymentProviderException ex)
            {
                logger.LogWarning(ex, "Payout {PayoutId} is still not answered by the provider; trying again later.", payout.Id);
            }
        }
        return open.Count;
    }

    /// <summary>Pays what the driver earned before <paramref name="earnedBefore"/> (a cash-out or a final payout: everything owed now), a payout per currency owed.</summary>
    private async Task<IReadOnlyList<Payout>> PayOutAsync(PayoutAccount account, DateTimeOffset earnedBefore, string trigger, IReadOnlySet<string>? currencies, CancellationToken ct)
    {
        var lines = (await Entries.QueryAsync(EarningEntry.UnpaidDriverField, account.Id, MaxLinesPerPayout, ct))
            .Select(e => e.Document).Where(e => (trigger != PayoutTriggers.Weekly || e.At < earnedBefore) && (currencies is null || currencies.Contains(e.Currency))).ToList();
        var now = clock.GetUtcNow();
        var made = new List<Payout>();
        foreach (var currency in PayoutSchedule.Owed(lines).Where(o => o.Value > 0).Select(o => o.Key))
        {
            // What the payout took (or gave back) moved the net: a weekly payout of older earnings may leave a newer cash debt alone.
            Payout payout;
            try
            {
                payout = await PayOutAsync(account, currency, lines.Where(l => l.Currency == currency), earnedBefore, trigger, now, ct);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                await DecideCashLimitAfterFailureAsync(account.Id, currency, failure, ct);
                throw;
            }
            made.Add(payout);
            await DecideCashLimitAsync(account.Id, currency, ct);
        }
        return made;
    }

    /// <summary>
    /// A payout that failed may still have taken lines, so the cash limit is decided all the same; but if that fails too
    /// it is logged, not thrown: the payout's failure is the one its caller must see (the next ledger write decides again).
    /// </summary>
    private async Task DecideCashLimitAfterFailureAsync(string driverId, string currency, Exception payoutFailure, CancellationToken ct)
    {
        try
        {
            await DecideCashLimitAsync(driverId, currency, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The cash limit of driver {DriverId} in {Currency} was not decided after a payout failed ({PayoutFailure}); the next ledger write decides it",
                driverId, currency, payoutFailure.Message);
        }
    }

    /// <summary>A payout of <paramref name="currency"/>: what the <paramref name="lines"/> owed in it add up to.</summary>
    private async Task<Payout> PayOutAsync(PayoutAccount account, string currency, IEnumerable<EarningEntry> lines, DateTimeOffset earnedBefore, string trigger,
        DateTimeOffset now, CancellationToken ct)
    {
        var payout = new Payout
        {
            Id = "po_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
            DriverId = account.Id,
            Currency = currency,
            Trigger = trigger,
            EarningsBefore = earnedBefore,
            AccountId = account.AccountId,
            Destination = account.Destination,
            CreatedAt = now,
        };
        // Written before any line is taken: a crash from here on is found by the payout job and resumed.
        await Payouts.InsertAsync(payout.Id, payout, ct: ct);
        foreach (var line in lines)
        {
            await Entries.UpdateAsync(line.Id, e => e.TakenBy(payout.Id), ct: ct);
        }
        return await FinishAsync(payout, ct);
    }

    /// <summary>Fixes a claiming payout's amount from the lines that name it, then makes (or asks again for) its transfer.</summary>
    private async Task<Payout> FinishAsync(Payout payout, CancellationToken ct)
    {
        if (payout.Status == PayoutStatus.Claiming)
        {
            // Lines taken by another payout meanwhile are not this one's: only what names it is paid.
            var taken = (await Entries.QueryAsync(EarningEntry.PayoutField, payout.Id, MaxLinesPerPayout, ct)).Select(e => e.Document).ToList();
            var amount = taken.Sum(e => e.AmountMinor);
            payout = await Payouts.UpdateAsync(payout.Id, p => p.Claimed(amount, taken.Count), ct: ct) ?? payout;
            if (payout.Status == PayoutStatus.Empty) await ReleaseAsync(payout, ct);
        }
        if (payout.Status != PayoutStatus.Pending) return payout;

        var answer = await provider.TransferAsync(new TransferRequest(payout.Id, payout.DriverId, payout.AccountId, payout.AmountMinor, payout.Currency), ct);
        var now = clock.GetUtcNow();
        if (answer.Succeeded)
        {
            logger.LogInformation("Payout {PayoutId} of {Amount} {Currency} to driver {DriverId}: paid", payout.Id, payout.AmountMinor, payout.Currency, payout.DriverId);
            return await Payouts.UpdateAsync(payout.Id, p => p.MarkPaid(answer.TransferId ?? "", now), p => p.Status == PayoutStatus.Paid
                ? [OutboxMessages.Create(Topics.PayoutPaid, p.DriverId, new PayoutPaidIntegrationEvent(
                    p.Id, p.DriverId, p.AmountMinor, p.Currency, p.Trigger, p.Destination ?? "", p.EarningsBefore, now))]
                : [], ct) ?? payout;
        }
        var reason = answer.FailureCode ?? "transfer_refused";
        logger.LogWarning("Payout {PayoutId} to driver {DriverId} refused: {Reason}", payout.Id, payout.DriverId, reason);
        var failed = await Payouts.UpdateAsync(payout.Id, p => p.MarkFailed(reason, now), p => p.Status == PayoutStatus.Failed
            ? [OutboxMessages.Create(Topics.PayoutFailed, p.DriverId, new PayoutFailedIntegrationEvent(p.Id, p.DriverId, p.AmountMinor, p.Currency, p.Trigger, reason, now))]
            : [], ct) ?? payout;
        await ReleaseAsync(failed, ct);
        return failed;
    }

    /// <summary>A payout that pays nothing gives its lines back: they are owed again.</summary>
    private async Task ReleaseAsync(Payout payout, CancellationToken ct)
    {
        foreach (var line in await Entries.QueryAsync(EarningEntry.PayoutField, payout.Id, MaxLinesPerPayout, ct))
        {
            await Entries.UpdateAsync(line.Id, e => e.Released(payout.Id), ct: ct);
        }
    }

    private async Task<int> CashOutsLastDayAsync(string driverId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-1);
        return (await Payouts.QueryAsync("driverId", driverId, 50, ct))
            .Count(p => p.Document is { Trigger: PayoutTriggers.Instant } x && x.CreatedAt > since && x.Status is not (PayoutStatus.Failed or PayoutStatus.Empty));
    }
}
