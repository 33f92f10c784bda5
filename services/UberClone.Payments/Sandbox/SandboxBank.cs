using System.Text.Json;
using UberClone.Payments.Application;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;
using UberClone.Storage;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// A payout from a driver's sandbox account to their bank (what Stripe does on its own after our transfer reaches the
/// connected account): in transit until the sandbox's bank answers (<see cref="DueAtMs"/>, indexed), then paid or failed
/// with the bank's code. <see cref="PaidAgainBy"/>: a failed one's money, sent again once the bank account was changed.
/// </summary>
public sealed record SandboxBankPayout(string Id, string AccountId, long AmountMinor, string Currency, DateTimeOffset CreatedAt, string Status,
    string? FailureCode = null, string? PaidAgainBy = null)
{
    public const string DueField = "dueAtMs";
    public const string InTransit = "in_transit";
    public const string Paid = "paid";
    public const string Failed = "failed";

    public long? DueAtMs => Status == InTransit ? CreatedAt.ToUnixTimeMilliseconds() : null;

    /// <summary>The day the bank is to show it: the next day, as a standard payout.</summary>
    public DateTimeOffset ArrivalDate => new(CreatedAt.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    /// <summary>The payout of a transfer that reached the account: one per transfer, whatever asks for it.</summary>
    public static SandboxBankPayout Of(SandboxTransfer transfer, DateTimeOffset now) =>
        new("po_sandbox_" + transfer.TransferId["tr_sandbox_".Length..], transfer.AccountId, transfer.AmountMinor, transfer.Currency.ToUpperInvariant(), now, InTransit);
}

/// <summary>
/// The sandbox's bank (the local stack has none): it answers each payout in transit from a driver's account as the
/// account's test IBAN says (<see cref="SandboxBankAccounts"/>: <c>DE35 3704 0044 0532 0130 02</c> refuses them,
/// <c>account_closed</c>), and tells payments with the webhook Stripe would send for the connected account
/// (<c>payout.paid</c> / <c>payout.failed</c>), signed and handed to the same processor as Stripe's own. The money of
/// a refused payout stays in the account and is sent again once the driver gives another bank account.
/// </summary>
public sealed class SandboxBank(SandboxProviderStore store, StripeWebhookProcessor webhooks, WebhookSecret secret, TimeProvider clock, ILogger<SandboxBank> logger)
{
    /// <summary>Answers the payouts in transit (at most <paramref name="limit"/>); returns how many were looked at.</summary>
    public async Task<int> AnswerDueAsync(int limit, CancellationToken ct)
    {
        var due = await store.BankPayouts.QueryUpToAsync(SandboxBankPayout.DueField, clock.GetUtcNow().ToUnixTimeMilliseconds(), limit, ct);
        foreach (var payout in due) await AnswerAsync(payout.Document, ct);
        return due.Count;
    }

    /// <summary>
    /// The driver gave another bank account: what the bank refused before is sent again to it (and answered at once).
    /// Nothing while the account's bank still refuses.
    /// </summary>
    public async Task PayAgainAsync(string accountId, CancellationToken ct)
    {
        if ((await store.Accounts.GetAsync(accountId, ct))?.Document is not { BankRefusal: null, PayoutsEnabled: true }) return;
        foreach (var stored in await store.BankPayouts.QueryAsync("accountId", accountId, 100, ct))
        {
            if (stored.Document is not { Status: SandboxBankPayout.Failed, PaidAgainBy: null } failed) continue;
            var again = failed with { Id = failed.Id + "_again", CreatedAt = clock.GetUtcNow(), Status = SandboxBankPayout.InTransit, FailureCode = null };
            try
            {
                await store.BankPayouts.InsertAsync(again.Id, again, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                // Sent again before (a crash before the refused one was marked).
            }
            await store.BankPayouts.UpdateAsync(failed.Id, p => p with { PaidAgainBy = again.Id }, ct: ct);
            if ((await store.BankPayouts.GetAsync(again.Id, ct))?.Document is { Status: SandboxBankPayout.InTransit } inTransit) await AnswerAsync(inTransit, ct);
        }
    }

    /// <summary>The webhook first, then the payout marked: a crash between sends it again, which payments takes once.</summary>
    private async Task AnswerAsync(SandboxBankPayout payout, CancellationToken ct)
    {
        var refusal = (await store.Accounts.GetAsync(payout.AccountId, ct))?.Document.BankRefusal;
        var answered = payout with { Status = refusal is null ? SandboxBankPayout.Paid : SandboxBankPayout.Failed, FailureCode = refusal };
        var now = clock.GetUtcNow();
        var payload = JsonSerializer.Serialize(new
        {
            id = SandboxPaymentProvider.NewId("evt_sandbox_"),
            @object = "event",
            created = now.ToUnixTimeSeconds(),
            livemode = false,
            type = refusal is null ? "payout.paid" : "payout.failed",
            account = payout.AccountId,
            data = new
            {
                @object = new
                {
                    id = payout.Id,
                    @object = "payout",
                    amount = payout.AmountMinor,
                    currency = payout.Currency.ToLowerInvariant(),
                    arrival_date = payout.ArrivalDate.ToUnixTimeSeconds(),
                    created = payout.CreatedAt.ToUnixTimeSeconds(),
                    status = answered.Status,
                    type = "bank_account",
                    method = "standard",
                    failure_code = refusal,
                    failure_message = refusal is null ? null : $"The bank refused the payout ({refusal}).",
                },
            },
        });
        var result = await webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret.Value, now), ct);
        if (result.Outcome is WebhookOutcome.Rejected or WebhookOutcome.RetryLater)
        {
            logger.LogWarning("The sandbox bank's {Payout} was not taken: {Detail}", payout.Id, result.Detail);
            return;
        }
        await store.BankPayouts.UpdateAsync(payout.Id, p => p.Status == SandboxBankPayout.InTransit ? answered : p, ct: ct);
    }
}

/// <summary>Every <c>Sandbox:BankPoll</c> (2 seconds): the sandbox's bank answers the payouts in transit (sandbox only).</summary>
public sealed class SandboxBankJob(SandboxBank bank, IConfiguration configuration, ILogger<SandboxBankJob> logger)
    : PeriodicJob(configuration, "Sandbox:BankPoll", TimeSpan.FromSeconds(2), logger)
{
    protected override string What => "The sandbox bank";

    protected override async Task RunAsync(CancellationToken ct)
    {
        while (await bank.AnswerDueAsync(100, ct) == 100 && !ct.IsCancellationRequested)
        {
            // More payouts are in transit than one batch: go on.
        }
    }
}
