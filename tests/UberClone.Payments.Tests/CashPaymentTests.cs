using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// Paying in cash (ADR 0042): the fare is recorded paid without asking the provider anything, published as any payment
/// that went through; it is never refunded; and the driver's ledger nets what they owe from cash rides against what
/// they earn next, paying out only a positive net.
/// </summary>
public sealed class CashPaymentTests : IDisposable
{
    private readonly PaymentsHarness _h;
    private readonly NoProvider _provider;

    public CashPaymentTests()
    {
        NoProvider? provider = null;
        _h = new PaymentsHarness(store => provider = new NoProvider(new SandboxPaymentProvider(store)));
        _provider = provider!;
    }

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static PaymentCreateSessionCommand Cash(string tripId, long amount = 1_500) =>
        new(tripId, "rider-1", amount, "EUR", 1, PaymentPurposes.Fare, Method: PaymentCollection.Cash);

    [Fact]
    public async Task A_fare_paid_in_cash_is_recorded_paid_without_the_provider_and_published_once()
    {
        _provider.Down = true;
        var session = (await _h.Payments.CreateSessionAsync(Cash("trip-c"), Ct))!;
        var again = (await _h.Payments.CreateSessionAsync(Cash("trip-c"), Ct))!; // redelivered

        Assert.Equal((PaymentMethods.Cash, PaymentStatus.Succeeded, 1_500L, PaymentMethods.Cash, ""), (session.Method, session.Status, session.AmountMinor, session.Provider, session.CheckoutUrl));
        Assert.Equal(session.Id, again.Id);
        var paid = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSucceeded).Data;
        Assert.Equal(("trip-c", 1_500L, PaymentPurposes.Fare, "cash"), ((string)paid["tripId"]!, (long)paid["amountMinor"]!, (string)paid["purpose"]!, (string)paid["cardLabel"]!));
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSessionCreated);
        Assert.Equal(session.Id, (await _h.Payments.PaidForTripAsync("trip-c", Ct))!.Id);
        // A later retry of the same charge finds it paid.
        Assert.Null(await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-c", attempt: 2), Ct));
    }

    [Fact]
    public async Task A_riders_saved_card_is_not_charged_for_a_fare_paid_in_cash_but_a_tip_after_it_is()
    {
        await _h.SaveCardAsync();

        var fare = (await _h.Payments.CreateSessionAsync(Cash("trip-k"), Ct))!;
        var tip = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-k", "rider-1", 300, "EUR", 2, PaymentPurposes.Tip), Ct))!;

        Assert.Equal((PaymentMethods.Cash, (string?)null), (fare.Method, fare.CardId));
        Assert.Equal((PaymentMethods.Card, PaymentStatus.Succeeded), (tip.Method, tip.Status));
    }

    [Fact]
    public async Task Support_cannot_refund_a_fare_paid_in_cash_but_as_ride_credit()
    {
        await _h.Payments.CreateSessionAsync(Cash("trip-r"), Ct);

        var refused = await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-r", "re-1", 500, "complaint", RefundKinds.Goodwill, "o-support", Ct));
        Assert.Contains("paid in cash: it can be refunded only as ride credit (kind credit)", refused.Message);
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded);
    }

    [Fact]
    public async Task What_a_driver_owes_from_cash_rides_is_netted_against_what_they_earn_next_and_only_a_positive_net_is_paid()
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-1", Ct);
        await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana Driver", "DE89 3704 0044 0532 0130 00", Ct);
        // A cash ride of 1,500 where the driver earned 975: they owe 525.
        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t1", "driver-1", "EUR", -525, 0, 1, "cash_collected", _h.Clock.Now), Ct);

        Assert.Equal(-525, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed["EUR"]);
        var refused = await Assert.ThrowsAsync<PayoutRefusedException>(() => _h.Payouts.CashOutAsync("driver-1", Ct));
        Assert.Equal("You owe €5.25 from rides paid in cash: it is taken from what you earn next, so there is nothing to cash out yet.", refused.Message);
        _h.Clock.Now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await _h.Payouts.PayOutDueAsync(100, Ct));
        Assert.Empty((await _h.Payouts.OfDriverAsync("driver-1", Ct)).Recent); // the weekly run pays nothing while the net is negative

        // A card ride earning 975 next: 450 is paid, and both lines are taken.
        await _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent("t2", "driver-1", "EUR", 975, 0, 1, "fare", _h.Clock.Now), Ct);
        var payout = Assert.Single(await _h.Payouts.CashOutAsync("driver-1", Ct));
        Assert.Equal((PayoutStatus.Paid, 450L, 2), (payout.Status, payout.AmountMinor, payout.Lines));
        Assert.Equal(0, (await _h.Payouts.OfDriverAsync("driver-1", Ct)).Owed.GetValueOrDefault("EUR"));
    }

    /// <summary>A provider that refuses to be asked for a payment while <see cref="Down"/>: a cash fare must not need it.</summary>
    private sealed class NoProvider(SandboxPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public bool Down { get; set; }

        public override Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct) =>
            Down ? throw new PaymentProviderException("No provider call expected.", 503) : base.CreateCheckoutAsync(request, ct);

        public override Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct) =>
            Down ? throw new PaymentProviderException("No provider call expected.", 503) : base.ChargeCardAsync(request, ct);

        public override Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct) =>
            Down ? throw new PaymentProviderException("No provider call expected.", 503) : base.CaptureHoldAsync(request, ct);
    }
}
