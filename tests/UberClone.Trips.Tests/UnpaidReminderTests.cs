using UberClone.Trips.Domain;
using static UberClone.Trips.Tests.TestTrips;

namespace UberClone.Trips.Tests;

/// <summary>
/// A rider who owes money on a trip is told when its payment first fails and reminded on set days after that until it is
/// paid (ADR 0039): the fare or a cancellation fee, or a lost item's return fee; a tip the rider chose to add is never
/// owed, and a retry that fails again does not start the count anew.
/// </summary>
public class UnpaidReminderTests
{
    private static readonly IReadOnlyList<TimeSpan> Days = [TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7)];
    private static readonly DateTimeOffset Failed = Now.AddMinutes(21);

    private static Trip FareFailed(out bool started) => Completed().MarkPaymentFailed(1, Failed).FollowUnpaid(Days, Failed, out started);

    [Fact]
    public void A_failed_fare_starts_the_reminders_and_tells_the_rider_once()
    {
        var failed = FareFailed(out var started);
        Assert.True(started);
        Assert.Equal(new UnpaidReminders(Failed, 0, Failed.AddDays(1)), failed.UnpaidReminders);
        Assert.Equal((1500L, 0L), (failed.UnpaidFareMinor, failed.UnpaidReturnFeeMinor));
        Assert.Equal(Failed.AddDays(1).ToUnixTimeMilliseconds(), failed.UnpaidRemindAtMs);

        // Retried and failed again: the rider knows (they retried); the reminders keep the first failure's days.
        var retried = failed.RetryPayment("r1", Failed.AddHours(2));
        Assert.Equal(1500L, retried.UnpaidFareMinor); // being paid is not paid
        var again = retried.MarkPaymentFailed(2, Failed.AddHours(2)).FollowUnpaid(Days, Failed.AddHours(2), out var startedAgain);
        Assert.False(startedAgain);
        Assert.Equal(failed.UnpaidReminders, again.UnpaidReminders);
    }

    [Fact]
    public void Nothing_starts_while_a_payment_is_only_pending_or_when_nothing_is_owed()
    {
        var pending = Completed();
        Assert.Same(pending, pending.FollowUnpaid(Days, Failed, out var started));
        Assert.False(started);
        Assert.Null(pending.UnpaidRemindAtMs);

        // A tip paid on its own that fails is not a debt: the fare is paid.
        var tipFailed = Completed().MarkPaid(1500, Failed).AddTip("r1", 300, Rules, Failed).MarkPaymentFailed(2, Failed.AddMinutes(1));
        Assert.Equal(PaymentStatus.Failed, tipFailed.Tip!.PaymentStatus);
        Assert.Same(tipFailed, tipFailed.FollowUnpaid(Days, Failed.AddMinutes(1), out started));
        Assert.False(started);
    }

    [Fact]
    public void Reminders_go_on_their_days_once_each_and_end_after_the_last()
    {
        var failed = FareFailed(out _);
        Assert.Same(failed, failed.RemindUnpaid(Days, Failed.AddHours(23))); // not due yet

        var first = failed.RemindUnpaid(Days, Failed.AddDays(1).AddSeconds(30));
        Assert.Equal(new UnpaidReminders(Failed, 1, Failed.AddDays(3)), first.UnpaidReminders);
        Assert.Same(first, first.RemindUnpaid(Days, Failed.AddDays(1).AddMinutes(1))); // another replica, a moment later

        var second = first.RemindUnpaid(Days, Failed.AddDays(3));
        var third = second.RemindUnpaid(Days, Failed.AddDays(7));
        Assert.Equal(new UnpaidReminders(Failed, 3, null), third.UnpaidReminders);
        Assert.Null(third.UnpaidRemindAtMs);
        Assert.Same(third, third.RemindUnpaid(Days, Failed.AddDays(30)));
    }

    [Fact]
    public void Reminders_missed_while_the_service_was_stopped_are_not_sent_in_a_burst()
    {
        var failed = FareFailed(out _);
        // Found on day 4: one reminder goes, and the next is day 7's (day 3's is not sent late).
        var late = failed.RemindUnpaid(Days, Failed.AddDays(4));
        Assert.Equal(new UnpaidReminders(Failed, 1, Failed.AddDays(7)), late.UnpaidReminders);
    }

    [Fact]
    public void Paying_ends_the_reminders()
    {
        var failed = FareFailed(out _).RemindUnpaid(Days, Failed.AddDays(1));
        var paid = failed.RetryPayment("r1", Failed.AddDays(2)).MarkPaid(1500, Failed.AddDays(2), "cs_2", null).FollowUnpaid(Days, Failed.AddDays(2), out var started);
        Assert.False(started);
        Assert.Null(paid.UnpaidReminders);
        Assert.Null(paid.UnpaidRemindAtMs);
        Assert.Equal(0L, paid.UnpaidFareMinor);
    }

    [Fact]
    public void A_failed_return_fee_is_owed_on_its_own_and_paying_it_ends_the_reminders()
    {
        var returned = Completed().MarkPaid(1500, Failed)
            .ReportLostItem("r1", "Black umbrella", "+4915112345678", 1000, new LostItemRules(), Failed.AddHours(1))
            .AnswerLostItem("d1", true, "Station", Failed.AddHours(1)).MarkLostItemReturned("d1", Failed.AddHours(2));
        Assert.Same(returned, returned.FollowUnpaid(Days, Failed.AddHours(2), out _)); // being charged: nothing owed yet

        var feeFailed = returned.MarkPaymentFailed(2, Failed.AddHours(2)).FollowUnpaid(Days, Failed.AddHours(2), out var started);
        Assert.True(started);
        Assert.Equal((0L, 1000L), (feeFailed.UnpaidFareMinor, feeFailed.UnpaidReturnFeeMinor));

        var paid = feeFailed.RetryReturnFee("r1", Failed.AddHours(3)).MarkReturnFeePaid(3, Failed.AddHours(3)).FollowUnpaid(Days, Failed.AddHours(3), out _);
        Assert.Null(paid.UnpaidReminders);
    }

    [Fact]
    public void A_late_cancellation_fee_that_fails_is_owed_too()
    {
        var cancelled = Assigned().CancelByRider("r1", "changed my mind", Rules, Now.AddMinutes(10));
        Assert.True(cancelled.AmountDueMinor > 0);
        var failed = cancelled.MarkPaymentFailed(1, Failed).FollowUnpaid(Days, Failed, out var started);
        Assert.True(started);
        Assert.Equal(cancelled.AmountDueMinor, failed.UnpaidFareMinor);
    }

    [Fact]
    public void A_split_fare_whose_riders_card_fails_owes_only_what_the_others_did_not_pay()
    {
        var split = InProgress().InviteToSplit("r1", "ana", "Ana Doe", "Max", Now.AddMinutes(5))
            .AnswerSplitInvitation("ana", accept: true, "card_a", Now.AddMinutes(6))
            .Complete("d1", Rules, Now.AddMinutes(20))
            .SplitShareCharged("ana", paid: true, "Visa •••• 4242", null, Now.AddMinutes(21));
        var failed = split.MarkPaymentFailed(1, Failed).FollowUnpaid(Days, Failed, out var started);
        Assert.True(started);
        Assert.Equal(1500 - 750, failed.UnpaidFareMinor);
    }

    [Theory]
    [InlineData("1.00:00:00, 3.00:00:00, 7.00:00:00", 3)]
    [InlineData("00:00:04,00:00:08", 2)]
    [InlineData("", 0)]
    [InlineData("  ", 0)]
    public void The_reminder_days_are_read_from_configuration(string text, int count) =>
        Assert.Equal(count, UnpaidReminderRules.Parse(text)!.Count);

    [Theory]
    [InlineData("1.00:00:00, 1.00:00:00")] // not increasing
    [InlineData("3.00:00:00, 1.00:00:00")]
    [InlineData("00:00:00")] // not positive
    [InlineData("-1.00:00:00")]
    [InlineData("a day")]
    [InlineData("1,2,3,4,5,6,7,8,9,10,11")] // more than 10
    public void Reminder_days_that_cannot_work_are_refused(string text) => Assert.Null(UnpaidReminderRules.Parse(text));
}
