using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using static UberClone.Trips.Tests.TestTrips;

namespace UberClone.Trips.Tests;

/// <summary>
/// A lost item (ADR 0035): reported on a completed ride within 30 days, one open report at a time and at most three; the
/// driver answers found (with where and when) or not found, marks a found one returned, and the rider may close an open
/// one; the return fee is a payment of its own that neither the fare, a tip nor the fee's own failure overwrites, and it
/// is all the driver's once paid.
/// </summary>
public class LostItemTests
{
    private static readonly LostItemRules Answer24h = new();
    private static readonly DateTimeOffset After = Now.AddHours(2);

    private static Trip Reported(Trip? trip = null) => (trip ?? Completed().MarkPaid(1500, Now.AddMinutes(21)))
        .ReportLostItem("r1", "Black umbrella", "+4915112345678", 1500, Answer24h, After);

    [Fact]
    public void The_rider_reports_an_item_on_a_completed_ride_and_the_driver_is_due_to_answer_within_a_day()
    {
        var reported = Reported();
        var report = Assert.Single(reported.LostItems);
        Assert.Equal((1, LostItemStatus.Reported, "Black umbrella", "+4915112345678", 1500L, After, After.AddHours(24)),
            (report.Number, report.Status, report.Description, report.Phone, report.ReturnFeeMinor, report.ReportedAt, report.AnswerBy));
        Assert.True(report.IsOpen);
        Assert.Equal(After.AddHours(24).ToUnixTimeMilliseconds(), reported.LostItemAnswerByMs);
        // The same report again (a retried request) changes nothing; another while it is open is a conflict.
        Assert.Same(reported, reported.ReportLostItem("r1", "Black umbrella", "+4915112345678", 1500, Answer24h, After.AddMinutes(1)));
        Assert.Throws<LostItemClosedException>(() => reported.ReportLostItem("r1", "Blue scarf", "+4915112345678", 1500, Answer24h, After));
    }

    [Fact]
    public void Only_a_ride_that_took_place_within_30_days_takes_a_report_and_only_from_its_rider()
    {
        Assert.Throws<LostItemClosedException>(() => InProgress().ReportLostItem("r1", "Keys", "+4915112345678", 1500, Answer24h, After));
        var cancelled = Completed() with { Status = TripStatus.Cancelled };
        Assert.Throws<LostItemClosedException>(() => cancelled.ReportLostItem("r1", "Keys", "+4915112345678", 1500, Answer24h, After));
        Assert.Throws<LostItemClosedException>(() => Completed().ReportLostItem("r1", "Keys", "+4915112345678", 1500, Answer24h, Now.AddDays(31)));
        Assert.NotNull(Completed().ReportLostItem("r1", "Keys", "+4915112345678", 1500, Answer24h, Now.AddDays(30)).LostItem);
        Assert.Throws<TripNotYoursException>(() => Completed().ReportLostItem("d1", "Keys", "+4915112345678", 1500, Answer24h, After));
        Assert.Throws<ArgumentException>(() => Completed().ReportLostItem("r1", " ", "+4915112345678", 1500, Answer24h, After));
        Assert.Throws<ArgumentException>(() => Completed().ReportLostItem("r1", "Keys", "0151 1234", 1500, Answer24h, After));
    }

    [Fact]
    public void Descriptions_and_notes_follow_the_message_rules_and_phones_the_guest_phone_rule()
    {
        Assert.Equal("Keys", LostItemReport.CleanDescription("  Keys "));
        Assert.Null(LostItemReport.CleanDescription(new string('x', 301)));
        Assert.Null(LostItemReport.CleanDescription("Keys\u0007"));
        Assert.True(LostItemReport.TryCleanNote("  ", out var none) && none is null);
        Assert.True(LostItemReport.TryCleanNote(" Station at 18:00\nexit B ", out var note) && note == "Station at 18:00\nexit B");
        Assert.False(LostItemReport.TryCleanNote(new string('x', 301), out _));
        Assert.Equal("+4915112345678", TripPassenger.CleanPhone("+49 151-1234 5678"));
    }

    [Fact]
    public void Found_then_returned_charges_the_fee_as_its_own_attempt_and_the_driver_earns_it_once_paid()
    {
        var found = Reported().AnswerLostItem("d1", true, "Main station, 18:00", After.AddHours(1));
        Assert.Equal((LostItemStatus.Found, "Main station, 18:00"), (found.LostItem!.Status, found.LostItem.DriverNote));
        Assert.Null(found.LostItemAnswerByMs); // answered: support need not be told
        Assert.Same(found, found.AnswerLostItem("d1", true, "Main station, 18:00", After.AddHours(2)));
        Assert.Throws<LostItemClosedException>(() => found.AnswerLostItem("d1", false, null, After.AddHours(2)));

        var returned = found.MarkLostItemReturned("d1", After.AddHours(5));
        Assert.Equal((LostItemStatus.Returned, 2, PaymentStatus.Pending, 2), (returned.LostItem!.Status, returned.LostItem.FeeAttempt, returned.LostItem.FeePaymentStatus, returned.PaymentAttempt));
        Assert.True(returned.ReturnFeePaymentRequested);
        Assert.Equal(PaymentStatus.Paid, returned.PaymentStatus); // the fare stays paid
        Assert.Same(returned, returned.MarkLostItemReturned("d1", After.AddHours(6)));
        var earned = returned.DriverEarnings!.EarningsMinor;

        Assert.Same(returned, returned.MarkReturnFeePaid(1, After.AddHours(6))); // another attempt's success
        var paid = returned.MarkReturnFeePaid(2, After.AddHours(6));
        Assert.Equal((PaymentStatus.Paid, earned + 1500, 1500L), (paid.LostItem!.FeePaymentStatus, paid.DriverEarnings!.EarningsMinor, paid.DriverEarnings.ItemReturnMinor));
        Assert.Same(paid, paid.MarkReturnFeePaid(2, After.AddHours(7)));
        // Nothing more after the item went back.
        Assert.Throws<LostItemClosedException>(() => paid.ReportLostItem("r1", "Gloves", "+4915112345678", 1500, Answer24h, After.AddHours(8)));
        Assert.Throws<LostItemClosedException>(() => paid.CloseLostItem("r1", After.AddHours(8)));
    }

    [Fact]
    public void Only_the_trips_driver_answers_and_only_an_item_they_have_is_returned()
    {
        var reported = Reported();
        Assert.Throws<TripNotYoursException>(() => reported.AnswerLostItem("d2", true, "Station", After));
        Assert.Throws<TripNotYoursException>(() => reported.AnswerLostItem("r1", true, "Station", After));
        Assert.Throws<ArgumentException>(() => reported.AnswerLostItem("d1", true, null, After));
        Assert.Throws<LostItemClosedException>(() => reported.MarkLostItemReturned("d1", After));
        Assert.Throws<LostItemClosedException>(() => Completed().AnswerLostItem("d1", false, null, After));
    }

    [Fact]
    public void Not_found_or_closed_allows_another_report_up_to_three_and_closing_is_the_riders()
    {
        var notFound = Reported().AnswerLostItem("d1", false, "Looked under the seats", After.AddHours(1));
        Assert.Equal(LostItemStatus.NotFound, notFound.LostItem!.Status);
        Assert.False(notFound.LostItem.IsOpen);
        Assert.Throws<LostItemClosedException>(() => notFound.CloseLostItem("r1", After.AddHours(2)));

        var second = notFound.ReportLostItem("r1", "Black umbrella, maybe in the boot", "+4915112345678", 1500, Answer24h, After.AddHours(2));
        Assert.Equal((2, 2), (second.LostItems.Count, second.LostItem!.Number));
        Assert.Throws<TripNotYoursException>(() => second.CloseLostItem("d1", After.AddHours(3)));
        var closed = second.CloseLostItem("r1", After.AddHours(3));
        Assert.Equal((LostItemStatus.Closed, After.AddHours(3)), (closed.LostItem!.Status, closed.LostItem.ClosedAt));
        Assert.Same(closed, closed.CloseLostItem("r1", After.AddHours(4)));
        Assert.Throws<LostItemClosedException>(() => closed.AnswerLostItem("d1", true, "Station", After.AddHours(4)));

        var third = closed.ReportLostItem("r1", "Gloves", "+4915112345678", 1500, Answer24h, After.AddHours(5)).CloseLostItem("r1", After.AddHours(6));
        Assert.Throws<LostItemClosedException>(() => third.ReportLostItem("r1", "Hat", "+4915112345678", 1500, Answer24h, After.AddHours(7)));
    }

    [Fact]
    public void A_report_the_driver_does_not_answer_is_sent_to_support_once_and_stays_open()
    {
        var reported = Reported();
        Assert.Same(reported, reported.LostItemUnanswered(After.AddHours(23)));
        var alerted = reported.LostItemUnanswered(After.AddHours(24));
        Assert.Equal((After.AddHours(24), LostItemStatus.Reported), (alerted.LostItem!.SupportAlertedAt, alerted.LostItem.Status));
        Assert.Null(alerted.LostItemAnswerByMs);
        Assert.Same(alerted, alerted.LostItemUnanswered(After.AddHours(25)));
        Assert.Equal(LostItemStatus.Found, alerted.AnswerLostItem("d1", true, "Station", After.AddHours(26)).LostItem!.Status);
    }

    [Fact]
    public void The_riders_erasure_forgets_the_phone_they_left_and_keeps_the_report()
    {
        var reported = Reported().AnswerLostItem("d1", false, null, After.AddHours(1)).ReportLostItem("r1", "Gloves", "+4915112345678", 1500, Answer24h, After.AddHours(2));
        Assert.Equal("r1", reported.GuestPhoneOf); // found by the rider's erasure
        var erased = reported.ForgetGuestPhone(After.AddDays(30));
        Assert.All(erased.LostItems, r => Assert.Equal("", r.Phone));
        Assert.Equal(("Gloves", (string?)null, (TripPassenger?)null), (erased.LostItem!.Description, erased.GuestPhoneOf, erased.Passenger));
        Assert.Same(erased, erased.ForgetGuestPhone(After.AddDays(31)));
    }

    [Fact]
    public void A_fee_failure_fails_the_fee_only_and_a_tip_and_the_fee_keep_their_own_attempts()
    {
        var returned = Reported().AnswerLostItem("d1", true, "Station", After).MarkLostItemReturned("d1", After.AddHours(1));
        var failed = returned.MarkPaymentFailed(2, After.AddHours(1));
        Assert.Equal((PaymentStatus.Failed, PaymentStatus.Paid), (failed.LostItem!.FeePaymentStatus, failed.PaymentStatus));

        var tipped = returned.AddTip("r1", 300, Rules, After.AddHours(1));
        Assert.Equal((3, 2), (tipped.Tip!.SeparateAttempt, tipped.LostItem!.FeeAttempt));
        var both = tipped.MarkReturnFeePaid(2, After.AddHours(2)).MarkTipPaid(3, After.AddHours(2));
        Assert.Equal((300L, 1500L), (both.DriverEarnings!.TipMinor, both.DriverEarnings.ItemReturnMinor));
        Assert.Equal(Completed().DriverEarnings!.EarningsMinor + 1800, both.DriverEarnings.EarningsMinor);
    }

    [Fact]
    public void A_failed_fee_is_paid_again_by_its_rider_as_a_new_attempt_of_its_own_and_only_a_failed_one()
    {
        var returned = Reported().AnswerLostItem("d1", true, "Station", After).MarkLostItemReturned("d1", After.AddHours(1));
        Assert.Throws<LostItemClosedException>(() => returned.RetryReturnFee("r1", After.AddHours(1))); // being charged
        Assert.Throws<LostItemClosedException>(() => Reported().RetryReturnFee("r1", After)); // no fee yet
        var failed = returned.MarkPaymentFailed(2, After.AddHours(1));
        Assert.Throws<TripNotYoursException>(() => failed.RetryReturnFee("r2", After.AddHours(2)));

        var again = failed.RetryReturnFee("r1", After.AddHours(2));
        Assert.Equal((3, 3, PaymentStatus.Pending, PaymentStatus.Paid), (again.PaymentAttempt, again.LostItem!.FeeAttempt, again.LostItem.FeePaymentStatus, again.PaymentStatus));
        Assert.True(again.ReturnFeePaymentRequested);
        Assert.Throws<LostItemClosedException>(() => again.RetryReturnFee("r1", After.AddHours(2)));

        // The first attempt's late news changes nothing; the new one's success pays the driver once.
        Assert.Same(again, again.MarkReturnFeePaid(2, After.AddHours(3)));
        Assert.Equal(PaymentStatus.Pending, again.MarkPaymentFailed(2, After.AddHours(3)).LostItem!.FeePaymentStatus);
        var paid = again.MarkReturnFeePaid(3, After.AddHours(3));
        Assert.Equal((PaymentStatus.Paid, 1500L), (paid.LostItem!.FeePaymentStatus, paid.DriverEarnings!.ItemReturnMinor));
        Assert.Throws<LostItemClosedException>(() => paid.RetryReturnFee("r1", After.AddHours(4)));
    }

    [Fact]
    public void A_fare_still_unpaid_when_the_fee_is_charged_can_still_fail_and_its_retry_is_the_fares()
    {
        var returned = Reported(Completed()).AnswerLostItem("d1", true, "Station", After).MarkLostItemReturned("d1", After.AddHours(1));
        Assert.Equal((PaymentStatus.Pending, 2), (returned.PaymentStatus, returned.PaymentAttempt));
        var fareFailed = returned.MarkPaymentFailed(1, After.AddHours(1));
        Assert.Equal((PaymentStatus.Failed, PaymentStatus.Pending), (fareFailed.PaymentStatus, fareFailed.LostItem!.FeePaymentStatus));
        var retried = fareFailed.RetryPayment("r1", After.AddHours(2));
        Assert.False(retried.ReturnFeePaymentRequested); // attempt 3 is the fare's
        Assert.Equal((PaymentStatus.Pending, 3), (retried.PaymentStatus, retried.PaymentAttempt));
    }

    [Fact]
    public void The_fee_is_the_citys_else_the_default_and_none_is_charged_where_it_is_zero()
    {
        var pricing = new PricingOptions
        {
            Areas = [new PricingArea { Name = "Oslo", Lat = 59.91, Lng = 10.75, RadiusKm = 20, Currency = "NOK", LostItemReturnFeeMinor = 15_000, Tariffs = new() { ["economy"] = new(1, 1, 1, 1, 1) } }],
        };
        Assert.Equal(15_000, pricing.LostItemReturnFeeAt(new(59.92, 10.76)));
        Assert.Equal(1500, pricing.LostItemReturnFeeAt(Pickup));

        var free = Completed().ReportLostItem("r1", "Keys", "+4915112345678", 0, Answer24h, After)
            .AnswerLostItem("d1", true, "Station", After).MarkLostItemReturned("d1", After.AddHours(1));
        Assert.Equal((LostItemStatus.Returned, 0, 1), (free.LostItem!.Status, free.LostItem.FeeAttempt, free.PaymentAttempt));
        Assert.False(free.ReturnFeePaymentRequested);
    }
}
