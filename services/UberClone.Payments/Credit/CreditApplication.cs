using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Domain;
using UberClone.Storage;

namespace UberClone.Payments.Credit;

/// <summary>
/// Riders' ride credit (ADR 0051): support gives it, a fare is refunded as it, and the rider reads it. Each currency is an
/// account of its own (<see cref="CreditAccount"/>); every addition is keyed by its entry id, so a repeated request or a
/// resumed refund adds nothing twice, and its write carries <c>payment.event.credit_added</c>, so the rider is told once.
/// </summary>
public sealed class CreditApplication(IDocumentDatabase database, TimeProvider clock, ILogger<CreditApplication> logger)
{
    public IDocumentStore<CreditAccount> Accounts { get; } = database.Collection<CreditAccount>(CreditAccount.CollectionName, CreditAccount.RiderIdField);

    /// <summary>The rider's credit, one account per currency they ever had credit in.</summary>
    public async Task<IReadOnlyList<CreditAccount>> OfRiderAsync(string riderId, CancellationToken ct) =>
        [.. (await Accounts.QueryAsync(CreditAccount.RiderIdField, riderId, 50, ct)).Select(a => a.Document).OrderBy(a => a.Currency, StringComparer.Ordinal)];

    /// <summary>
    /// Adds <paramref name="amountMinor"/> of <paramref name="currency"/> to the rider's credit as entry
    /// <paramref name="entryId"/> (<paramref name="kind"/> grant | refund). Repeated with the same id, the account as it is.
    /// </summary>
    public async Task<CreditAccount> AddAsync(string riderId, string entryId, string kind, long amountMinor, string currency, string by, string reason, string? tripId,
        CancellationToken ct)
    {
        var id = CreditAccount.IdFor(riderId, currency);
        var now = clock.GetUtcNow();
        IReadOnlyList<OutboxMessage> Added(CreditAccount a) => [OutboxMessages.Create(Topics.PaymentCreditAdded, riderId,
            new PaymentCreditAddedIntegrationEvent(riderId, entryId, kind, amountMinor, a.Currency, a.BalanceMinor, reason, tripId, now))];
        if (await Accounts.GetAsync(id, ct) is null)
        {
            var opened = CreditAccount.Open(riderId, currency, now).Add(entryId, kind, amountMinor, by, reason, tripId, now);
            try
            {
                await Accounts.InsertAsync(id, opened, Added(opened), ct);
                logger.LogInformation("Rider {RiderId} got {Amount} {Currency} of ride credit ({Kind} {EntryId})", riderId, amountMinor, opened.Currency, kind, entryId);
                return opened;
            }
            catch (DuplicateDocumentException)
            {
                // Opened by another addition at the same moment: added to it below.
            }
        }
        var before = 0L;
        var account = await Accounts.UpdateAsync(id, a =>
        {
            before = a.BalanceMinor;
            return a.Add(entryId, kind, amountMinor, by, reason, tripId, now);
        }, Added, ct) ?? throw new InvalidOperationException($"The credit account {id} vanished while credit was added.");
        if (account.BalanceMinor != before)
        {
            logger.LogInformation("Rider {RiderId} got {Amount} {Currency} of ride credit ({Kind} {EntryId})", riderId, amountMinor, account.Currency, kind, entryId);
        }
        return account;
    }

    /// <summary>
    /// Spends up to <paramref name="upToMinor"/> of the rider's <paramref name="currency"/> credit on a trip's charge
    /// (<see cref="CreditAccount.Spend"/>), once per <paramref name="entryId"/>: how much it paid (0 without credit).
    /// </summary>
    public async Task<long> SpendAsync(string riderId, string currency, string entryId, long upToMinor, string tripId, CancellationToken ct)
    {
        var id = CreditAccount.IdFor(riderId, currency);
        if (upToMinor <= 0 || await Accounts.GetAsync(id, ct) is null) return 0;
        var spent = 0L;
        var now = clock.GetUtcNow();
        await Accounts.UpdateAsync(id, a => a.Spend(entryId, upToMinor, tripId, now, out spent), ct: ct);
        if (spent > 0) logger.LogInformation("Rider {RiderId} paid {Amount} {Currency} of trip {TripId} with ride credit", riderId, spent, currency, tripId);
        return spent;
    }

    /// <summary>The account was erased: its credit is forgotten with it (ride credit is not money paid out; ADR 0051).</summary>
    public async Task ForgetAsync(string riderId, CancellationToken ct)
    {
        foreach (var account in await Accounts.QueryAsync(CreditAccount.RiderIdField, riderId, 50, ct))
        {
            try
            {
                await Accounts.DeleteAsync(account.Id, account.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                throw new InvalidOperationException($"The credit of {riderId} changed while it was being forgotten; retrying.");
            }
        }
    }
}
