using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// What ride credit paid of a ride is refundable too (ADR 0051): a refund goes back to the card as far as the card paid,
/// the rest to ride credit (what credit paid), each part once; a refund of kind credit all to ride credit. A charge that
/// fails keeps the credit it took (the rider owes the rest) and says so.
/// </summary>
public sealed class CreditRefundTests : IDisposable
{
    private readonly PaymentsHarness _h;
    private readonly RecordingRefunds _provider;

    public CreditRefundTests()
    {
        RecordingRefunds? provider = null;
        _h = new PaymentsHarness(store => provider = new RecordingRefunds(new SandboxPaymentProvider(store)));
        _provider = provider!;
    }

    public void Dispose() => _h.Dispose();

    /// <summary>The sandbox, remembering what each refund asked the bank to give back.</summary>
    private sealed class RecordingRefunds(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public List<long> Refunded { get; } = [];

        public override Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct)
        {
            Refunded.Add(request.AmountMinor);
            return base.RefundAsync(request, ct);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task GrantAsync(long amountMinor) =>
        _h.Credit.AddAsync("rider-1", "grant_1", PaymentCreditAddedIntegrationEvent.Grant, amountMinor, "EUR", "op-1", "Late driver", null, Ct);

    private async Task<long> BalanceAsync() =>
        (await _h.Credit.Accounts.GetAsync(CreditAccount.IdFor("rider-1", "EUR"), Ct))?.Document.BalanceMinor ?? 0;

    private async Task<List<(string RefundId, long Amount, long Credit, bool Full)>> RefundedAsync() =>
        [.. (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentRefunded)
            .Select(m => ((string)m.Data["refundId"]!, (long)m.Data["amountMinor"]!, (long)m.Data["creditMinor"]!, (bool)m.Data["fullyRefunded"]!))];

    private static PaymentSession Paid(long cardMinor, long creditMinor, string method = PaymentMethods.Card) => new()
    {
        Id = "ps_t1_1", TripId = "t1", RiderId = "rider-1", AmountMinor = cardMinor, CreditPaidMinor = creditMinor, Currency = "EUR", Attempt = 1,
        Status = PaymentStatus.Succeeded, Provider = "sandbox", ProviderSessionId = "card_ps_t1_1", CheckoutUrl = "", Method = method,
        CreatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_refund_goes_to_the_card_as_far_as_it_paid_and_the_rest_back_to_ride_credit()
    {
        var now = DateTimeOffset.UnixEpoch;
        var paid = Paid(cardMinor: 750, creditMinor: 500);
        Assert.Equal((1_250L, 1_250L, 750L), (paid.PaidTotalMinor, paid.RefundableMinor, paid.CardRefundableMinor));

        var first = paid.ReserveRefund("re-1", 600, "Detour", now).CompleteRefund("re-1", "re_1", now);
        Assert.Equal((600L, 0L), (first.Refunds[0].ToCardMinor, first.Refunds[0].ToCreditMinor));
        var second = first.ReserveRefund("re-2", 400, "More", now);
        Assert.Equal((150L, 250L), (second.Refunds[1].ToCardMinor, second.Refunds[1].ToCreditMinor)); // the card has 150 left
        var done = second.CompleteRefund("re-2", "re_2", now);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 1_000L, 250L, 250L, 0L),
            (done.Status, done.RefundedMinor, done.CreditRefundedMinor, done.RefundableMinor, done.CardRefundableMinor));

        var asCredit = done.ReserveRefund("re-3", 250, "All of it", now, RefundKinds.Credit).CompleteRefund("re-3", "credit_re-3", now);
        Assert.Equal((PaymentStatus.Refunded, 1_250L, 0L), (asCredit.Status, asCredit.RefundedMinor, asCredit.RefundableMinor));
        Assert.Throws<RefundRejectedException>(() => asCredit.ReserveRefund("re-4", 1, "Too much", now));
    }

    [Fact]
    public void The_providers_card_total_counts_beside_the_credit_given_back_whatever_came_first()
    {
        var now = DateTimeOffset.UnixEpoch;
        // 300 given back as credit first, then the card refunded 200 at the provider by hand: 500 in all.
        var asCredit = Paid(cardMinor: 750, creditMinor: 500).ReserveRefund("re-1", 300, "Sorry", now, RefundKinds.Credit).CompleteRefund("re-1", "credit_re-1", now);
        var byHand = asCredit.RecordRefundedTotal(200, "evt_1", now);
        Assert.Equal((500L, 300L, 550L), (byHand.RefundedMinor, byHand.CreditRefundedMinor, byHand.CardRefundableMinor));
        Assert.Same(byHand, byHand.RecordRefundedTotal(200, "evt_2", now)); // the same card total again: nothing new

        // A refund of ours whose card part the provider's webhook reported before its answer: counted once.
        var ours = byHand.ReserveRefund("re-2", 750, "The rest", now);
        Assert.Equal((550L, 200L), (ours.Refunds[1].ToCardMinor, ours.Refunds[1].ToCreditMinor));
        var webhookFirst = ours.RecordRefundedTotal(750, "evt_3", now);
        var confirmed = webhookFirst.CompleteRefund("re-2", "re_2", now);
        Assert.Equal((PaymentStatus.Refunded, 1_250L, 500L), (confirmed.Status, confirmed.RefundedMinor, confirmed.CreditRefundedMinor));
    }

    [Fact]
    public void A_ride_paid_all_with_credit_or_in_cash_gives_nothing_back_to_a_card()
    {
        var now = DateTimeOffset.UnixEpoch;
        var credit = Paid(cardMinor: 0, creditMinor: 1_620, method: PaymentMethods.Credit).ReserveRefund("re-1", 500, "Detour", now);
        Assert.Equal((0L, 500L), (credit.Refunds[0].ToCardMinor, credit.Refunds[0].ToCreditMinor));
        var cash = Paid(cardMinor: 1_500, creditMinor: 0, method: PaymentMethods.Cash);
        Assert.Equal((1_500L, 0L), (cash.RefundableMinor, cash.CardRefundableMinor));
    }

    [Fact]
    public async Task Refunding_a_ride_credit_paid_part_of_gives_the_card_its_part_and_the_credit_back_once()
    {
        await _h.SaveCardAsync();
        await GrantAsync(500);
        var paid = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1_250), Ct))!;
        Assert.Equal((750L, 500L, 0L), (paid.AmountMinor, paid.CreditPaidMinor, await BalanceAsync()));

        var refunded = await _h.Payments.RefundAsync("t1", "re-full", null, "Wrong route", RefundKinds.Goodwill, "op-1", Ct);
        await _h.Payments.RefundAsync("t1", "re-full", null, "Wrong route", RefundKinds.Goodwill, "op-1", Ct); // repeated: resumed, not again

        Assert.Equal((PaymentStatus.Refunded, 1_250L), (refunded.Status, refunded.RefundedMinor));
        Assert.Equal([750L], _provider.Refunded); // the bank gives back what the card paid, once
        Assert.Equal(500, await BalanceAsync()); // and ride credit what it paid
        var account = (await _h.Credit.Accounts.GetAsync(CreditAccount.IdFor("rider-1", "EUR"), Ct))!.Document;
        Assert.Equal(("re-full", PaymentCreditAddedIntegrationEvent.Refund, 500L, "t1"), (account.Entries[^1].Id, account.Entries[^1].Kind, account.Entries[^1].AmountMinor, account.Entries[^1].TripId));
        Assert.Equal([("re-full", 1_250L, 500L, true)], await RefundedAsync());
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentCreditAdded && (string)m.Data["entryId"]! == "re-full");
    }

    [Fact]
    public async Task A_ride_ride_credit_paid_all_of_is_refundable_as_ride_credit_without_the_bank()
    {
        await GrantAsync(2_000);
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1_620), Ct);
        Assert.Equal(380, await BalanceAsync());

        var refunded = await _h.Payments.RefundAsync("t1", "re-1", 620, "Long wait", RefundKinds.FareAdjustment, "op-1", Ct);

        Assert.Equal((PaymentStatus.PartiallyRefunded, 620L, 1_000L), (refunded.Status, refunded.RefundedMinor, refunded.RefundableMinor));
        Assert.Empty(_provider.Refunded);
        Assert.Equal(1_000, await BalanceAsync());
        Assert.Equal([("re-1", 620L, 620L, false)], await RefundedAsync());
    }

    [Fact]
    public async Task A_charge_the_card_declines_keeps_the_credit_it_took_and_says_so()
    {
        await _h.SaveCardAsync("4000 0000 0000 9995");
        await GrantAsync(500);

        var failed = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1_250), Ct))!;

        Assert.Equal((PaymentStatus.Failed, 500L), (failed.Status, failed.CreditPaidMinor));
        var published = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentFailed).Data;
        Assert.Equal(500, (long)published["creditPaidMinor"]!);
        Assert.Equal(0, await BalanceAsync());
        // The next attempt (a checkout: the card declined this charge) asks only the rest, taking no more credit.
        var retry = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", attempt: 2, amount: 1_250), Ct))!;
        Assert.Equal((750L, 500L), (retry.AmountMinor, retry.CreditPaidMinor));
    }
}
