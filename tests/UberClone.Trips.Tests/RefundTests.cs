using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>Refunds reach the trip: the rider's receipt shows them, and only a fare adjustment lowers the driver's earnings.</summary>
public class RefundTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private const string Session = "ps_t1_1";

    private static Trip Paid() => TestTrips.Completed().MarkPaid(1_500, Now.AddMinutes(21), Session);

    [Fact]
    public void A_goodwill_refund_is_the_riders_and_leaves_the_drivers_earnings()
    {
        var refunded = Paid().RecordRefund(Session, "re-1", 500, 500, RefundKinds.Goodwill, Now.AddHours(1));

        Assert.Equal([new TripRefund("re-1", 500, RefundKinds.Goodwill, Now.AddHours(1))], refunded.Refunds);
        Assert.Equal((500L, 975L), (refunded.RefundedMinor, refunded.DriverEarnings!.EarningsMinor));
        Assert.Equal(PaymentStatus.Paid, refunded.PaymentStatus);
        Assert.Same(refunded, refunded.RecordRefund(Session, "re-1", 500, 500, RefundKinds.Goodwill, Now.AddHours(2)));
    }

    [Fact]
    public void Ride_credit_that_paid_part_of_the_fare_is_on_the_trip_a_failed_rest_is_all_that_is_owed_and_a_refund_says_its_credit_part()
    {
        var completed = TestTrips.Completed();
        var failed = completed.MarkPaymentFailed(completed.PaymentAttempt, Now.AddMinutes(21), creditPaidMinor: 500);
        Assert.Equal((PaymentStatus.Failed, 500L, 1_000L), (failed.PaymentStatus, failed.CreditPaidMinor, failed.UnpaidFareMinor));
        Assert.Equal(1_500, completed.MarkPaymentFailed(completed.PaymentAttempt, Now.AddMinutes(21)).UnpaidFareMinor); // no credit: all of it

        var paid = failed.MarkPaid(1_500, Now.AddMinutes(30), "ps_t1_2", "Visa •••• 4242", creditPaidMinor: 500);
        Assert.Equal((PaymentStatus.Paid, 500L, 0L), (paid.PaymentStatus, paid.CreditPaidMinor, paid.UnpaidFareMinor));

        var refunded = paid.RecordRefund("ps_t1_2", "re-1", 1_500, 1_500, RefundKinds.Goodwill, Now.AddHours(1), creditMinor: 500);
        Assert.Equal(new TripRefund("re-1", 1_500, RefundKinds.Goodwill, Now.AddHours(1), null, 500), Assert.Single(refunded.Refunds));
        Assert.Equal((1_500L, 975L), (refunded.RefundedMinor, refunded.DriverEarnings!.EarningsMinor)); // the platform's, as any goodwill refund
    }

    [Fact]
    public void A_tip_paid_on_its_own_given_back_is_no_longer_the_drivers_and_adds_to_what_the_rider_got_back()
    {
        // Paid 1,500 (the driver earned 975), then a tip of 300 paid on its own (attempt 2): 1,275.
        var tipped = Paid().AddTip("r1", 300, TestTrips.Rules, Now.AddHours(1)).MarkTipPaid(2, Now.AddHours(1));
        Assert.Equal(1_275, tipped.DriverEarnings!.EarningsMinor);

        var partly = tipped.RecordRefund("ps_t1_2", "re-tip", 100, 100, RefundKinds.Tip, Now.AddHours(2));
        Assert.Equal((200L, 1_175L, 100L), (partly.DriverEarnings!.TipMinor, partly.DriverEarnings.EarningsMinor, partly.RefundedMinor));
        Assert.Same(partly, partly.RecordRefund("ps_t1_2", "re-tip", 100, 100, RefundKinds.Tip, Now.AddHours(3)));

        // A fare refund after it: both count in what went back; more than the tip is never taken from the driver.
        var both = partly.RecordRefund(Session, "re-fare", 500, 500, RefundKinds.Goodwill, Now.AddHours(3))
            .RecordRefund("ps_t1_2", "re-tip-2", 900, 300, RefundKinds.Tip, Now.AddHours(4));
        Assert.Equal((0L, 975L, 800L), (both.DriverEarnings!.TipMinor, both.DriverEarnings.EarningsMinor, both.RefundedMinor));
        Assert.Equal([100L, 500L, 200L], both.Refunds.Select(r => r.AmountMinor));

        // No tip paid on its own (or not paid yet): nothing of the kind to record.
        var untipped = Paid();
        Assert.Same(untipped, untipped.RecordRefund("ps_t1_2", "re-x", 100, 100, RefundKinds.Tip, Now.AddHours(2)));
        var pending = Paid().AddTip("r1", 300, TestTrips.Rules, Now.AddHours(1));
        Assert.Same(pending, pending.RecordRefund("ps_t1_2", "re-y", 100, 100, RefundKinds.Tip, Now.AddHours(2)));
    }

    [Fact]
    public void A_lost_items_return_fee_given_back_is_no_longer_the_drivers_and_is_the_reports_not_the_rides()
    {
        // Paid 1,500 (the driver earned 975), then an item returned and its 1,500 fee paid (attempt 2): 2,475.
        var returned = Paid().ReportLostItem("r1", "Umbrella", "+4915112345678", 1_500, new LostItemRules(), Now.AddHours(1))
            .AnswerLostItem("d1", true, "Station", Now.AddHours(1)).MarkLostItemReturned("d1", Now.AddHours(2)).MarkReturnFeePaid(2, Now.AddHours(2));
        Assert.Equal(2_475, returned.DriverEarnings!.EarningsMinor);
        var pendingFee = Paid().ReportLostItem("r1", "Umbrella", "+4915112345678", 1_500, new LostItemRules(), Now.AddHours(1))
            .AnswerLostItem("d1", true, "Station", Now.AddHours(1)).MarkLostItemReturned("d1", Now.AddHours(2));
        Assert.Same(pendingFee, pendingFee.RecordRefund("ps_t1_2", "re-z", 100, 100, RefundKinds.ItemReturn, Now.AddHours(3))); // not paid yet

        var partly = returned.RecordRefund("ps_t1_2", "re-fee", 1_000, 1_000, RefundKinds.ItemReturn, Now.AddHours(3));
        Assert.Equal((500L, 1_475L, 1_000L), (partly.DriverEarnings!.ItemReturnMinor, partly.DriverEarnings.EarningsMinor, partly.ReturnFeeRefundedMinor));
        Assert.Equal(0L, partly.RefundedMinor); // the ride's receipt: nothing of the fare or a tip went back
        Assert.Same(partly, partly.RecordRefund("ps_t1_2", "re-fee", 1_000, 1_000, RefundKinds.ItemReturn, Now.AddHours(4)));

        // A fare refund after it counts only the fare's; more than the fee is never taken from the driver.
        var both = partly.RecordRefund(Session, "re-fare", 500, 500, RefundKinds.Goodwill, Now.AddHours(4))
            .RecordRefund("ps_t1_2", "re-fee-2", 900, 1_500, RefundKinds.ItemReturn, Now.AddHours(5));
        Assert.Equal((500L, 1_500L, 0L, 975L), (both.RefundedMinor, both.ReturnFeeRefundedMinor, both.DriverEarnings!.ItemReturnMinor, both.DriverEarnings.EarningsMinor));
    }

    [Fact]
    public void A_fare_adjustment_lowers_the_earnings_as_if_the_fare_had_been_lower()
    {
        // 1,500 − 400 = 1,100; less the booking fee 200 = 900; less 25 % = 675.
        var adjusted = Paid().RecordRefund(Session, "re-1", 400, 400, RefundKinds.FareAdjustment, Now.AddHours(1));

        Assert.Equal((400L, 225L, 675L), (adjusted.DriverEarnings!.FareAdjustmentMinor, adjusted.DriverEarnings.ServiceFeeMinor, adjusted.DriverEarnings.EarningsMinor));
        Assert.Equal(Now.AddMinutes(20), adjusted.DriverEarnings.EarnedAt);

        // A second adjustment adds up: 1,500 − 600 = 900; 700 shared; 525 earned. A goodwill refund between them changes nothing for the driver.
        var again = adjusted.RecordRefund(Session, "re-2", 300, 700, RefundKinds.Goodwill, Now.AddHours(2))
            .RecordRefund(Session, "re-3", 200, 900, RefundKinds.FareAdjustment, Now.AddHours(3));
        Assert.Equal((600L, 525L, 900L), (again.DriverEarnings!.FareAdjustmentMinor, again.DriverEarnings.EarningsMinor, again.RefundedMinor));
    }

    [Fact]
    public void A_fare_adjustment_beyond_the_fare_comes_out_of_the_tip()
    {
        var tipped = TestTrips.Completed().AddTip("r1", 300, TestTrips.Rules, Now.AddMinutes(21)).MarkPaid(1_800, Now.AddMinutes(22), "ps_t1_2");

        var adjusted = tipped.RecordRefund("ps_t1_2", "re-1", 1_600, 1_600, RefundKinds.FareAdjustment, Now.AddHours(1));

        // Nothing of the fare is left to share; 200 of the 300 tip is.
        Assert.Equal((0L, 200L), (adjusted.DriverEarnings!.ServiceFeeMinor, adjusted.DriverEarnings.EarningsMinor));
        Assert.Equal(1_600, adjusted.RefundedMinor);
    }

    [Fact]
    public void A_refund_of_another_payment_or_of_a_duplicate_is_not_the_trips()
    {
        var paid = Paid();

        Assert.Same(paid, paid.RecordRefund("ps_t1_2", "re-1", 1_500, 1_500, RefundKinds.Goodwill, Now));
        Assert.Same(paid, paid.RecordRefund(Session, "duplicate-ps_t1_2", 1_500, 1_500, RefundKinds.DuplicatePayment, Now));
    }

    [Fact]
    public void A_refund_that_arrives_before_the_payment_is_kept_when_the_payment_follows()
    {
        var early = TestTrips.Completed().RecordRefund(Session, "re-1", 300, 300, RefundKinds.FareAdjustment, Now.AddHours(1));

        var paid = early.MarkPaid(1_500, Now.AddHours(1), Session);

        Assert.Equal((PaymentStatus.Paid, 300L, 750L), (paid.PaymentStatus, paid.RefundedMinor, paid.DriverEarnings!.EarningsMinor));
    }

    [Fact]
    public void The_refunded_total_follows_the_payments_own_total_and_never_exceeds_what_was_paid()
    {
        var refunded = Paid()
            .RecordRefund(Session, "re-2", 400, 1_000, RefundKinds.Provider, Now.AddHours(2))
            .RecordRefund(Session, "re-1", 600, 600, RefundKinds.Goodwill, Now.AddHours(2))
            .RecordRefund(Session, "re-3", 900, 1_900, RefundKinds.Goodwill, Now.AddHours(3));

        Assert.Equal(1_500, refunded.RefundedMinor);
        Assert.Equal(["re-2", "re-1", "re-3"], refunded.Refunds.Select(r => r.Id));
    }
}
