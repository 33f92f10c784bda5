using UberClone.Payments.Sandbox;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

public sealed class SessionsAndRefundsTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<PaymentSession> PaidSessionAsync(string tripId, long amount = 2000)
    {
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command(tripId, amount: amount), TestContext.Current.CancellationToken))!;
        Assert.Equal(WebhookOutcome.Processed, (await _h.SendAsync(StripeEvents.Completed(session.Id, tripId, session.ProviderSessionId, "pi_" + tripId))).Outcome);
        return session;
    }

    [Fact]
    public async Task Redelivered_command_finds_the_session_it_created()
    {
        var first = await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-r"), TestContext.Current.CancellationToken);
        var again = await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-r"), TestContext.Current.CancellationToken);

        Assert.Equal(first!.ProviderSessionId, again!.ProviderSessionId);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSessionCreated);
        Assert.StartsWith("/checkout/cs_sandbox_", first.CheckoutUrl);
        Assert.True(first.ProviderSessionId.Length >= 40, "The sandbox checkout id must be unguessable.");
    }

    [Fact]
    public async Task A_new_attempt_makes_the_older_open_checkout_unpayable()
    {
        var first = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-a", 1), TestContext.Current.CancellationToken))!;
        var second = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-a", 2), TestContext.Current.CancellationToken))!;

        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync(first.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(second.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task A_waived_fare_closes_its_declined_checkout_and_leaves_other_trips_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        var declined = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-w"), ct))!;
        await _h.SendAsync(StripeEvents.Failed(declined.Id, "trip-w", "pi_w"));
        var other = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-x"), ct))!;
        await _h.SendAsync(StripeEvents.Failed(other.Id, "trip-x", "pi_x"));
        Assert.Equal(PaymentStatus.Failed, (await _h.Payments.GetAsync(declined.Id, ct))!.Status);

        // Support waived it (ADR 0053): a checkout that failed once can still be paid at Stripe, so it is closed.
        await _h.Payments.CloseWaivedAsync("trip-w", fare: true, returnFee: false, ct);

        var closed = (await _h.Payments.GetAsync(declined.Id, ct))!;
        Assert.Equal((PaymentStatus.Expired, "waived"), (closed.Status, closed.FailureReason));
        Assert.Equal(PaymentStatus.Failed, (await _h.Payments.GetAsync(other.Id, ct))!.Status);
        // Only the fee was waived: the trip's charge is not closed.
        await _h.Payments.CloseWaivedAsync("trip-x", fare: false, returnFee: true, ct);
        Assert.Equal(PaymentStatus.Failed, (await _h.Payments.GetAsync(other.Id, ct))!.Status);
    }

    [Fact]
    public async Task A_paid_trip_gets_no_second_checkout()
    {
        await PaidSessionAsync("trip-p");

        var retry = await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-p", 2), TestContext.Current.CancellationToken);

        Assert.Null(retry);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentSessionCreated);
    }

    [Fact]
    public async Task A_tip_after_the_fare_is_paid_is_a_charge_of_its_own_paid_once_and_refunds_stay_on_the_fare()
    {
        var fare = await PaidSessionAsync("trip-t", 2000);
        var ct = TestContext.Current.CancellationToken;

        var tip = await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-t", "rider-1", 300, "EUR", 2, PaymentPurposes.Tip), ct);

        Assert.NotNull(tip);
        Assert.Equal((PaymentStatus.Open, 300L, PaymentPurposes.Tip), (tip.Status, tip.AmountMinor, tip.Purpose));
        Assert.Equal(PaymentStatus.Succeeded, (await _h.Payments.GetAsync(fare.Id, ct))!.Status);
        await _h.SendAsync(StripeEvents.Completed(tip.Id, "trip-t", tip.ProviderSessionId, "pi_tip"));
        var succeeded = (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentSucceeded).Select(m => m.Data).ToList();
        Assert.Equal([(PaymentPurposes.Fare, 2000L), (PaymentPurposes.Tip, 300L)],
            succeeded.Select(e => (e["purpose"]!.GetValue<string>(), e["amountMinor"]!.GetValue<long>())));
        Assert.Equal(2, succeeded[1]["attempt"]!.GetValue<int>());
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded); // not a duplicate payment

        // The tip is paid: another tip gets no checkout; an operator's refund is of the fare.
        Assert.Null(await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-t", "rider-1", 500, "EUR", 3, PaymentPurposes.Tip), ct));
        var refunded = await _h.Payments.RefundAsync("trip-t", "re-t", null, "complaint", RefundKinds.Goodwill, "o-support", ct);
        Assert.Equal((fare.Id, 2000L), (refunded.Id, refunded.RefundedMinor));

        // Giving the tip back (kind tip) refunds the tip's own charge, up to what it was.
        var tipBack = await _h.Payments.RefundAsync("trip-t", "re-tip", 200, "tipped by mistake", RefundKinds.Tip, "o-support", ct);
        Assert.Equal((tip.Id, 200L, PaymentStatus.PartiallyRefunded), (tipBack.Id, tipBack.RefundedMinor, tipBack.Status));
        var published = (await _h.OutboxAsync()).Last(m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((tip.Id, RefundKinds.Tip, 200L), (published["sessionId"]!.GetValue<string>(), published["kind"]!.GetValue<string>(), published["amountMinor"]!.GetValue<long>()));
        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-t", "re-tip-2", 101, "more", RefundKinds.Tip, "o-support", ct));
    }

    [Fact]
    public async Task A_lost_items_return_fee_is_a_charge_of_its_own_beside_a_tip_and_a_goodwill_refund_stays_on_the_fare()
    {
        var fare = await PaidSessionAsync("trip-li", 2000);
        var ct = TestContext.Current.CancellationToken;
        var fee = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-li", "rider-1", 1500, "EUR", 2, PaymentPurposes.ItemReturn), ct))!;
        // A tip after it does not supersede the fee's open checkout: each is its own charge (ADR 0035).
        var tip = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-li", "rider-1", 300, "EUR", 3, PaymentPurposes.Tip), ct))!;
        Assert.Equal((PaymentStatus.Open, PaymentStatus.Open), ((await _h.Payments.GetAsync(fee.Id, ct))!.Status, tip.Status));

        await _h.SendAsync(StripeEvents.Completed(fee.Id, "trip-li", fee.ProviderSessionId, "pi_fee"));
        await _h.SendAsync(StripeEvents.Completed(tip.Id, "trip-li", tip.ProviderSessionId, "pi_tip"));
        var succeeded = (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentSucceeded).Select(m => m.Data).ToList();
        Assert.Equal([(PaymentPurposes.Fare, 2000L), (PaymentPurposes.ItemReturn, 1500L), (PaymentPurposes.Tip, 300L)],
            succeeded.Select(e => (e["purpose"]!.GetValue<string>(), e["amountMinor"]!.GetValue<long>())));
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded); // none a duplicate of another

        // Paid: another fee gets no checkout; support's goodwill refund is of the fare.
        Assert.Null(await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-li", "rider-1", 1500, "EUR", 4, PaymentPurposes.ItemReturn), ct));
        Assert.Equal(fare.Id, (await _h.Payments.RefundAsync("trip-li", "re-li", 500, "complaint", RefundKinds.Goodwill, "o-support", ct)).Id);

        // Giving the fee back (kind item_return) refunds the fee's own charge, up to what it was.
        var feeBack = await _h.Payments.RefundAsync("trip-li", "re-fee", 1000, "the item never came back", RefundKinds.ItemReturn, "o-support", ct);
        Assert.Equal((fee.Id, 1000L, PaymentStatus.PartiallyRefunded), (feeBack.Id, feeBack.RefundedMinor, feeBack.Status));
        var published = (await _h.OutboxAsync()).Last(m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((fee.Id, RefundKinds.ItemReturn), (published["sessionId"]!.GetValue<string>(), published["kind"]!.GetValue<string>()));
        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-li", "re-fee-2", 501, "more", RefundKinds.ItemReturn, "o-support", ct));
        Assert.Equal(300L, (await _h.Payments.GetAsync(tip.Id, ct))!.RefundableMinor); // the tip untouched
    }

    [Fact]
    public async Task A_tip_refund_of_a_trip_without_a_tip_paid_on_its_own_is_refused()
    {
        await PaidSessionAsync("trip-nt", 2000);
        var refused = await Assert.ThrowsAsync<RefundRejectedException>(() =>
            _h.Payments.RefundAsync("trip-nt", "re-nt", null, "no tip", RefundKinds.Tip, "o-support", TestContext.Current.CancellationToken));
        Assert.Contains("no tip paid on its own", refused.Message);
        var noFee = await Assert.ThrowsAsync<RefundRejectedException>(() =>
            _h.Payments.RefundAsync("trip-nt", "re-nf", null, "no fee", RefundKinds.ItemReturn, "o-support", TestContext.Current.CancellationToken));
        Assert.Contains("no lost item's return fee paid", noFee.Message);
    }

    [Fact]
    public async Task A_replaced_tip_checkout_paid_in_a_race_is_refunded_as_a_duplicate_of_the_tip()
    {
        await PaidSessionAsync("trip-tt", 2000);
        var ct = TestContext.Current.CancellationToken;
        var first = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-tt", "rider-1", 300, "EUR", 2, PaymentPurposes.Tip), ct))!;
        var second = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("trip-tt", "rider-1", 400, "EUR", 3, PaymentPurposes.Tip), ct))!;
        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync(first.Id, ct))!.Status);

        await _h.SendAsync(StripeEvents.Completed(second.Id, "trip-tt", second.ProviderSessionId, "pi_t2"));
        await _h.SendAsync(StripeEvents.Completed(first.Id, "trip-tt", first.ProviderSessionId, "pi_t1"));

        Assert.Equal((PaymentStatus.Refunded, 300L), ((await _h.Payments.GetAsync(first.Id, ct))!.Status, (await _h.Payments.GetAsync(first.Id, ct))!.RefundedMinor));
        var refunded = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal(RefundKinds.DuplicatePayment, refunded["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Partial_then_remaining_refund_publishes_one_event_each()
    {
        await PaidSessionAsync("trip-f", 2000);

        var partial = await _h.Payments.RefundAsync("trip-f", "re-a", 500, "detour", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);
        var rest = await _h.Payments.RefundAsync("trip-f", "re-b", null, "complaint", RefundKinds.Goodwill, "o-other", TestContext.Current.CancellationToken);

        Assert.Equal(PaymentStatus.PartiallyRefunded, partial.Status);
        Assert.Equal((PaymentStatus.Refunded, 2000L), (rest.Status, rest.RefundedMinor));
        var events = (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentRefunded).Select(m => m.Data).ToList();
        Assert.Equal([500L, 1500L], events.Select(e => e["amountMinor"]!.GetValue<long>()));
        Assert.Equal("detour", events[0]["reason"]!.GetValue<string>());
        Assert.All(events, e => Assert.Equal(RefundKinds.Goodwill, e["kind"]!.GetValue<string>()));
        // Who asked for each refund stays on the payment, for the support desk's record.
        var all = await _h.Payments.AllForTripAsync("trip-f", TestContext.Current.CancellationToken);
        Assert.Equal([("re-a", "o-support"), ("re-b", "o-other")], Assert.Single(all).Refunds.Select(r => (r.Id, r.RequestedBy)));
    }

    [Fact]
    public async Task A_fare_adjustment_keeps_its_kind_when_resumed_and_in_its_event()
    {
        await PaidSessionAsync("trip-k", 2000);

        await _h.Payments.RefundAsync("trip-k", "re-k", 600, "long detour", RefundKinds.FareAdjustment, "o-support", TestContext.Current.CancellationToken);
        // A retry of the same refund naming another kind resumes the refund as it was reserved.
        var again = await _h.Payments.RefundAsync("trip-k", "re-k", 600, "long detour", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);

        Assert.Equal(RefundKinds.FareAdjustment, Assert.Single(again.Refunds).Kind);
        var refunded = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((RefundKinds.FareAdjustment, 600L, 600L), (refunded["kind"]!.GetValue<string>(), refunded["amountMinor"]!.GetValue<long>(), refunded["refundedTotalMinor"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_refund_whose_webhook_overtakes_the_providers_answer_is_published_once_with_its_kind()
    {
        WebhookFirstProvider provider = null!;
        using var h = new PaymentsHarness(store => provider = new WebhookFirstProvider(store));
        var session = (await h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-o", amount: 2000), TestContext.Current.CancellationToken))!;
        await h.SendAsync(StripeEvents.Completed(session.Id, "trip-o", session.ProviderSessionId, "pi_trip-o"));
        provider.BeforeAnswering = () => h.SendAsync(StripeEvents.Refunded("pi_trip-o", 700));

        var refunded = await h.Payments.RefundAsync("trip-o", "re-o", 700, "detour", RefundKinds.FareAdjustment, "o-support", TestContext.Current.CancellationToken);

        Assert.Equal((700L, true), (refunded.RefundedMinor, Assert.Single(refunded.Refunds).Completed));
        var published = Assert.Single(await h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal(("re-o", RefundKinds.FareAdjustment, 700L), (published["refundId"]!.GetValue<string>(), published["kind"]!.GetValue<string>(), published["amountMinor"]!.GetValue<long>()));
    }

    /// <summary>The sandbox, except that the provider's refund webhook is handled before its answer to the refund request returns.</summary>
    private sealed class WebhookFirstProvider(SandboxProviderStore store) : DelegatingPaymentProvider(new SandboxPaymentProvider(store))
    {
        public Func<Task>? BeforeAnswering { get; set; }

        public override async Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct)
        {
            var answer = await base.RefundAsync(request, ct);
            if (BeforeAnswering is { } webhook) await webhook();
            return answer;
        }
    }

    [Fact]
    public async Task A_refund_made_at_the_provider_is_published_as_the_providers()
    {
        await PaidSessionAsync("trip-pv", 2000);

        await _h.SendAsync(StripeEvents.Refunded("pi_trip-pv", 800));

        var refunded = Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((RefundKinds.Provider, 800L), (refunded["kind"]!.GetValue<string>(), refunded["refundedTotalMinor"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Repeating_a_refund_request_with_its_id_refunds_once()
    {
        await PaidSessionAsync("trip-i", 2000);

        await _h.Payments.RefundAsync("trip-i", "re-same", 700, "detour", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);
        var again = await _h.Payments.RefundAsync("trip-i", "re-same", 700, "detour", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);

        Assert.Equal(700, again.RefundedMinor);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded);
    }

    [Fact]
    public async Task The_providers_refund_webhook_after_the_refund_publishes_nothing_more()
    {
        await PaidSessionAsync("trip-w", 2000);
        await _h.Payments.RefundAsync("trip-w", "re-w", 2000, "complaint", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);

        var result = await _h.SendAsync(StripeEvents.Refunded("pi_trip-w", 2000));

        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        Assert.Single(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded);
    }

    [Fact]
    public async Task Refunding_more_than_was_paid_or_an_unpaid_trip_is_rejected()
    {
        await PaidSessionAsync("trip-x", 1000);
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-open"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-x", "re-1", 1001, "too much", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundAsync("trip-open", "re-2", 1, "unpaid", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken));
        Assert.DoesNotContain(await _h.OutboxAsync(), m => m.Topic == Topics.PaymentRefunded);
    }

    [Fact]
    public async Task Concurrent_full_refunds_refund_once()
    {
        await PaidSessionAsync("trip-c", 1000);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                await _h.Payments.RefundAsync("trip-c", $"re-{i}", 1000, "complaint", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);
                return true;
            }
            catch (RefundRejectedException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, ok => ok);
        Assert.Equal(1000, (await _h.Payments.PaidForTripAsync("trip-c", TestContext.Current.CancellationToken))!.RefundedMinor);
    }

    [Fact]
    public async Task A_replaced_checkout_paid_in_a_race_is_refunded_at_once_and_the_trip_succeeds_once()
    {
        var first = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-d", 1, amount: 1500), TestContext.Current.CancellationToken))!;
        var second = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("trip-d", 2, amount: 1500), TestContext.Current.CancellationToken))!;
        await _h.SendAsync(StripeEvents.Completed(second.Id, "trip-d", second.ProviderSessionId, "pi_2"));

        // The first checkout was paid while it was being expired: its completion arrives afterwards.
        var late = await _h.SendAsync(StripeEvents.Completed(first.Id, "trip-d", first.ProviderSessionId, "pi_1"));

        Assert.Equal(WebhookOutcome.Processed, late.Outcome);
        var duplicate = (await _h.Payments.GetAsync(first.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal((PaymentStatus.Refunded, 1500L), (duplicate.Status, duplicate.RefundedMinor));
        var outbox = await _h.OutboxAsync();
        Assert.Equal(second.Id, Assert.Single(outbox, m => m.Topic == Topics.PaymentSucceeded).Data["sessionId"]!.GetValue<string>());
        var refunded = Assert.Single(outbox, m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.Equal((first.Id, "duplicate_payment", RefundKinds.DuplicatePayment),
            (refunded["sessionId"]!.GetValue<string>(), refunded["reason"]!.GetValue<string>(), refunded["kind"]!.GetValue<string>()));

        // Operators still refund the payment that counts.
        var operatorRefund = await _h.Payments.RefundAsync("trip-d", "re-op", 500, "detour", RefundKinds.Goodwill, "o-support", TestContext.Current.CancellationToken);
        Assert.Equal(second.Id, operatorRefund.Id);
    }
}
