using UberClone.Contracts.Common;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>What a rider asked to split a fare (ADR 0040) is mailed, from the ride as they see it (SplitFareMails has no I/O).</summary>
public sealed class SplitFareMailsTests
{
    private static readonly MailRecipient Bea = new("bea@example.com", "Bea Ruiz", null);
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static SplitInvitation Ride() => new()
    {
        TripId = "t1", RequesterName = "Rita", TripStatus = "completed", Status = "accepted",
        Pickup = new LatLng { Lat = 52.52, Lng = 13.405 }, Dropoff = new LatLng { Lat = 52.53512, Lng = 13.39 },
        Fare = new Money { AmountMinor = 900, Currency = "EUR" }, Share = new Money { AmountMinor = 450, Currency = "EUR" },
        ShareStatus = "paid", CardLabel = "Mastercard •••• 4444", InvitedAt = "2026-12-04T15:41:00Z", CompletedAt = "2026-12-04T16:00:00Z",
    };

    [Fact]
    public void The_request_names_who_asks_where_the_ride_goes_and_where_to_answer_while_it_is_open()
    {
        var asked = Ride();
        asked.Status = "invited";
        asked.TripStatus = "in_progress";
        asked.Share = null;
        asked.ShareStatus = "";
        asked.CompletedAt = "";

        var mail = SplitFareMails.Invited(Bea, asked, "https://app.example.com/")!;

        Assert.Equal(("bea@example.com", "Rita asked you to split the fare of a ride", "split-invitation"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("Rita asked you to split the fare of a ride to 52.5351, 13.3900 (€9.00 as booked).", mail.Body);
        Assert.Contains("Answer in the app: https://app.example.com/rider", mail.Body);
        Assert.Contains("Trip        t1", mail.Body);
        // Without the web app's address: where in the app. Once answered (or withdrawn, or lapsed): nothing to ask.
        Assert.Contains("Answer in the UberClone app, under \"Split fare\".", SplitFareMails.Invited(Bea, asked, null)!.Body);
        asked.Status = "accepted";
        Assert.Null(SplitFareMails.Invited(Bea, asked, null));
    }

    [Fact]
    public void The_receipt_of_a_share_says_what_they_paid_of_the_fare_once_their_card_paid_it()
    {
        var mail = SplitFareMails.SharePaid(Bea, Ride())!;

        Assert.Equal(("Your UberClone receipt: you paid €4.50 of €9.00", "receipt"), (mail.Subject, mail.Kind));
        Assert.Equal(
            """
            Hello Bea Ruiz,

            You split the fare of Rita's ride: you paid €4.50 of €9.00.

            Fare of the ride                   €9.00
            ----------------------------------------
            Your share                         €4.50

            Charged to  Mastercard •••• 4444
            Ride        Rita's, split with you
            Ended       4 Dec 2026, 16:00 UTC
            From        52.5200, 13.4050
            To          52.5351, 13.3900
            Trip        t1

            The receipt is also in the app, under the ride in your trips. Questions about a charge: open the ride and choose "Get help".

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        // Pending, or declined (the rider paid it): no receipt of theirs.
        var declined = Ride();
        declined.ShareStatus = "declined";
        Assert.Null(SplitFareMails.SharePaid(Bea, declined));
    }

    [Fact]
    public void An_invitees_part_of_a_refund_says_how_much_whose_ride_and_how_much_of_their_share_in_all()
    {
        var refund = new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf1_split_r2", 150, 200, RefundKinds.FareAdjustment, "EUR", 1_200, At, InviteeId: "r2");

        var mail = SplitFareMails.Refunded(Bea, Ride(), refund);

        Assert.Equal(("bea@example.com", "UberClone refund: €1.50", "refund"), (mail.To, mail.Subject, mail.Kind));
        Assert.Equal(
            """
            Hello Bea Ruiz,

            €1.50 of what you paid for your share of Rita's ride was refunded. Support adjusted the fare of this ride. A refund of a split fare is shared among the riders in proportion to what each paid.

            Refunded now                       €1.50
            ----------------------------------------
            Refunded of your share in all      €2.00

            Refunded    5 Dec 2026, 09:00 UTC
            Ride        Rita's, split with you
            Ended       4 Dec 2026, 16:00 UTC
            From        52.5200, 13.4050
            To          52.5351, 13.3900
            Trip        t1

            It goes back to the card you paid your share with; your bank may take 5 to 10 business days to show it.

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
    }
}
