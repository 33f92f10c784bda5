using UberClone.Payments.Domain;

namespace UberClone.Payments.Tests;

public sealed class PaymentSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static PaymentSession Open(long amount = 1000) => new()
    {
        Id = "ps_t1_1", TripId = "t1", RiderId = "r1", AmountMinor = amount, Currency = "EUR", Attempt = 1, Status = PaymentStatus.Open,
        Provider = "sandbox", ProviderSessionId = "cs_sandbox_x", CheckoutUrl = "/checkout/cs_sandbox_x", CreatedAt = Now, ExpiresAt = Now.AddMinutes(30), UpdatedAt = Now,
    };

    [Fact]
    public void The_same_event_twice_changes_the_session_once()
    {
        var paid = Open().Complete("pi_1", "evt_1", Now);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Same(paid, paid.Complete("pi_1", "evt_1", Now));
        Assert.Same(paid, paid.Complete("pi_1", "evt_other", Now));
    }

    [Fact]
    public void A_failure_arriving_after_the_success_is_ignored()
    {
        var paid = Open().Complete("pi_1", "evt_1", Now);

        Assert.Same(paid, paid.Fail("card_declined", "pi_1", "evt_2", Now));
        Assert.Same(paid, paid.Expire("expired", "evt_3", Now));
    }

    [Fact]
    public void A_card_that_succeeds_after_a_decline_is_recorded_as_paid()
    {
        var failed = Open().Fail("card_declined", "pi_1", "evt_1", Now);
        Assert.Equal(PaymentStatus.Failed, failed.Status);

        var paid = failed.Complete("pi_1", "evt_2", Now);

        Assert.Equal(PaymentStatus.Succeeded, paid.Status);
        Assert.Null(paid.FailureReason);
    }

    [Fact]
    public void Refunds_never_exceed_what_was_paid_even_while_in_flight()
    {
        var paid = Open(1000).Complete("pi_1", "evt_1", Now);
        var reserved = paid.ReserveRefund("re_1", 600, "late driver", Now);

        Assert.Equal(400, reserved.RefundableMinor);
        Assert.Throws<RefundRejectedException>(() => reserved.ReserveRefund("re_2", 401, "again", Now));
        Assert.Throws<RefundRejectedException>(() => Open().ReserveRefund("re_3", 1, "not paid", Now));
        Assert.Throws<RefundRejectedException>(() => paid.ReserveRefund("re_4", 0, "zero", Now));
    }

    [Fact]
    public void Partial_then_full_refund_moves_through_partially_refunded_to_refunded()
    {
        var paid = Open(1000).Complete("pi_1", "evt_1", Now);

        var partial = paid.ReserveRefund("re_1", 300, "detour", Now).CompleteRefund("re_1", "re_p1", Now);
        Assert.Equal((PaymentStatus.PartiallyRefunded, 300L, 700L), (partial.Status, partial.RefundedMinor, partial.RefundableMinor));

        var full = partial.ReserveRefund("re_2", 700, "complaint", Now).CompleteRefund("re_2", "re_p2", Now);
        Assert.Equal((PaymentStatus.Refunded, 1000L, 0L), (full.Status, full.RefundedMinor, full.RefundableMinor));
    }

    [Fact]
    public void A_refund_webhook_before_the_api_answer_does_not_count_the_money_twice()
    {
        var reserved = Open(1000).Complete("pi_1", "evt_1", Now).ReserveRefund("re_1", 400, "detour", Now);

        var fromWebhook = reserved.RecordRefundedTotal(400, "evt_2", Now);
        var confirmed = fromWebhook.CompleteRefund("re_1", "re_p1", Now);

        Assert.Equal(400, confirmed.RefundedMinor);
        Assert.Equal(600, confirmed.RefundableMinor);
        Assert.Same(confirmed, confirmed.RecordRefundedTotal(400, "evt_3", Now));
    }

    [Fact]
    public void Remembered_event_ids_are_bounded()
    {
        var session = Open().Complete("pi_1", "evt_0", Now);
        for (var i = 1; i <= PaymentSession.RememberedEvents + 5; i++) session = session.RecordRefundedTotal(i, $"evt_{i}", Now);

        Assert.Equal(PaymentSession.RememberedEvents, session.ProcessedEventIds.Count);
        Assert.Contains($"evt_{PaymentSession.RememberedEvents + 5}", session.ProcessedEventIds);
    }
}
