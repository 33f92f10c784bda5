using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

public class TipTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Pickup = TestTrips.Pickup;
    private static readonly TripRules Rules = TestTrips.Rules;

    private static Trip Completed() => TestTrips.Completed();

    [Fact]
    public void A_tip_before_paying_grows_the_amount_due_asks_a_new_attempt_and_is_all_the_drivers()
    {
        var tipped = Completed().AddTip("r1", 300, Rules, Now.AddMinutes(21));

        Assert.Equal(new Tip(300, Now.AddMinutes(21)), tipped.Tip);
        Assert.Equal((1_800, 2, PaymentStatus.Pending), (tipped.AmountDueMinor, tipped.PaymentAttempt, tipped.PaymentStatus));
        Assert.Equal((975 + 300, 300), (tipped.DriverEarnings!.EarningsMinor, tipped.DriverEarnings.TipMinor));
        Assert.Same(tipped, tipped.AddTip("r1", 300, Rules, Now.AddMinutes(22)));
        Assert.Throws<TripTransitionException>(() => tipped.AddTip("r1", 500, Rules, Now));
    }

    [Fact]
    public void A_tip_after_a_failed_payment_is_a_new_pending_attempt()
    {
        var tipped = Completed().MarkPaymentFailed(1, Now).AddTip("r1", 100, Rules, Now);
        Assert.Equal((PaymentStatus.Pending, 2, 1_600), (tipped.PaymentStatus, tipped.PaymentAttempt, tipped.AmountDueMinor));
    }

    [Fact]
    public void Tips_are_refused_before_completion_out_of_range_and_from_anyone_but_the_rider()
    {
        Assert.Throws<TripRuleException>(() => Completed().AddTip("r1", 0, Rules, Now));
        Assert.Throws<TripRuleException>(() => Completed().AddTip("r1", Rules.MaxTipMinor + 1, Rules, Now));
        Assert.Throws<TripNotYoursException>(() => Completed().AddTip("d1", 100, Rules, Now));
        var searching = Trip.Request("t2", "r1", new Quote
        {
            Id = "q2", RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(52.50, 13.45), DistanceMeters = 5_000,
            DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10), Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        }, new QuoteOption("economy", 1_500, "USD", 1.0), "4321", Now);
        Assert.Throws<TripTransitionException>(() => searching.AddTip("r1", 100, Rules, Now));
    }

    [Fact]
    public void Paying_what_was_due_before_the_tip_pays_the_trip_and_the_tip_becomes_a_payment_of_its_own()
    {
        var tipped = Completed().AddTip("r1", 300, Rules, Now);

        var paidWithTip = tipped.MarkPaid(1_800, Now);
        // The checkout without the tip paid as it was being replaced, or a saved card charged before the tip came.
        var paidWithout = tipped.MarkPaid(1_500, Now);

        Assert.Equal((PaymentStatus.Paid, 300L, 1_275L), (paidWithTip.PaymentStatus, paidWithTip.Tip!.AmountMinor, paidWithTip.DriverEarnings!.EarningsMinor));
        Assert.False(paidWithTip.TipPaymentRequested);
        Assert.Equal(PaymentStatus.Paid, paidWithout.PaymentStatus);
        Assert.Equal(new Tip(300, Now, 3, PaymentStatus.Pending), paidWithout.Tip); // attempt 2 was the fare with the tip
        Assert.True(paidWithout.TipPaymentRequested);
        Assert.Equal((1_500L, 3, 975L, 0L), (paidWithout.AmountDueMinor, paidWithout.PaymentAttempt, paidWithout.DriverEarnings!.EarningsMinor, paidWithout.DriverEarnings.TipMinor));
        var tipPaid = paidWithout.MarkTipPaid(3, Now.AddMinutes(1));
        Assert.Equal((975L + 300, false), (tipPaid.DriverEarnings!.EarningsMinor, tipPaid.TipPaymentRequested));
        Assert.Same(paidWithout, paidWithout.MarkPaid(1_500, Now)); // a redelivery
    }

    [Fact]
    public void The_failure_of_the_attempt_a_tip_replaced_does_not_fail_the_new_one()
    {
        var tipped = Completed().AddTip("r1", 300, Rules, Now);
        Assert.Same(tipped, tipped.MarkPaymentFailed(1, Now));
        Assert.Equal(PaymentStatus.Failed, tipped.MarkPaymentFailed(2, Now).PaymentStatus);
        Assert.Equal(PaymentStatus.Failed, tipped.MarkPaymentFailed(0, Now).PaymentStatus);
    }

    [Fact]
    public void A_tip_after_paying_is_a_payment_of_its_own_earned_by_the_driver_once_paid()
    {
        var paid = Completed().MarkPaid(1_500, Now.AddMinutes(21), "ps_t1_1");
        Assert.Equal(Now.AddMinutes(20) + Rules.TipWindow, paid.TipUntil(Rules));

        var tipped = paid.AddTip("r1", 300, Rules, Now.AddHours(5));

        Assert.Equal(new Tip(300, Now.AddHours(5), 2, PaymentStatus.Pending), tipped.Tip);
        Assert.Equal((PaymentStatus.Paid, 1_500L, 2), (tipped.PaymentStatus, tipped.AmountDueMinor, tipped.PaymentAttempt));
        Assert.Equal((975L, 0L), (tipped.DriverEarnings!.EarningsMinor, tipped.DriverEarnings.TipMinor)); // not earned before it is paid
        Assert.Null(tipped.TipUntil(Rules));
        Assert.Same(tipped, tipped.AddTip("r1", 300, Rules, Now.AddHours(6)));
        Assert.Throws<TripTransitionException>(() => tipped.AddTip("r1", 500, Rules, Now.AddHours(6)));

        Assert.Same(tipped, tipped.MarkTipPaid(1, Now.AddHours(6))); // another attempt's success
        var tipPaid = tipped.MarkTipPaid(2, Now.AddHours(6));
        Assert.Equal((PaymentStatus.Paid, 975L + 300, 300L), (tipPaid.Tip!.PaymentStatus, tipPaid.DriverEarnings!.EarningsMinor, tipPaid.DriverEarnings.TipMinor));
        Assert.Same(tipPaid, tipPaid.MarkTipPaid(2, Now.AddHours(7)));
        Assert.Same(tipPaid, tipPaid.MarkPaid(1_500, Now.AddHours(7), "ps_t1_1"));
    }

    [Fact]
    public void A_tip_whose_own_payment_failed_may_be_given_again_and_the_fare_stays_paid()
    {
        var tipped = Completed().MarkPaid(1_500, Now.AddMinutes(21)).AddTip("r1", 300, Rules, Now.AddHours(1));

        var failed = tipped.MarkPaymentFailed(2, Now.AddHours(1));

        Assert.Equal((PaymentStatus.Failed, PaymentStatus.Paid), (failed.Tip!.PaymentStatus, failed.PaymentStatus));
        Assert.Equal(Now.AddMinutes(20) + Rules.TipWindow, failed.TipUntil(Rules));
        Assert.Same(tipped, tipped.MarkPaymentFailed(1, Now.AddHours(1))); // the fare's old attempt: nothing
        var again = failed.AddTip("r1", 200, Rules, Now.AddHours(2));
        Assert.Equal(new Tip(200, Now.AddHours(2), 3, PaymentStatus.Pending), again.Tip);
        Assert.Same(again, again.MarkPaymentFailed(2, Now.AddHours(2))); // the replaced tip's late failure
    }

    [Fact]
    public void A_paid_trip_cannot_be_tipped_after_the_tip_window_nor_one_that_was_never_charged()
    {
        var paid = Completed().MarkPaid(1_500, Now.AddMinutes(21));

        Assert.Throws<TripTransitionException>(() => paid.AddTip("r1", 300, Rules, Now.AddMinutes(20) + Rules.TipWindow + TimeSpan.FromSeconds(1)));
        var noWindow = new TripRules { TipWindow = TimeSpan.Zero };
        Assert.Throws<TripTransitionException>(() => paid.AddTip("r1", 300, noWindow, Now.AddMinutes(22)));
        Assert.Null(Completed().TipUntil(Rules)); // not paid yet: a tip goes with the fare
    }
}
