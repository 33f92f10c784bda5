using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// Ride credit (ADR 0051): support gives it once per grant, a fare (one paid in cash too) is refunded as it instead of to
/// the card, without asking the provider, and what is left of the payment is all a later refund can give back.
/// </summary>
public sealed class RideCreditTests : IDisposable
{
    private readonly PaymentsHarness _h;
    private readonly CountingProvider _provider;

    public RideCreditTests()
    {
        CountingProvider? provider = null;
        _h = new PaymentsHarness(store => provider = new CountingProvider(new SandboxPaymentProvider(store)));
        _provider = provider!;
    }

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Support_gives_credit_once_per_grant_and_the_rider_is_told_once()
    {
        await _h.Credit.AddAsync("rider-1", "grant_a", PaymentCreditAddedIntegrationEvent.Grant, 500, "USD", "op-1", "Late driver", null, Ct);
        var again = await _h.Credit.AddAsync("rider-1", "grant_a", PaymentCreditAddedIntegrationEvent.Grant, 500, "USD", "op-1", "Late driver", null, Ct);
        var more = await _h.Credit.AddAsync("rider-1", "grant_b", PaymentCreditAddedIntegrationEvent.Grant, 250, "USD", "op-1", "Dirty car", null, Ct);

        Assert.Equal(500, again.BalanceMinor);
        Assert.Equal(750, more.BalanceMinor);
        var told = (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentCreditAdded).Select(m => m.Data).ToList();
        Assert.Equal([("grant_a", 500L, 500L, "Late driver"), ("grant_b", 250L, 750L, "Dirty car")],
            told.Select(d => ((string)d["entryId"]!, (long)d["amountMinor"]!, (long)d["balanceMinor"]!, (string)d["reason"]!)));
        Assert.Equal(["USD"], (await _h.Credit.OfRiderAsync("rider-1", Ct)).Select(a => a.Currency));
        Assert.Empty(await _h.Credit.OfRiderAsync("rider-2", Ct));
    }

    [Fact]
    public async Task A_fare_paid_in_cash_is_refunded_as_ride_credit()
    {
        await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-c", "rider-1", 1_500, "EUR", 1, Method: PaymentCollection.Cash), Ct);

        var refunded = await _h.Payments.RefundAsync("trip-c", "re-1", 600, "Long detour", RefundKinds.Credit, "op-1", Ct);
        await _h.Payments.RefundAsync("trip-c", "re-1", 600, "Long detour", RefundKinds.Credit, "op-1", Ct); // repeated: resumed, not again

        Assert.Equal((PaymentStatus.PartiallyRefunded, 600L), (refunded.Status, refunded.RefundedMinor));
        var account = Assert.Single(await _h.Credit.OfRiderAsync("rider-1", Ct));
        Assert.Equal(("EUR", 600L), (account.Currency, account.BalanceMinor));
        Assert.Equal(new CreditEntry("re-1", PaymentCreditAddedIntegrationEvent.Refund, 600, "op-1", "Long detour", "trip-c", _h.Clock.Now), Assert.Single(account.Entries));
        var published = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((RefundKinds.Credit, 600L), ((string)published["kind"]!, (long)published["amountMinor"]!));
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentCreditAdded);
        Assert.Equal(0, _provider.Refunds);
    }

    [Fact]
    public async Task A_card_fare_refunded_as_credit_leaves_the_card_only_what_is_left_to_give_back()
    {
        await _h.SaveCardAsync();
        var paid = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-k", amount: 1_250), Ct))!;
        Assert.Equal(PaymentStatus.Succeeded, paid.Status);

        await _h.Payments.RefundAsync("trip-k", "re-credit", 1_000, "Goodwill as credit", RefundKinds.Credit, "op-1", Ct);
        Assert.Equal(0, _provider.Refunds);

        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-k", "re-card", 300, "More", RefundKinds.Goodwill, "op-1", Ct));
        var rest = await _h.Payments.RefundAsync("trip-k", "re-card", null, "The rest", RefundKinds.Goodwill, "op-1", Ct);
        Assert.Equal((PaymentStatus.Refunded, 1_250L), (rest.Status, rest.RefundedMinor));
        Assert.Equal(1, _provider.Refunds);
        Assert.Equal(250, _provider.RefundedMinor);
        Assert.Equal(1_000, Assert.Single(await _h.Credit.OfRiderAsync("rider-1", Ct)).BalanceMinor);
    }

    [Fact]
    public async Task Forgetting_an_erased_rider_forgets_their_credit()
    {
        await _h.Credit.AddAsync("rider-1", "grant_a", PaymentCreditAddedIntegrationEvent.Grant, 500, "USD", "op-1", "Late driver", null, Ct);
        await _h.Credit.AddAsync("rider-1", "grant_b", PaymentCreditAddedIntegrationEvent.Grant, 500, "EUR", "op-1", "Late driver", null, Ct);

        await _h.Credit.ForgetAsync("rider-1", Ct);

        Assert.Empty(await _h.Credit.OfRiderAsync("rider-1", Ct));
    }

    /// <summary>The sandbox, counting the refunds it is asked for: a refund as credit must not ask it.</summary>
    private sealed class CountingProvider(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public int Refunds { get; private set; }
        public long RefundedMinor { get; private set; }

        public override Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct)
        {
            Refunds++;
            RefundedMinor += request.AmountMinor;
            return base.RefundAsync(request, ct);
        }
    }
}
