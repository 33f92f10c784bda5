using UberClone.Contracts;
using UberClone.Payments.Domain;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>Stripe-signed webhooks through the real processor and storage: what they change and which events they publish.</summary>
public sealed class WebhookProcessingTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private async Task<PaymentSession> OpenSessionAsync(string tripId = "trip-1", int attempt = 1) =>
        (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command(tripId, attempt), TestContext.Current.CancellationToken))!;

    private async Task<int> CountAsync(string topic) => (await _h.OutboxAsync()).Count(m => m.Topic == topic);

    [Fact]
    public async Task Valid_completed_webhook_marks_the_session_paid_and_publishes_succeeded_once()
    {
        var session = await OpenSessionAsync();

        var result = await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, "pi_9"));

        Assert.Equal(WebhookOutcome.Processed, result.Outcome);
        var stored = (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal(PaymentStatus.Succeeded, stored.Status);
        Assert.Equal("pi_9", stored.PaymentIntentId);
        var succeeded = (await _h.OutboxAsync()).Single(m => m.Topic == Topics.PaymentSucceeded).Data;
        Assert.Equal(1250, succeeded["amountMinor"]!.GetValue<long>());
        Assert.Equal("trip-1", succeeded["tripId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicated_webhook_is_processed_once()
    {
        var session = await OpenSessionAsync();
        var payload = StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, id: "evt_dup");

        var first = await _h.SendAsync(payload);
        var second = await _h.SendAsync(payload);
        var resigned = await _h.SendAsync(payload, _h.Clock.Now.AddSeconds(60));

        Assert.Equal(WebhookOutcome.Processed, first.Outcome);
        Assert.Equal(WebhookOutcome.Duplicate, second.Outcome);
        Assert.Equal(WebhookOutcome.Duplicate, resigned.Outcome);
        Assert.Equal(1, await CountAsync(Topics.PaymentSucceeded));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_publish_once()
    {
        var session = await OpenSessionAsync();
        var payload = StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, id: "evt_race");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _h.SendAsync(payload))));

        Assert.Equal(1, await CountAsync(Topics.PaymentSucceeded));
    }

    [Fact]
    public async Task Failure_arriving_after_success_leaves_the_trip_paid()
    {
        var session = await OpenSessionAsync();

        await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId));
        var late = await _h.SendAsync(StripeEvents.Failed(session.Id, session.TripId));
        var expired = await _h.SendAsync(StripeEvents.Expired(session.Id, session.TripId, session.ProviderSessionId));

        Assert.Equal(WebhookOutcome.Processed, late.Outcome);
        Assert.Equal(WebhookOutcome.Processed, expired.Outcome);
        Assert.Equal(PaymentStatus.Succeeded, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(0, await CountAsync(Topics.PaymentFailed));
    }

    [Fact]
    public async Task Refund_webhook_before_the_payment_asks_to_be_redelivered_then_applies()
    {
        var session = await OpenSessionAsync();
        var refund = StripeEvents.Refunded("pi_5", 1250, id: "evt_refund");

        var early = await _h.SendAsync(refund);
        Assert.Equal(WebhookOutcome.RetryLater, early.Outcome);
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);

        await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, "pi_5"));
        var redelivered = await _h.SendAsync(refund);

        Assert.Equal(WebhookOutcome.Processed, redelivered.Outcome);
        var stored = (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal((PaymentStatus.Refunded, 1250L), (stored.Status, stored.RefundedMinor));
        var refunded = (await _h.OutboxAsync()).Single(m => m.Topic == Topics.PaymentRefunded).Data;
        Assert.True(refunded["fullyRefunded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Declined_payment_publishes_failed_with_the_decline_reason()
    {
        var session = await OpenSessionAsync();

        await _h.SendAsync(StripeEvents.Failed(session.Id, session.TripId));

        Assert.Equal(PaymentStatus.Failed, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);
        var failed = (await _h.OutboxAsync()).Single(m => m.Topic == Topics.PaymentFailed).Data;
        Assert.Equal("insufficient_funds", failed["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expired_checkout_publishes_failed_expired()
    {
        var session = await OpenSessionAsync();

        await _h.SendAsync(StripeEvents.Expired(session.Id, session.TripId, session.ProviderSessionId));

        Assert.Equal(PaymentStatus.Expired, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal("expired", (await _h.OutboxAsync()).Single(m => m.Topic == Topics.PaymentFailed).Data["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Forged_signature_is_rejected_and_changes_nothing()
    {
        var session = await OpenSessionAsync();

        var result = await _h.SendAsync(StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId), secret: "whsec_attacker");

        Assert.Equal(WebhookOutcome.Rejected, result.Outcome);
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Equal(0, await CountAsync(Topics.PaymentSucceeded));
    }

    [Fact]
    public async Task Expired_timestamp_is_rejected_and_the_event_can_still_come_later_with_a_fresh_signature()
    {
        var session = await OpenSessionAsync();
        var payload = StripeEvents.Completed(session.Id, session.TripId, session.ProviderSessionId, id: "evt_stale");

        var stale = await _h.SendAsync(payload, _h.Clock.Now.AddSeconds(-301));
        Assert.Equal(WebhookOutcome.Rejected, stale.Outcome);
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);

        Assert.Equal(WebhookOutcome.Processed, (await _h.SendAsync(payload)).Outcome);
    }

    [Fact]
    public async Task Unknown_event_type_is_acknowledged_and_ignored()
    {
        var session = await OpenSessionAsync();

        var result = await _h.SendAsync(StripeEvents.Event("customer.created", new { id = "cus_1", metadata = StripeEvents.Metadata(session.Id, session.TripId) }));

        Assert.Equal(WebhookOutcome.Ignored, result.Outcome);
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.GetAsync(session.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Single(await _h.OutboxAsync());
    }

    [Fact]
    public async Task A_signed_payload_that_is_not_an_event_is_rejected()
    {
        Assert.Equal(WebhookOutcome.Rejected, (await _h.SendAsync("{\"hello\":1}")).Outcome);
        Assert.Equal(WebhookOutcome.Rejected, (await _h.SendAsync("not json")).Outcome);
    }

    [Fact]
    public async Task Event_for_an_unknown_session_is_ignored()
    {
        var result = await _h.SendAsync(StripeEvents.Completed("ps_nobody_1", "nobody", "cs_unknown"));

        Assert.Equal(WebhookOutcome.Ignored, result.Outcome);
        Assert.Empty(await _h.OutboxAsync());
    }
}
