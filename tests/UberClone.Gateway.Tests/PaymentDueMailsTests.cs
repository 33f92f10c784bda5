using UberClone.Contracts.Common;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>
/// What a rider who owes money on a trip is mailed (ADR 0039; no I/O): at once when the payment fails, why and how to
/// pay; on each reminder's day that it is still due; nothing once the trip, read as the mail is written, owes nothing.
/// </summary>
public sealed class PaymentDueMailsTests
{
    private static readonly DateTimeOffset Ended = new(2026, 12, 1, 13, 5, 0, TimeSpan.Zero); // a Tuesday
    private static readonly MailRecipient Ana = new("ana@example.com", "Ana", null, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

    private static Trip Owing(long fare, long fee, string status = "completed") => new()
    {
        TripId = "t1", Status = status, CreatedAt = Ended.AddMinutes(-20).ToString("O"), CompletedAt = status == "completed" ? Ended.ToString("O") : "",
        UnpaidReminders = new UnpaidReminders
        {
            OwedSince = Ended.AddMinutes(1).ToString("O"), Sent = 0,
            Fare = new Money { AmountMinor = fare, Currency = "EUR" }, ReturnFee = new Money { AmountMinor = fee, Currency = "EUR" },
        },
    };

    private static TripPaymentDueIntegrationEvent Due(int reminder, long fare, long fee, string? reason = null, DateTimeOffset? next = null) =>
        new("t1", "r1", reminder, fare, fee, "EUR", reason, Ended.AddMinutes(1), next, Ended.AddMinutes(1).AddDays(reminder));

    [Fact]
    public void When_the_payment_fails_the_rider_is_told_how_much_why_how_to_pay_and_when_we_remind_them()
    {
        var mail = PaymentDueMails.Due(Ana, Owing(2340, 0), Due(0, 2340, 0, "insufficient_funds", Ended.AddDays(1)))!;
        Assert.Equal("We could not charge €23.40 for your UberClone ride of 1 Dec", mail.Subject);
        Assert.Contains("The payment of €23.40 for your ride of 1 Dec 2026, 14:05 Europe/Berlin (the fare) did not go through: your bank declined the card (insufficient funds).", mail.Body);
        Assert.Contains("\"Retry payment\"", mail.Body);
        Assert.Contains("You can book your next ride once it is paid.", mail.Body);
        Assert.Contains("we will remind you on 2 Dec.", mail.Body);
        Assert.DoesNotContain("return fee", mail.Body);
        Assert.Equal("payment-failed", mail.Kind);
    }

    [Fact]
    public void A_reminder_says_it_is_still_due_since_when_and_the_last_one_promises_no_other()
    {
        var mail = PaymentDueMails.Due(Ana, Owing(2340, 0), Due(3, 2340, 0))!;
        Assert.Equal("Reminder: €23.40 for your UberClone ride of 1 Dec is still due", mail.Subject);
        Assert.Contains("€23.40 for your ride of 1 Dec 2026, 14:05 Europe/Berlin (the fare) is still due: its payment did not go through on 1 Dec", mail.Body);
        Assert.DoesNotContain("we will remind you", mail.Body);
        Assert.Equal("payment-reminder", mail.Kind);
    }

    [Fact]
    public void A_return_fee_and_a_cancellation_fee_are_named_as_what_they_are()
    {
        var fee = PaymentDueMails.Due(Ana, Owing(0, 1500), Due(0, 0, 1500, "expired"))!;
        Assert.Contains("(the return fee of your lost item) did not go through: the payment link expired before it was paid.", fee.Body);
        Assert.Contains("\"Pay the return fee again\"", fee.Body);
        Assert.DoesNotContain("Retry payment", fee.Body);

        var both = PaymentDueMails.Due(Ana, Owing(2340, 1500), Due(1, 2340, 1500))!;
        Assert.StartsWith("Reminder: €38.40 ", both.Subject);
        Assert.Contains("(the fare, €23.40, and the return fee of your lost item, €15.00)", both.Body);

        var cancelled = PaymentDueMails.Due(Ana, Owing(500, 0, "cancelled"), Due(0, 500, 0, "card_declined"))!;
        Assert.Equal("We could not charge €5.00 for your UberClone cancelled ride of 1 Dec", cancelled.Subject);
        Assert.Contains("(the cancellation fee) did not go through: your bank declined the card.", cancelled.Body);
    }

    [Fact]
    public void Nothing_is_mailed_once_what_the_event_was_about_is_paid_and_otherwise_what_is_owed_now()
    {
        var paid = Owing(2340, 0);
        paid.UnpaidReminders = null;
        Assert.Null(PaymentDueMails.Due(Ana, paid, Due(1, 2340, 0)));
        // The fare was paid meanwhile and only the fee is left: the fare's event says nothing.
        Assert.Null(PaymentDueMails.Due(Ana, Owing(0, 1500), Due(1, 2340, 0)));
        // Another rider paid their share of a split fare meanwhile (ADR 0040): the mail asks for what is left.
        Assert.StartsWith("We could not charge €11.70 ", PaymentDueMails.Due(Ana, Owing(1170, 0), Due(0, 2340, 0, "card_declined"))!.Subject);
    }

    [Theory]
    [InlineData("authentication_required", "your bank wants to approve the payment itself, which it can do when you pay in the app")]
    [InlineData("provider_unavailable", "our payment provider did not answer")]
    [InlineData("do_not_honor", "your bank declined the card (do not honor)")]
    [InlineData(null, "your bank declined the card")]
    public void Why_a_payment_failed_is_said_in_the_riders_words(string? reason, string said) => Assert.Equal(said, PaymentDueMails.Why(reason));

    private static TripPaymentWaivedIntegrationEvent Waived(long fare, long fee) =>
        new("t1", "r1", fare, fee, "EUR", "the driver took a long detour", "ops1", Ended.AddDays(2));

    [Fact]
    public void A_waiver_tells_the_rider_how_much_for_which_ride_that_nothing_is_owed_and_not_supports_note()
    {
        var trip = Owing(2340, 0);
        trip.Receipt = new Receipt { PaymentStatus = "waived" };
        var mail = PaymentDueMails.Waived(Ana, trip, Waived(2340, 0))!;
        Assert.Equal("We waived €23.40 for your UberClone ride of 1 Dec", mail.Subject);
        Assert.Contains("We have waived the €23.40 you owed for your ride of 1 Dec 2026, 14:05 Europe/Berlin (the fare), whose payment did not go through.", mail.Body);
        Assert.Contains("You owe nothing for it any more", mail.Body);
        Assert.Contains("You can book your next ride in the app as usual.", mail.Body);
        Assert.DoesNotContain("detour", mail.Body);
        Assert.Equal("payment-waived", mail.Kind);

        // Only a lost item's return fee: nothing to say about booking (it never blocked it).
        var fee = PaymentDueMails.Waived(Ana, Owing(0, 1500), Waived(0, 1500))!;
        Assert.Contains("(the return fee of your lost item)", fee.Body);
        Assert.DoesNotContain("book your next ride", fee.Body);

        // Paid all the same before the mail was written: the receipt says so, no waiver mail.
        var paid = Owing(2340, 0);
        paid.Receipt = new Receipt { PaymentStatus = "paid" };
        Assert.Null(PaymentDueMails.Waived(Ana, paid, Waived(2340, 0)));
    }

    [Fact]
    public void A_part_waived_tells_the_rider_how_much_of_what_they_owed_and_what_they_still_owe()
    {
        var trip = Owing(1400, 0);
        trip.Receipt = new Receipt { PaymentStatus = "payment_failed" };
        var mail = PaymentDueMails.Waived(Ana, trip, Waived(940, 0) with { StillOwedMinor = 1400 })!;

        Assert.Equal("UberClone support waived €9.40 of the €23.40 you owed: you still owe €14.00", mail.Subject);
        Assert.Contains("UberClone support waived €9.40 of the €23.40 you owed for your ride of 1 Dec 2026, 14:05 Europe/Berlin, whose payment did not go through: you still owe €14.00.", mail.Body);
        Assert.Contains("\"Payment due\"", mail.Body);
        Assert.DoesNotContain("You owe nothing", mail.Body);
        Assert.DoesNotContain("detour", mail.Body);
    }
}
