using UberClone.Contracts.Common;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>What the receipt mails say (ReceiptMails has no I/O): the whole text of a fare receipt, and what changes for others.</summary>
public sealed class ReceiptMailsTests
{
    private static readonly MailRecipient Ana = new("ana@example.com", "Ana Lima", "Dora");
    private static readonly DateTimeOffset PaidAt = new(2026, 12, 4, 17, 5, 0, TimeSpan.FromHours(1));

    [Fact]
    public void A_fare_receipt_lists_each_part_of_the_fare_the_tip_and_the_total_with_the_ride()
    {
        var trip = CompletedTrip();
        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 2_140, 300, "EUR", PaidAt));

        Assert.Equal(("ana@example.com", "Ana Lima", "Your UberClone receipt: €21.40, 4 December 2026"), (mail.To, mail.ToName, mail.Subject));
        Assert.Equal(
            """
            Hello Ana Lima,

            Thanks for riding with UberClone and Dora. Here is your receipt.

            Base fare                          €2.50
            Distance                           €6.00
            Time                               €4.20
            Busy-time pricing (x1.5)           €4.35
            Booking fee                        €1.35
            Tip                                €3.00
            ----------------------------------------
            Total charged                     €21.40

            Paid        4 Dec 2026, 16:05 UTC
            Ride        Comfort, 5.2 km, 14 min
            Started     4 Dec 2026, 15:40 UTC
            From        52.5200, 13.4050
            To          52.5351, 13.3900
            Trip        t1

            The receipt is also in the app, under the ride in your trips. Questions about a charge: open the ride and choose "Get help".

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
    }

    [Fact]
    public void A_ride_booked_for_someone_else_names_who_rode()
    {
        var trip = CompletedTrip();
        trip.Passenger = new Passenger { Name = "Anna", Phone = "+390612345678" };

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 2_140, 300, "EUR", PaidAt));

        Assert.Contains("""
            Ride        Comfort, 5.2 km, 14 min
            Rider       Anna (booked by you)
            Started     4 Dec 2026, 15:40 UTC
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.DoesNotContain("+390612345678", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_drivers_wait_at_the_pickup_past_the_free_minutes_is_a_line_of_its_own()
    {
        var trip = CompletedTrip();
        trip.Receipt.Fare.WaitMinor = 90;
        trip.Receipt.Fare.TotalMinor += 90;

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 2_230, 300, "EUR", PaidAt));

        Assert.Contains("""
            Booking fee                        €1.35
            Waiting at the pickup              €0.90
            Tip                                €3.00
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.DoesNotContain("Waiting", ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 2_140, 300, "EUR", PaidAt)).Body);
    }

    [Fact]
    public void Each_place_fee_is_a_line_of_its_own_after_the_booking_fee()
    {
        var trip = CompletedTrip();
        trip.Receipt.Fare.PlaceFees.Add(new PlaceFee { Name = "BER Airport fee", AmountMinor = 500 });
        trip.Receipt.Fare.PlaceFees.Add(new PlaceFee { Name = "Congestion charge", AmountMinor = 250 });
        trip.Receipt.Fare.TotalMinor += 750;

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 2_890, 300, "EUR", PaidAt));

        Assert.Contains("""
            Booking fee                        €1.35
            BER Airport fee                    €5.00
            Congestion charge                  €2.50
            Tip                                €3.00
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
    }

    [Fact]
    public void A_ride_with_a_pet_has_its_pet_fee_on_a_line_of_its_own_after_the_place_fees()
    {
        var trip = CompletedTrip();
        trip.WithPet = true;
        trip.Receipt.Fare.PlaceFees.Add(new PlaceFee { Name = "BER Airport fee", AmountMinor = 500 });
        trip.Receipt.Fare.PetFeeMinor = 300;
        trip.Receipt.Fare.TotalMinor += 800;

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 2_940, 300, "EUR", PaidAt));

        Assert.Contains("""
            Booking fee                        €1.35
            BER Airport fee                    €5.00
            Pet fee                            €3.00
            Tip                                €3.00
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.DoesNotContain("Pet fee", ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 2_140, 300, "EUR", PaidAt)).Body);
    }

    [Fact]
    public void What_a_promotion_took_off_is_a_line_of_its_own_in_the_receipt_and_its_copy()
    {
        var trip = CompletedTrip();
        trip.Promotion = new AppliedPromotion { Code = "HALF50", Discount = new Money { AmountMinor = 400, Currency = "EUR" } };
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_440 + 300, Currency = "EUR" };
        trip.Receipt.Tip = new Money { AmountMinor = 300, Currency = "EUR" };
        trip.Receipt.PaymentStatus = "paid";

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 1_740, 300, "EUR", PaidAt));
        Assert.Contains("""
            Booking fee                        €1.35
            Promotion HALF50                  -€4.00
            Tip                                €3.00
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.Contains("Promotion HALF50                  -€4.00", ReceiptMails.Copy(Ana, trip)!.Body);
    }

    [Fact]
    public void Times_are_given_in_the_riders_time_zone_and_name_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var lateAtNight = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero); // already the 5th in Berlin (UTC+1)

        var mail = ReceiptMails.Paid(Ana with { Zone = berlin }, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 2_140, 300, "EUR", lateAtNight));

        Assert.Equal("Your UberClone receipt: €21.40, 5 December 2026", mail.Subject);
        Assert.Contains("Paid        5 Dec 2026, 00:30 Europe/Berlin", mail.Body);
        Assert.Contains("Started     4 Dec 2026, 16:40 Europe/Berlin", mail.Body);
    }

    [Fact]
    public void A_tip_paid_on_its_own_has_a_receipt_of_its_own()
    {
        var mail = ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 500, 500, "EUR", PaidAt, PaymentPurposes.Tip));

        Assert.Equal("Your UberClone tip receipt: €5.00", mail.Subject);
        Assert.Contains("Thanks for tipping Dora. All of it goes to them.", mail.Body);
        Assert.DoesNotContain("Base fare", mail.Body);
        Assert.Contains("Total charged", mail.Body);
    }

    [Fact]
    public void A_cancellation_fee_says_why_it_was_charged()
    {
        var trip = CompletedTrip();
        trip.Status = "cancelled";
        trip.Cancellation = new Cancellation { CancelledBy = "rider", Fee = new Money { AmountMinor = 500, Currency = "EUR" } };
        var late = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 500, 0, "EUR", PaidAt));
        Assert.Equal("Your UberClone receipt: €5.00 cancellation fee", late.Subject);
        Assert.Contains("You cancelled your ride after the free cancellation time", late.Body);

        trip.Cancellation.CancelledBy = "driver";
        var noShow = ReceiptMails.Paid(Ana with { DriverFirstName = null }, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 500, 0, "EUR", PaidAt));
        Assert.Contains("Your driver waited at the pickup and you did not come", noShow.Body);
    }

    [Fact]
    public void A_refund_says_how_much_why_and_how_much_in_all()
    {
        var refund = new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf1", 100, 350, RefundKinds.FareAdjustment, "EUR", 1_500, PaidAt);
        var mail = ReceiptMails.Refunded(Ana, CompletedTrip(), refund);

        Assert.Equal("UberClone refund: €1.00", mail.Subject);
        Assert.Contains("€1.00 of what you paid for your ride was refunded. Support adjusted the fare of this ride.", mail.Body);
        Assert.Contains("Refunded on this ride in all       €3.50", mail.Body);
        Assert.Contains("5 to 10 business days", mail.Body);
    }

    [Fact]
    public void A_refund_of_a_ride_credit_paid_part_of_says_what_goes_to_the_card_and_what_back_to_credit()
    {
        var mixed = ReceiptMails.Refunded(Ana, CompletedTrip(), new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf1", 1_250, 1_250, RefundKinds.Goodwill, "EUR", 1_500,
            PaidAt, CreditMinor: 500));
        var allCredit = ReceiptMails.Refunded(Ana, CompletedTrip(), new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf2", 300, 300, RefundKinds.FareAdjustment, "EUR",
            1_200, PaidAt, CreditMinor: 300));

        Assert.Equal("UberClone refund: €12.50", mixed.Subject);
        var body = mixed.Body.ReplaceLineEndings("\n");
        Assert.Matches(@"\n  to your card +€7\.50\n  as ride credit +€5\.00\n", body);
        Assert.Contains("€7.50 goes back to the card you paid with", body);
        Assert.Contains("€5.00, what ride credit paid, is your ride credit again.", body);
        Assert.Equal("UberClone: €3.00 ride credit added", allCredit.Subject); // ride credit paid all of the ride: all back to credit
        Assert.Contains("Support adjusted the fare of this ride.", allCredit.Body);
        Assert.Contains("nothing goes back to a card", allCredit.Body);
        Assert.DoesNotContain("  to your card", allCredit.Body);
    }

    [Fact]
    public void A_fare_refunded_as_ride_credit_says_it_is_credit_not_money_back_on_the_card()
    {
        var refund = new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf1", 500, 500, RefundKinds.Credit, "USD", 1_500, PaidAt);
        var mail = ReceiptMails.Refunded(Ana, CompletedTrip(), refund);

        Assert.Equal(("UberClone: $5.00 ride credit added", "refund"), (mail.Subject, mail.Kind));
        Assert.Contains("$5.00 ride credit added: support gave back $5.00 of what you paid for your ride as ride credit.", mail.Body);
        Assert.Contains("nothing goes back to a card", mail.Body);
        Assert.DoesNotContain("business days", mail.Body);
    }

    [Fact]
    public void Amounts_in_a_currency_without_cents_are_whole()
    {
        var mail = ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 1_800, 0, "JPY", PaidAt));
        Assert.Equal("Your UberClone receipt: ¥1,800, 4 December 2026", mail.Subject);
    }

    [Fact]
    public void A_copy_of_a_paid_receipt_says_what_the_app_does_with_a_tip_paid_later_and_refunds_below_the_total()
    {
        var trip = CompletedTrip();
        trip.CompletedAt = "2026-12-04T15:54:10Z";
        trip.Receipt.PaymentStatus = "paid";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };
        trip.Receipt.Tip = new Money { AmountMinor = 300, Currency = "EUR" };
        trip.Receipt.TipPaymentStatus = "paid"; // paid on its own, after the fare
        trip.Receipt.Refunds.Add(new Refund { Amount = new Money { AmountMinor = 100, Currency = "EUR" }, Kind = "fare_adjustment", RefundedAt = "2026-12-05T09:00:00Z" });

        var mail = ReceiptMails.Copy(Ana, trip)!;

        Assert.Equal(("receipt-copy", "Your UberClone receipt (copy): €18.40, 4 December 2026"), (mail.Kind, mail.Subject));
        Assert.Equal(
            """
            Hello Ana Lima,

            Here is a copy of the receipt for your ride of 4 December 2026 with Dora, as you asked.

            Base fare                          €2.50
            Distance                           €6.00
            Time                               €4.20
            Busy-time pricing (x1.5)           €4.35
            Booking fee                        €1.35
            ----------------------------------------
            Total charged                     €18.40

            Tip, paid on its own               €3.00
            Refunded (5 Dec)                  -€1.00

            Ride        Comfort, 5.2 km, 14 min
            Started     4 Dec 2026, 15:40 UTC
            From        52.5200, 13.4050
            To          52.5351, 13.3900
            Trip        t1

            Questions about a charge: open the ride in the app and choose "Get help".

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());

        // A tip paid with the fare is one of its lines; a receipt not paid yet has no copy to send.
        trip.Receipt.TipPaymentStatus = "";
        trip.Receipt.Refunds.Clear();
        trip.Receipt.AmountDue.AmountMinor = 2_140;
        Assert.Contains("Tip                                €3.00", ReceiptMails.Copy(Ana, trip)!.Body);
        trip.Receipt.PaymentStatus = "pending";
        Assert.Null(ReceiptMails.Copy(Ana, trip));
        trip.Receipt = null;
        Assert.Null(ReceiptMails.Copy(Ana, trip));
    }

    [Fact]
    public void A_copy_of_a_paid_receipt_lists_what_split_riders_and_ride_credit_paid_and_charges_the_card_the_rest()
    {
        var trip = CompletedTrip();
        trip.CompletedAt = "2026-12-04T15:54:10Z";
        trip.Receipt.PaymentStatus = "paid";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };
        trip.Receipt.CreditPaid = new Money { AmountMinor = 400, Currency = "EUR" };
        trip.Split = new SplitFare();
        trip.Split.Invitees.Add(new SplitInvitee { RiderId = "r2", Name = "Bea", Status = "accepted", ShareStatus = "paid", Share = new Money { AmountMinor = 600, Currency = "EUR" } });
        // A share the invitee's card declined was paid by the rider: not subtracted.
        trip.Split.Invitees.Add(new SplitInvitee { RiderId = "r3", Name = "Cai", Status = "accepted", ShareStatus = "declined", Share = new Money { AmountMinor = 600, Currency = "EUR" } });

        var mail = ReceiptMails.Copy(Ana, trip)!;

        Assert.Contains("Paid by Bea                       -€6.00", mail.Body);
        Assert.DoesNotContain("Cai", mail.Body);
        Assert.Contains("Ride credit                       -€4.00", mail.Body);
        Assert.EndsWith("€8.40, 4 December 2026", mail.Subject);
    }

    [Fact]
    public void A_copy_of_a_waived_rides_receipt_says_what_credit_paid_what_support_waived_and_when_and_that_nothing_was_charged()
    {
        // Read by support for a caller (their view has support's note on the waiver): the copy never says it.
        var trip = CompletedTrip();
        trip.CompletedAt = "2026-12-04T15:54:10Z";
        trip.Receipt.PaymentStatus = "payment_failed";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };
        trip.Receipt.CreditPaid = new Money { AmountMinor = 400, Currency = "EUR" };
        trip.Receipt.PaidWith = "Visa •••• 0002";
        Assert.Null(ReceiptMails.Copy(Ana, trip)); // still owed: not final
        trip.Receipt.PaymentStatus = "waived";
        trip.Receipt.Waivers.Add(new PaymentWaiver
        {
            Fare = new Money { AmountMinor = 1_440, Currency = "EUR" }, ReturnFee = new Money { Currency = "EUR" },
            WaivedAt = "2026-12-07T10:00:00Z", Reason = "the driver took a long detour", OperatorId = "ops1",
        });

        var mail = ReceiptMails.Copy(Ana, trip)!;

        Assert.Equal(("receipt-copy", "Your UberClone receipt (copy): €14.40 waived, 4 December 2026"), (mail.Kind, mail.Subject));
        Assert.Equal(
            """
            Hello Ana Lima,

            Here is a copy of the receipt for your ride of 4 December 2026 with Dora, as you asked. Its payment did not go through, and UberClone support waived the €14.40 you owed: you owe nothing for it.

            Base fare                                €2.50
            Distance                                 €6.00
            Time                                     €4.20
            Busy-time pricing (x1.5)                 €4.35
            Booking fee                              €1.35
            Ride credit                             -€4.00
            Waived by UberClone support (7 Dec)    -€14.40
            ----------------------------------------------
            Total charged                            €0.00

            Ride        Comfort, 5.2 km, 14 min
            Started     4 Dec 2026, 15:40 UTC
            From        52.5200, 13.4050
            To          52.5351, 13.3900
            Trip        t1

            Questions about a charge: open the ride in the app and choose "Get help".

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        // The HTML part: the waiver a row of the amounts' table, the total charged its last; no card charged, no note.
        var html = MailHtml.Render(mail.Subject, mail.Body);
        Assert.Contains("<td style=\"padding:3px 0\">Waived by UberClone support (7 Dec)</td><td style=\"padding:3px 0;text-align:right\">-€14.40</td>", html);
        Assert.Contains(">Total charged</td><td style=\"padding:6px 0;border-top:1px solid #cbd5e1;font-weight:700;text-align:right\">€0.00</td>", html);
        Assert.DoesNotContain("detour", mail.Body + html);
        Assert.DoesNotContain("0002", mail.Body);
        // Not a business expense: nothing was charged, so no work copy.
        trip.Profile = "business";
        Assert.Null(ReceiptMails.WorkCopy(Ana, trip));
    }

    [Fact]
    public void A_copy_of_a_paid_rides_receipt_says_support_waived_its_lost_items_return_fee()
    {
        var trip = CompletedTrip();
        trip.CompletedAt = "2026-12-04T15:54:10Z";
        trip.Receipt.PaymentStatus = "paid";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };
        trip.LostItem = new LostItem { Number = 1, Status = "returned", Description = "Black umbrella", ReturnFee = new Money { AmountMinor = 1_000, Currency = "EUR" }, FeePaymentStatus = "payment_failed" };
        Assert.DoesNotContain("return fee", ReceiptMails.Copy(Ana, trip)!.Body); // owed, mailed about on its own
        trip.LostItem.FeePaymentStatus = "waived";
        trip.Receipt.Waivers.Add(new PaymentWaiver
        {
            Fare = new Money { Currency = "EUR" }, ReturnFee = new Money { AmountMinor = 1_000, Currency = "EUR" }, WaivedAt = "2026-12-07T10:00:00Z", Reason = "rider disputes the fee",
        });

        var mail = ReceiptMails.Copy(Ana, trip)!;

        Assert.Equal("Your UberClone receipt (copy): €18.40, 4 December 2026", mail.Subject);
        Assert.Matches(@"\n-+\nTotal charged +€18\.40\n\nLost item return fee +€10\.00\nWaived by UberClone support \(7 Dec\) +-€10\.00\n", mail.Body.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("disputes", mail.Body);
    }

    [Fact]
    public void The_work_copy_of_a_business_ride_is_headed_business_with_the_memo_and_goes_to_the_work_email()
    {
        var trip = CompletedTrip();
        trip.CompletedAt = "2026-12-04T15:54:10Z";
        trip.Profile = "business";
        trip.ExpenseMemo = "Client visit ACME";
        trip.Receipt.PaymentStatus = "paid";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };

        var mail = ReceiptMails.WorkCopy(Ana with { Email = "ana.lima@acme.example" }, trip)!;

        Assert.Equal(("receipt-work-copy", "ana.lima@acme.example", "Business ride receipt: €18.40, 4 December 2026"), (mail.Kind, mail.To, mail.Subject));
        Assert.StartsWith(
            """
            Business
            Expense memo  Client visit ACME

            Hello Ana Lima,

            Here is the receipt for your business ride of 4 December 2026 with Dora, for your expense report. Your own copy went to your UberClone email.

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.Contains("Total charged                     €18.40", mail.Body);
        // The rider's own receipt names it a business ride, with the memo, too.
        Assert.Contains("Business    Client visit ACME", ReceiptMails.Copy(Ana, trip)!.Body);

        trip.ExpenseMemo = "";
        Assert.Contains("Expense memo  (none)", ReceiptMails.WorkCopy(Ana, trip)!.Body);
        trip.Receipt.PaymentStatus = "pending";
        Assert.Null(ReceiptMails.WorkCopy(Ana, trip));
    }

    [Fact]
    public void A_tip_paid_on_its_own_after_a_business_ride_has_a_work_copy_headed_business_with_the_memo()
    {
        var trip = CompletedTrip();
        trip.Profile = "business";
        trip.ExpenseMemo = "Client visit ACME";
        var tip = new TripPaidIntegrationEvent("t1", "r1", "d1", 300, 300, "EUR", new DateTimeOffset(2026, 12, 4, 16, 0, 0, TimeSpan.Zero), PaymentPurposes.Tip, "Visa •••• 4242");

        var mail = ReceiptMails.WorkTipCopy(Ana with { Email = "ana.lima@acme.example" }, trip, tip);

        Assert.Equal(("receipt-work-copy", "ana.lima@acme.example", "Business tip receipt: €3.00"), (mail.Kind, mail.To, mail.Subject));
        Assert.StartsWith("Business\nExpense memo  Client visit ACME\n\nHello Ana Lima,", mail.Body.ReplaceLineEndings("\n"));
        Assert.Contains("Tip", mail.Body);
        Assert.Contains("Charged to  Visa •••• 4242", mail.Body);
    }

    [Fact]
    public void A_split_fares_receipt_takes_off_what_the_other_riders_paid_and_charges_the_rest()
    {
        var trip = CompletedTrip();
        trip.Split = new SplitFare { Invitees = { new SplitInvitee { RiderId = "r2", Name = "Bea Ruiz", Status = "accepted", ShareStatus = "paid" } } };

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 1_840, 0, "EUR", PaidAt, PaidWith: "Visa •••• 4242", SplitPaidMinor: 920));

        Assert.Equal("Your UberClone receipt: €9.20, 4 December 2026", mail.Subject);
        var body = mail.Body.ReplaceLineEndings("\n");
        Assert.Matches(@"\nPaid by Bea Ruiz +-€9\.20\n-+\nTotal charged +€9\.20\n", body);
    }

    [Fact]
    public void Ride_credit_that_paid_part_of_the_fare_is_its_own_line_and_the_card_is_charged_the_rest()
    {
        var part = ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 1_840, 0, "EUR", PaidAt, PaidWith: "Visa •••• 4242", CreditPaidMinor: 500));
        var all = ReceiptMails.Paid(Ana, CompletedTrip(), new TripPaidIntegrationEvent("t1", "r1", "d1", 1_840, 0, "EUR", PaidAt, PaidWith: "ride credit", CreditPaidMinor: 1_840));

        Assert.Equal("Your UberClone receipt: €13.40, 4 December 2026", part.Subject);
        Assert.Matches(@"\nRide credit +-€5\.00\n-+\nTotal charged +€13\.40\n", part.Body.ReplaceLineEndings("\n"));
        Assert.Contains("Charged to  Visa •••• 4242", part.Body);
        Assert.Matches(@"\nRide credit +-€18\.40\n-+\nTotal charged +€0\.00\n", all.Body.ReplaceLineEndings("\n"));
        Assert.Contains("Paid with ride credit", all.Body);
    }

    [Fact]
    public void A_ride_paid_in_cash_says_so_on_the_receipt_mail_and_its_copy_instead_of_a_card()
    {
        var trip = CompletedTrip();
        trip.PayInCash = true;
        trip.Receipt.PaymentStatus = "paid";
        trip.Receipt.PaidWith = "cash";
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };

        var mail = ReceiptMails.Paid(Ana, trip, new TripPaidIntegrationEvent("t1", "r1", "d1", 1_840, 0, "EUR", PaidAt, PaidWith: "cash"));

        Assert.Contains("\nPaid in cash\n", mail.Body.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Charged to", mail.Body);
        Assert.Matches(@"\nTotal paid in cash +€18\.40\n", mail.Body.ReplaceLineEndings("\n"));
        Assert.Contains("\nPaid in cash\n", ReceiptMails.Copy(Ana, trip)!.Body.ReplaceLineEndings("\n"));
    }

    internal static Trip CompletedTrip() => new()
    {
        TripId = "t1",
        RiderId = "r1",
        Status = "completed",
        VehicleClass = "comfort",
        Pickup = new LatLng { Lat = 52.52, Lng = 13.405 },
        Dropoff = new LatLng { Lat = 52.53512, Lng = 13.39 },
        DistanceMeters = 5_230,
        DurationSeconds = 14 * 60 + 10,
        SurgeMultiplier = 1.5,
        StartedAt = "2026-12-04T15:40:00Z",
        Receipt = new Receipt
        {
            Fare = new FareBreakdown
            {
                BaseMinor = 250, DistanceMinor = 600, TimeMinor = 420, SurgeMinor = 435, BookingFeeMinor = 135, TotalMinor = 1_840, Currency = "EUR",
            },
        },
    };
}
