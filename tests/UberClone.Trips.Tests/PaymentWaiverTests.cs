using UberClone.Trips.Domain;
using static UberClone.Trips.Tests.TestTrips;

namespace UberClone.Trips.Tests;

/// <summary>
/// Support waives what a rider owes after its payment failed (ADR 0053): the fare or cancellation fee (less what ride
/// credit paid) and a lost item's return fee; nothing is owed after it, the reminders end, the driver keeps their
/// earnings and earns the fee, and a payment that goes through all the same is recorded as paid.
/// </summary>
public class PaymentWaiverTests
{
    private static readonly IReadOnlyList<TimeSpan> Days = [TimeSpan.FromDays(1), TimeSpan.FromDays(3)];
    private static readonly DateTimeOffset Failed = Now.AddMinutes(21);
    private static readonly DateTimeOffset Later = Failed.AddDays(2);

    private static readonly WaiverRules Lapse72Hours = new();

    private static WaiverRules Limit(long approvalAboveMinor) => new() { ApprovalAboveMinor = approvalAboveMinor };

    private static Trip FareFailed(long creditPaidMinor = 0) => Completed().MarkPaymentFailed(1, Failed, creditPaidMinor).FollowUnpaid(Days, Failed, out _);

    [Fact]
    public void A_failed_fare_is_waived_nothing_is_owed_and_the_reminders_end()
    {
        var failed = FareFailed();
        var earnings = failed.DriverEarnings;

        var waived = failed.WaiveUnpaid("ops1", "driver took a long detour", Later);

        Assert.Equal(PaymentStatus.Waived, waived.PaymentStatus);
        Assert.Equal(new PaymentWaiver("ops1", "driver took a long detour", 1500, 0, Later), Assert.Single(waived.Waivers));
        Assert.Equal((0L, 0L), (waived.UnpaidFareMinor, waived.UnpaidReturnFeeMinor));
        Assert.Null(waived.UnpaidReminders);
        Assert.Null(waived.UnpaidRemindAtMs);
        Assert.Equal(earnings, waived.DriverEarnings); // the platform bears it: the driver keeps what the ride earned
        // The rider cannot pay it again, and support waiving it again changes nothing.
        Assert.Throws<TripTransitionException>(() => waived.RetryPayment("r1", Later));
        Assert.Same(waived, waived.WaiveUnpaid("ops2", "again", Later.AddMinutes(1)));
    }

    [Fact]
    public void The_waivers_event_names_the_driver_whose_open_app_reads_the_trip_again()
    {
        var waived = FareFailed().WaiveUnpaid("ops1", "goodwill", Later);

        var told = System.Text.Json.JsonSerializer.Deserialize<UberClone.Messaging.MessageEnvelope<UberClone.Contracts.IntegrationEvents.TripPaymentWaivedIntegrationEvent>>(
            UberClone.Trips.Application.TripsApplication.Waived(waived, waived.Waivers[^1]).Value, UberClone.Messaging.MessageEnvelope.SerializerOptions)!.Data;

        Assert.Equal(("t1", "r1", "d1", 1500L), (told.TripId, told.RiderId, told.DriverId, told.FareMinor));
    }

    [Fact]
    public void What_ride_credit_paid_stays_paid_only_the_rest_is_waived()
    {
        var waived = FareFailed(creditPaidMinor: 400).WaiveUnpaid("ops1", "goodwill", Later);
        Assert.Equal(1100, Assert.Single(waived.Waivers).FareMinor);
        Assert.Equal(400, waived.CreditPaidMinor);
    }

    [Fact]
    public void Nothing_owed_or_a_payment_being_made_is_refused()
    {
        var pending = Completed();
        var inFlight = Assert.Throws<TripTransitionException>(() => pending.WaiveUnpaid("ops1", "why", Later));
        Assert.Contains("being made", inFlight.Message);

        var paid = Completed().MarkPaid(1500, Failed);
        var nothing = Assert.Throws<TripTransitionException>(() => paid.WaiveUnpaid("ops1", "why", Later));
        Assert.Contains("owes nothing", nothing.Message);

        // A retry's checkout is open: its result decides.
        var retrying = FareFailed().RetryPayment("r1", Later);
        Assert.Throws<TripTransitionException>(() => retrying.WaiveUnpaid("ops1", "why", Later));
    }

    [Fact]
    public void A_rider_whose_fare_was_waived_may_still_tip_paid_on_its_own_and_earned_by_the_driver()
    {
        var waived = FareFailed().WaiveUnpaid("ops1", "goodwill", Later);
        var before = waived.DriverEarnings!;

        Assert.Equal(waived.CompletedAt + Rules.TipWindow, waived.TipUntil(Rules));
        var tipped = waived.AddTip("r1", 300, Rules, Later.AddMinutes(5));

        Assert.Equal((300L, PaymentStatus.Pending, true), (tipped.Tip!.AmountMinor, tipped.Tip.PaymentStatus, tipped.Tip.IsSeparate));
        Assert.Equal(PaymentStatus.Waived, tipped.PaymentStatus); // the fare stays waived: nothing of it is charged again
        Assert.True(tipped.TipPaymentRequested);
        var paid = tipped.MarkTipPaid(tipped.Tip.SeparateAttempt, Later.AddMinutes(6));
        Assert.Equal(PaymentStatus.Paid, paid.Tip!.PaymentStatus);
        Assert.Equal(before.TipMinor + 300, paid.DriverEarnings!.TipMinor);
        Assert.Equal(PaymentStatus.Waived, paid.PaymentStatus);
    }

    [Fact]
    public void A_failed_return_fee_is_waived_and_the_driver_earns_it_all_the_same()
    {
        var returned = Completed().MarkPaid(1500, Failed)
            .ReportLostItem("r1", "Black umbrella", "+4915112345678", 1000, new LostItemRules(), Failed.AddHours(1))
            .AnswerLostItem("d1", true, "Station", Failed.AddHours(1)).MarkLostItemReturned("d1", Failed.AddHours(2));
        var feeFailed = returned.MarkPaymentFailed(2, Failed.AddHours(2)).FollowUnpaid(Days, Failed.AddHours(2), out _);
        Assert.Equal(1000, feeFailed.UnpaidReturnFeeMinor);

        var waived = feeFailed.WaiveUnpaid("ops1", "rider disputes the fee", Later);

        Assert.Equal(PaymentStatus.Paid, waived.PaymentStatus); // the fare was paid: only the fee was owed
        Assert.Equal(PaymentStatus.Waived, waived.LostItem!.FeePaymentStatus);
        Assert.Equal((0L, 1000L), (Assert.Single(waived.Waivers).FareMinor, waived.Waivers[0].ReturnFeeMinor));
        Assert.Equal(0, waived.UnpaidReturnFeeMinor);
        Assert.Null(waived.UnpaidReminders);
        Assert.Equal(1000, waived.DriverEarnings!.ItemReturnMinor);
        Assert.Throws<LostItemClosedException>(() => waived.RetryReturnFee("r1", Later));
    }

    [Fact]
    public void A_payment_that_goes_through_after_the_waiver_is_recorded_as_paid()
    {
        // A checkout of the failed attempt paid in the moment support waived it: the money was taken.
        var paid = FareFailed().WaiveUnpaid("ops1", "goodwill", Later).MarkPaid(1500, Later.AddMinutes(1), "cs_1", null);
        Assert.Equal(PaymentStatus.Paid, paid.PaymentStatus);
        Assert.Single(paid.Waivers); // kept on record

        // A late failure of that attempt changes nothing.
        var waived = FareFailed().WaiveUnpaid("ops1", "goodwill", Later);
        Assert.Same(waived, waived.MarkPaymentFailed(1, Later.AddMinutes(1)));
    }

    [Fact]
    public void A_waiver_at_the_limit_is_done_at_once_and_one_above_it_awaits_a_colleagues_approval()
    {
        var atLimit = FareFailed().AskToWaive("ops1", "goodwill", Limit(1500), Later);
        Assert.Equal(PaymentStatus.Waived, atLimit.PaymentStatus);
        Assert.Null(Assert.Single(atLimit.Waivers).ApprovedBy);
        Assert.Null(atLimit.PendingWaiver);

        var above = FareFailed().AskToWaive("ops1", "the driver took a long detour", Limit(1499), Later);

        Assert.Equal(new WaiverRequest("ops1", "the driver took a long detour", 1500, 0, Later, OwedMinor: 1500), above.PendingWaiver);
        Assert.Equal(PaymentStatus.Failed, above.PaymentStatus); // nothing waived yet: still owed, still reminded
        Assert.Empty(above.Waivers);
        Assert.Equal(1500, above.UnpaidFareMinor);
        Assert.NotNull(above.UnpaidReminders);
    }

    [Fact]
    public void Only_a_colleague_approves_a_waiver_and_it_keeps_who_asked_and_who_approved()
    {
        var asked = FareFailed().AskToWaive("ops1", "the driver took a long detour", Limit(0), Later);

        var own = Assert.Throws<WaiverApprovalForbiddenException>(() => asked.ApproveWaiver("ops1", Lapse72Hours, Later.AddMinutes(1)));
        Assert.Contains("A colleague must approve a waiver you asked for", own.Message);
        var approved = asked.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2));

        Assert.Equal(PaymentStatus.Waived, approved.PaymentStatus);
        Assert.Equal(new PaymentWaiver("ops1", "the driver took a long detour", 1500, 0, Later.AddMinutes(2), ApprovedBy: "ops2"), Assert.Single(approved.Waivers));
        Assert.Null(approved.PendingWaiver);
        Assert.Null(approved.UnpaidReminders);
        Assert.Same(approved, approved.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(3))); // the answer was lost: the same again
    }

    [Fact]
    public void Asking_again_while_a_waiver_awaits_approval_keeps_the_one_asked_and_another_account_approves_or_declines_it()
    {
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(1000), Later);

        Assert.Same(asked, asked.AskToWaive("ops1", "goodwill", Limit(1000), Later.AddMinutes(1)));
        Assert.Same(asked, asked.AskToWaive("ops1", "another reason", Limit(1000), Later.AddMinutes(1))); // the first reason stays
        Assert.Throws<WaiverRequestPendingException>(() => asked.AskToWaive("ops2", "me too", Limit(1000), Later.AddMinutes(1)));

        var declined = asked.DeclineWaiver("ops2", Later.AddMinutes(2));
        Assert.Null(declined.PendingWaiver);
        Assert.Equal((PaymentStatus.Failed, 1500L), (declined.PaymentStatus, declined.UnpaidFareMinor));
        Assert.Same(declined, declined.DeclineWaiver("ops2", Later.AddMinutes(3)));
        var gone = Assert.Throws<WaiverRequestClosedException>(() => declined.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(3)));
        Assert.Contains("was declined", gone.Message);
    }

    [Fact]
    public void A_rider_who_pays_while_a_waiver_awaits_approval_voids_it()
    {
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(1000), Later);

        var paid = asked.MarkPaid(1500, Later.AddMinutes(1)).FollowUnpaid(Days, Later.AddMinutes(1), out _);

        Assert.Null(paid.PendingWaiver);
        Assert.Null(paid.WaiverRequest);
        var refused = Assert.Throws<WaiverRequestClosedException>(() => paid.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2)));
        Assert.Contains("owes nothing", refused.Message);
        Assert.Null(asked.MarkPaid(1500, Later.AddMinutes(1)).PendingWaiver); // void even before the reminders are followed up
    }

    [Fact]
    public void A_waiver_is_not_asked_for_when_nothing_is_owed_and_not_approved_for_more_than_was_asked()
    {
        Assert.Contains("owes nothing", Assert.Throws<TripTransitionException>(() => Completed().MarkPaid(1500, Failed).AskToWaive("ops1", "why", Limit(0), Later)).Message);
        Assert.Contains("being made", Assert.Throws<TripTransitionException>(() => Completed().AskToWaive("ops1", "why", Limit(0), Later)).Message);

        // A lost item's return fee failed after the fare's waiver was asked for: the rider owes more than the colleague would approve.
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(0), Later);
        var more = asked with { LostItems = [new LostItemReport(1, "Black umbrella", "+4915112345678", 1000, Later, Later.AddHours(1)) { FeeAttempt = 2, FeePaymentStatus = PaymentStatus.Failed }] };
        Assert.Equal(2500, Assert.Throws<OwedChangedException>(() => more.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1))).OwedMinor);
        // A request stored before what was owed was kept: more owed is refused as before.
        var stored = more with { WaiverRequest = more.WaiverRequest! with { OwedMinor = null } };
        Assert.Contains("owes more", Assert.Throws<WaiverRequestClosedException>(() => stored.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1))).Message);
    }

    [Fact]
    public void The_limit_is_the_trips_currencys_own_when_one_is_configured()
    {
        var rules = new WaiverRules { ApprovalAboveMinor = 5000, ApprovalAbove = new(StringComparer.OrdinalIgnoreCase) { ["JPY"] = 1000 } };
        var yen = FareFailed() with { Currency = "JPY" };

        Assert.NotNull(yen.AskToWaive("ops1", "goodwill", rules, Later).PendingWaiver); // ¥1,500 is above ¥1,000
        Assert.Equal(PaymentStatus.Waived, FareFailed().AskToWaive("ops1", "goodwill", rules, Later).PaymentStatus); // $15.00 is not above 5000
        Assert.Equal((1000L, 5000L), (rules.ApprovalAboveFor("jpy"), rules.ApprovalAboveFor("EUR")));
    }

    [Fact]
    public void A_request_lapses_it_cannot_be_approved_and_a_new_ask_replaces_it()
    {
        var rules = new WaiverRules { ApprovalAboveMinor = 0, RequestLapse = TimeSpan.FromHours(72) };
        var asked = FareFailed().AskToWaive("ops1", "goodwill", rules, Later);
        var lapsedAt = Later.AddHours(72);

        Assert.Equal(PaymentStatus.Waived, asked.ApproveWaiver("ops2", rules, lapsedAt.AddTicks(-1)).PaymentStatus); // just before: approved
        var lapsed = Assert.Throws<WaiverRequestLapsedException>(() => asked.ApproveWaiver("ops2", rules, lapsedAt));
        Assert.Contains("lapsed", lapsed.Message);
        Assert.Contains("ask again", lapsed.Message);

        // Another account may ask now (the lapsed request is replaced), and so may the one that asked (not a retry).
        var again = asked.AskToWaive("ops2", "asked anew", rules, lapsedAt.AddMinutes(1));
        Assert.Equal(new WaiverRequest("ops2", "asked anew", 1500, 0, lapsedAt.AddMinutes(1), OwedMinor: 1500), again.PendingWaiver);
        Assert.Equal(lapsedAt.AddMinutes(1).ToUnixTimeMilliseconds(), again.WaiverAskedAtMs);
        Assert.Equal(lapsedAt, asked.AskToWaive("ops1", "mine again", rules, lapsedAt).PendingWaiver!.At);
    }

    [Fact]
    public void The_desks_are_told_each_change_of_the_request_awaiting_approval_once()
    {
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(0), Later);
        Assert.Equal(Later.ToUnixTimeMilliseconds(), asked.WaiverAskedAtMs);

        var told = asked.PublishWaiverRequest(out var changed);
        Assert.True(changed);
        Assert.Same(told, told.PublishWaiverRequest(out var again));
        Assert.False(again); // a retry of the same ask is not told twice

        var approved = told.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1));
        Assert.Null(approved.WaiverAskedAtMs);
        Assert.Null(approved.PublishWaiverRequest(out var ended).WaiverRequestToldAt);
        Assert.True(ended);
        var paid = told.MarkPaid(1500, Later.AddMinutes(1)).FollowUnpaid(Days, Later.AddMinutes(1), out _);
        paid.PublishWaiverRequest(out var voided);
        Assert.True(voided); // the rider paid: no longer awaiting
        FareFailed().PublishWaiverRequest(out var none);
        Assert.False(none);
    }

    [Fact]
    public void A_part_waived_leaves_the_rest_owed_reminded_and_paid_and_the_fare_ends_paid_with_the_part_waived()
    {
        var failed = FareFailed();
        var earnings = failed.DriverEarnings;

        var part = failed.WaiveUnpaid("ops1", "the detour, not the ride", Later, amountMinor: 600);

        Assert.Equal(PaymentStatus.Failed, part.PaymentStatus); // still owed: the rest
        Assert.Equal(new PaymentWaiver("ops1", "the detour, not the ride", 600, 0, Later), Assert.Single(part.Waivers));
        Assert.Equal((900L, 600L, 900L), (part.UnpaidFareMinor, part.WaivedOfFareMinor, part.ChargeDueMinor));
        Assert.Equal(failed.UnpaidReminders, part.UnpaidReminders); // reminded of the rest on the first failure's days
        Assert.NotNull(part.UnpaidRemindAtMs);
        Assert.Equal(earnings, part.DriverEarnings); // the platform bears the part: the driver's earnings are unchanged

        // The rider pays the rest: nothing owed, the reminders end, the fare is paid with the part standing waived.
        var retried = part.RetryPayment("r1", Later.AddHours(1));
        Assert.Equal(900, PaymentRequested(retried).AmountMinor);
        var paid = retried.MarkPaid(900, Later.AddHours(1)).FollowUnpaid(Days, Later.AddHours(1), out _);
        Assert.Equal((PaymentStatus.Paid, 0L, 600L), (paid.PaymentStatus, paid.UnpaidFareMinor, paid.WaivedOfFareMinor));
        Assert.Null(paid.UnpaidReminders);
        Assert.Equal(earnings, paid.DriverEarnings);
    }

    [Fact]
    public void A_second_waiver_of_the_rest_ends_the_fare_waived()
    {
        var part = FareFailed().WaiveUnpaid("ops1", "the detour", Later, amountMinor: 600);

        var rest = part.WaiveUnpaid("ops2", "the rest too", Later.AddHours(1), amountMinor: 900);

        Assert.Equal((PaymentStatus.Waived, 0L, 1500L), (rest.PaymentStatus, rest.UnpaidFareMinor, rest.WaivedOfFareMinor));
        Assert.Equal([600L, 900L], rest.Waivers.Select(w => w.FareMinor));
        Assert.Null(rest.UnpaidReminders);
        // Without an amount: all that is left.
        Assert.Equal(900, part.WaiveUnpaid("ops2", "all of it", Later.AddHours(1)).Waivers[^1].FareMinor);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-100L)]
    [InlineData(1101L)] // credit paid 400 of the 1500: 1100 is owed
    public void A_part_that_is_not_above_zero_or_is_more_than_is_owed_is_refused(long amountMinor)
    {
        var failed = FareFailed(creditPaidMinor: 400);
        var refused = Assert.Throws<WaiverAmountInvalidException>(() => failed.WaiveUnpaid("ops1", "goodwill", Later, amountMinor));
        Assert.StartsWith("amountMinor", refused.Message);
        Assert.Throws<WaiverAmountInvalidException>(() => failed.AskToWaive("ops1", "goodwill", Limit(0), Later, amountMinor));
    }

    [Fact]
    public void The_approval_limit_applies_to_the_part_waived()
    {
        // 400 of 1500 is within a 500 limit: waived at once.
        Assert.Equal(1100, FareFailed().AskToWaive("ops1", "goodwill", Limit(500), Later, amountMinor: 400).UnpaidFareMinor);

        // 600 is above it: a colleague approves the part, and the rider owes the rest.
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(500), Later, amountMinor: 600);
        Assert.Equal(new WaiverRequest("ops1", "goodwill", 600, 0, Later, All: false, OwedMinor: 1500), asked.PendingWaiver);
        Assert.Equal(1500, asked.UnpaidFareMinor);
        var approved = asked.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1));
        Assert.Equal(new PaymentWaiver("ops1", "goodwill", 600, 0, Later.AddMinutes(1), "ops2"), Assert.Single(approved.Waivers));
        Assert.Equal((PaymentStatus.Failed, 900L), (approved.PaymentStatus, approved.UnpaidFareMinor));
        Assert.Null(approved.PendingWaiver);
        Assert.Same(approved, approved.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2))); // the answer was lost: the same again
    }

    [Fact]
    public void A_payment_of_the_whole_taken_all_the_same_after_a_part_was_waived_leaves_nothing_standing_waived()
    {
        var part = FareFailed().WaiveUnpaid("ops1", "goodwill", Later, amountMinor: 600);

        var paid = part.MarkPaid(1500, Later.AddMinutes(1)); // the declined checkout of the whole, paid as support waived part

        Assert.Equal((PaymentStatus.Paid, 0L, 1500L), (paid.PaymentStatus, paid.WaivedOfFareMinor, paid.ChargeDueMinor));
        Assert.Single(paid.Waivers); // the waiver stays on record
    }

    [Fact]
    public void A_part_of_a_lost_items_return_fee_is_refused_it_is_waived_whole()
    {
        var feeFailed = Completed().MarkPaid(1500, Failed)
            .ReportLostItem("r1", "Black umbrella", "+4915112345678", 1000, new LostItemRules(), Failed.AddHours(1))
            .AnswerLostItem("d1", true, "Station", Failed.AddHours(1)).MarkLostItemReturned("d1", Failed.AddHours(2))
            .MarkPaymentFailed(2, Failed.AddHours(2)).FollowUnpaid(Days, Failed.AddHours(2), out _);

        Assert.Contains("waived whole", Assert.Throws<WaiverAmountInvalidException>(() => feeFailed.WaiveUnpaid("ops1", "goodwill", Later, amountMinor: 400)).Message);
        Assert.Equal(PaymentStatus.Waived, feeFailed.WaiveUnpaid("ops1", "goodwill", Later, amountMinor: 1000).LostItem!.FeePaymentStatus);
    }

    [Fact]
    public void A_request_stored_before_parts_could_be_waived_reads_as_all_of_it()
    {
        var stored = """{"operatorId":"ops1","reason":"goodwill","fareMinor":1500,"returnFeeMinor":0,"at":"2026-12-01T10:00:00+00:00"}""";
        var request = System.Text.Json.JsonSerializer.Deserialize<WaiverRequest>(stored, UberClone.Storage.StorageJson.Options)!;
        Assert.True(request.All);
    }

    [Fact]
    public void A_part_sent_again_after_it_was_waived_is_refused_as_the_rider_owes_another_amount_and_nothing_changes()
    {
        var part = FareFailed().WaiveUnpaid("ops1", "the detour", Later, amountMinor: 600, owedMinor: 1500);
        Assert.Equal(900, part.UnpaidFareMinor);

        // The same request again (its answer lost, sent without its Idempotency-Key): it saw 1500 owed, 900 is.
        var retried = Assert.Throws<OwedChangedException>(() => part.AskToWaive("ops1", "the detour", Limit(5000), Later.AddMinutes(1), amountMinor: 600, owedMinor: 1500));
        Assert.Equal((900L, "USD"), (retried.OwedMinor, retried.Currency));
        Assert.Contains("changed to $9.00", retried.Message);
        Assert.Throws<OwedChangedException>(() => part.WaiveUnpaid("ops1", "the detour", Later.AddMinutes(1), amountMinor: 600, owedMinor: 1500));
        // As the desk shows it now, the same part is waived again: the agent saw 900 owed.
        Assert.Equal(300, part.AskToWaive("ops1", "the detour", Limit(5000), Later.AddMinutes(1), amountMinor: 600, owedMinor: 900).UnpaidFareMinor);
        // Without what was seen, as before (the gateway requires it with a part).
        Assert.Equal(300, part.WaiveUnpaid("ops1", "the detour", Later.AddMinutes(1), amountMinor: 600).UnpaidFareMinor);
    }

    [Fact]
    public void A_whole_waiver_may_name_what_was_seen_owed_and_its_repeat_changes_nothing()
    {
        var creditPaid = FareFailed(creditPaidMinor: 400); // 1100 owed

        Assert.Equal(1100, Assert.Throws<OwedChangedException>(() => creditPaid.AskToWaive("ops1", "goodwill", Limit(5000), Later, owedMinor: 1500)).OwedMinor);
        var waived = creditPaid.AskToWaive("ops1", "goodwill", Limit(5000), Later, owedMinor: 1100);
        Assert.Equal(PaymentStatus.Waived, waived.PaymentStatus);
        Assert.Same(waived, waived.AskToWaive("ops1", "goodwill", Limit(5000), Later.AddMinutes(1), owedMinor: 1100)); // its lost answer retried
        // A part when nothing is owed any more: what was seen differs too.
        Assert.Equal(0, Assert.Throws<OwedChangedException>(() => waived.AskToWaive("ops1", "goodwill", Limit(5000), Later.AddMinutes(1), amountMinor: 600, owedMinor: 1100)).OwedMinor);
    }

    [Fact]
    public void A_request_keeps_what_was_owed_and_approving_it_after_that_changed_is_refused_and_waives_nothing()
    {
        var asked = FareFailed().AskToWaive("ops1", "goodwill", Limit(500), Later, amountMinor: 600, owedMinor: 1500);
        Assert.Equal(1500, asked.PendingWaiver!.OwedMinor);

        var creditPaid = asked with { CreditPaidMinor = 500 }; // ride credit paid part of it meanwhile: 1000 owed
        var refused = Assert.Throws<OwedChangedException>(() => creditPaid.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1)));
        Assert.Equal(1000, refused.OwedMinor);
        Assert.Contains("decline it and ask again", refused.Message);
        Assert.Equal(600, asked.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1)).Waivers[^1].FareMinor); // unchanged: approved
        // A whole waiver asked, less owed at approval: refused as well now (it was waived as owed before).
        var whole = FareFailed().AskToWaive("ops1", "goodwill", Limit(0), Later) with { CreditPaidMinor = 500 };
        Assert.Throws<OwedChangedException>(() => whole.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1)));
    }

    [Fact]
    public void Approving_a_declined_request_is_refused_even_by_whoever_approved_the_one_before()
    {
        var first = FareFailed().AskToWaive("ops1", "the detour", Limit(500), Later, amountMinor: 600, owedMinor: 1500);
        var approved = first.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1));
        var second = approved.AskToWaive("ops1", "the rest", Limit(500), Later.AddMinutes(2), owedMinor: 900);
        var declined = second.DeclineWaiver("ops3", Later.AddMinutes(3));

        var again = Assert.Throws<WaiverRequestClosedException>(() => declined.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(4)));
        Assert.Contains("was declined", again.Message);
        Assert.Equal(900, declined.UnpaidFareMinor);
        Assert.Contains("was declined", Assert.Throws<WaiverRequestClosedException>(() => declined.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(4), askedAt: Later.AddMinutes(2))).Message);
        Assert.Same(declined, declined.DeclineWaiver("ops1", Later.AddMinutes(4), askedAt: Later.AddMinutes(2))); // declined again: unchanged
        // Before the second was asked, the first's approval again changed nothing, as it still does when named.
        Assert.Same(approved, approved.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2)));
        Assert.Same(approved, approved.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2), askedAt: Later));
    }

    [Fact]
    public void Declining_or_withdrawing_an_approved_request_is_refused_and_another_colleagues_approval_names_it()
    {
        var approved = FareFailed().AskToWaive("ops1", "goodwill", Limit(0), Later).ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(1));

        Assert.Contains("approved already", Assert.Throws<WaiverRequestClosedException>(() => approved.DeclineWaiver("ops1", Later.AddMinutes(2))).Message);
        Assert.Contains("approved already", Assert.Throws<WaiverRequestClosedException>(() => approved.ApproveWaiver("ops3", Lapse72Hours, Later.AddMinutes(2))).Message);
        Assert.Same(approved, approved.ApproveWaiver("ops2", Lapse72Hours, Later.AddMinutes(2)));
    }

    [Fact]
    public void A_request_replaced_after_it_lapsed_is_not_approved_or_declined_in_its_place()
    {
        var rules = new WaiverRules { ApprovalAboveMinor = 0, RequestLapse = TimeSpan.FromHours(72) };
        var lapsedAt = Later.AddHours(72);
        var replaced = FareFailed().AskToWaive("ops1", "goodwill", rules, Later).AskToWaive("ops2", "asked anew", rules, lapsedAt.AddMinutes(1));

        var approving = Assert.Throws<WaiverRequestClosedException>(() => replaced.ApproveWaiver("ops3", rules, lapsedAt.AddMinutes(2), askedAt: Later));
        Assert.Contains("replaced it", approving.Message);
        Assert.Throws<WaiverRequestClosedException>(() => replaced.DeclineWaiver("ops3", lapsedAt.AddMinutes(2), askedAt: Later));
        Assert.Equal("ops3", replaced.ApproveWaiver("ops3", rules, lapsedAt.AddMinutes(2), askedAt: lapsedAt.AddMinutes(1)).Waivers[^1].ApprovedBy);
    }

    private static UberClone.Contracts.IntegrationEvents.PaymentCreateSessionCommand PaymentRequested(Trip trip) =>
        System.Text.Json.JsonSerializer.Deserialize<UberClone.Messaging.MessageEnvelope<UberClone.Contracts.IntegrationEvents.PaymentCreateSessionCommand>>(
            UberClone.Trips.Application.TripsApplication.PaymentRequest(trip).Value, UberClone.Messaging.MessageEnvelope.SerializerOptions)!.Data;
}
