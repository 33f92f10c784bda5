using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Split fare (ADR 0040): whom the rider may ask and when, the invitees' answers, and how the fare (1,500 on the test
/// trip) is shared when the ride ends.
/// </summary>
public class SplitFareTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now.AddMinutes(5);

    private static Trip Riding() => TestTrips.InProgress();

    private static Trip InvitedAna(Trip? trip = null) => (trip ?? Riding()).InviteToSplit("r1", "ana", "Ana Doe", "Max Mustermann", Now);

    [Fact]
    public void The_rider_asks_another_rider_while_the_ride_is_under_way()
    {
        var trip = InvitedAna();

        var invitation = Assert.Single(trip.Split.Invitations);
        Assert.Equal(("ana", "Ana Doe", SplitInvitationStatus.Invited), (invitation.RiderId, invitation.Name, invitation.Status));
        Assert.Equal("Max Mustermann", trip.Split.RequesterName);
        Assert.True(trip.IsSplitWith("ana"));
        Assert.False(trip.IsSplitWith("bob"));
    }

    [Theory]
    [InlineData(TripStatus.Searching)]
    [InlineData(TripStatus.DriverAssigned)]
    [InlineData(TripStatus.DriverArrived)]
    public void The_rider_may_ask_from_the_booking_on(string status) =>
        Assert.Single(InvitedAna(Riding() with { Status = status }).Split.Invitations);

    [Fact]
    public void Asking_oneself_is_refused_naming_the_email()
    {
        var refused = Assert.Throws<SplitFareInvalidException>(() => Riding().InviteToSplit("r1", "r1", "Max Mustermann", "Max Mustermann", Now));
        Assert.Equal("email", refused.Field);
        Assert.Contains("your own account", refused.Message);
    }

    [Fact]
    public void Asking_a_rider_again_while_asked_or_accepted_changes_nothing_after_they_declined_it_is_refused()
    {
        var asked = InvitedAna();
        var accepted = asked.AnswerSplitInvitation("ana", accept: true, "card_a", Now);
        var declined = asked.AnswerSplitInvitation("ana", accept: false, cardId: null, Now);

        Assert.Same(asked, asked.InviteToSplit("r1", "ana", "Ana Doe", "Max Mustermann", Now.AddMinutes(1)));
        Assert.Same(accepted, accepted.InviteToSplit("r1", "ana", "Ana Doe", "Max Mustermann", Now.AddMinutes(1)));
        Assert.Equal("email", Assert.Throws<SplitFareInvalidException>(() => InvitedAna(declined)).Field);
    }

    [Fact]
    public void At_most_three_other_riders_are_asked_and_a_withdrawn_one_makes_room()
    {
        var three = InvitedAna().InviteToSplit("r1", "bob", "Bob", "Max", Now).InviteToSplit("r1", "cy", "Cy", "Max", Now);

        var refused = Assert.Throws<SplitFareInvalidException>(() => three.InviteToSplit("r1", "dee", "Dee", "Max", Now));
        Assert.Contains("at most 3", refused.Message);
        var afterWithdrawal = three.WithdrawSplitInvitation("r1", "bob", Now).InviteToSplit("r1", "dee", "Dee", "Max", Now);
        Assert.Equal(3, afterWithdrawal.Split.Invitations.Count(i => i.IsStanding));
    }

    [Fact]
    public void Another_riders_trip_is_not_found() =>
        Assert.Throws<TripNotYoursException>(() => Riding().InviteToSplit("r2", "ana", "Ana Doe", "Eve", Now));

    [Fact]
    public void A_ride_that_ended_a_business_ride_and_a_ride_booked_for_later_are_not_split()
    {
        Assert.Throws<SplitFareClosedException>(() => InvitedAna(TestTrips.Completed()));
        Assert.Throws<SplitFareClosedException>(() => InvitedAna(Riding() with { Profile = new RideProfile(RideProfile.Business, null) }));
        var later = Assert.Throws<SplitFareClosedException>(() => InvitedAna(Riding() with { Status = TripStatus.Scheduled }));
        Assert.Contains("booked for later", later.Message);
    }

    [Fact]
    public void The_invitee_accepts_with_a_card_and_may_not_accept_without_one()
    {
        var refused = Assert.Throws<SplitFareInvalidException>(() => InvitedAna().AnswerSplitInvitation("ana", accept: true, cardId: null, Now));
        Assert.Equal("cardId", refused.Field);

        var accepted = InvitedAna().AnswerSplitInvitation("ana", accept: true, "card_9", Now);
        Assert.Equal((SplitInvitationStatus.Accepted, "card_9"), (accepted.Split.Invitations[0].Status, accepted.Split.Invitations[0].CardId));
        Assert.Same(accepted, accepted.AnswerSplitInvitation("ana", accept: true, "card_9", Now.AddSeconds(1)));
        Assert.Throws<SplitFareClosedException>(() => accepted.AnswerSplitInvitation("ana", accept: false, null, Now));
    }

    [Fact]
    public void Only_an_invitee_answers() =>
        Assert.Throws<SplitInvitationNotFoundException>(() => InvitedAna().AnswerSplitInvitation("bob", accept: true, "card_1", Now));

    [Fact]
    public void An_accepted_invitation_is_not_withdrawn_an_open_one_is()
    {
        var accepted = InvitedAna().AnswerSplitInvitation("ana", accept: true, "card_9", Now);
        Assert.Throws<SplitFareClosedException>(() => accepted.WithdrawSplitInvitation("r1", "ana", Now));

        var withdrawn = InvitedAna().WithdrawSplitInvitation("r1", "ana", Now);
        Assert.Equal(SplitInvitationStatus.Withdrawn, withdrawn.Split.Invitations[0].Status);
        Assert.False(withdrawn.IsSplitWith("ana"));
        Assert.Throws<SplitInvitationNotFoundException>(() => withdrawn.AnswerSplitInvitation("ana", accept: true, "card_9", Now));
    }

    [Fact]
    public void At_the_end_the_fare_is_shared_with_those_who_accepted_and_the_others_lapse()
    {
        var trip = InvitedAna().InviteToSplit("r1", "bob", "Bob", "Max", Now).InviteToSplit("r1", "cy", "Cy", "Max", Now)
            .AnswerSplitInvitation("ana", accept: true, "card_a", Now).AnswerSplitInvitation("bob", accept: true, "card_b", Now)
            .Complete("d1", TestTrips.Rules, Now.AddMinutes(15));

        Assert.Equal(1500, trip.Split.FareMinor);
        Assert.Equal([500, 500, 0], trip.Split.Invitations.Select(i => i.ShareMinor));
        Assert.Equal([SplitShareStatus.Pending, SplitShareStatus.Pending, ""], trip.Split.Invitations.Select(i => i.ShareStatus));
        Assert.Equal(SplitInvitationStatus.Lapsed, trip.Split.Invitations[2].Status);
        Assert.Equal(500, trip.Split.RequesterShareMinor);
        // The driver earns on the whole fare.
        Assert.Equal(TestTrips.Completed().DriverEarnings, trip.DriverEarnings);
        var late = Assert.Throws<SplitFareClosedException>(() => trip.AnswerSplitInvitation("cy", accept: true, "card_c", Now.AddMinutes(16)));
        Assert.Contains("lapsed", late.Message);
    }

    [Fact]
    public void The_remainder_of_minor_units_is_the_requesters()
    {
        var split = new SplitFare("Max", [new SplitInvitation("ana", "Ana", Now, SplitInvitationStatus.Accepted, CardId: "a"),
            new SplitInvitation("bob", "Bob", Now, SplitInvitationStatus.Accepted, CardId: "b")]).Settle(1001, Now);

        Assert.Equal([333, 333], split.Invitations.Select(i => i.ShareMinor));
        Assert.Equal(335, split.RequesterShareMinor);
    }

    [Fact]
    public void A_declined_share_is_the_requesters_to_pay_and_the_first_answer_stands()
    {
        var ended = InvitedAna().InviteToSplit("r1", "bob", "Bob", "Max", Now)
            .AnswerSplitInvitation("ana", accept: true, "card_a", Now).AnswerSplitInvitation("bob", accept: true, "card_b", Now)
            .Complete("d1", TestTrips.Rules, Now.AddMinutes(15));

        var charged = ended.SplitShareCharged("ana", paid: true, "Visa •••• 4242", null, Now.AddMinutes(16))
            .SplitShareCharged("bob", paid: false, null, "card_declined", Now.AddMinutes(16));

        Assert.Equal(500, charged.Split.PaidByOthersMinor);
        Assert.Equal(1000, charged.Split.RequesterPaysMinor);
        Assert.Equal("card_declined", charged.Split.Invitations[1].DeclineCode);
        Assert.Same(charged, charged.SplitShareCharged("ana", paid: false, null, "card_declined", Now.AddMinutes(17)));
    }

    [Fact]
    public void A_split_fares_refund_is_recorded_per_rider_and_a_fare_adjustment_costs_the_driver_all_of_it()
    {
        // 1,500 split with Ana (500 each) and Bob (declined: the rider paid 1,000); support gives back 300 as a fare adjustment.
        var paid = InvitedAna().InviteToSplit("r1", "bob", "Bob", "Max", Now)
            .AnswerSplitInvitation("ana", accept: true, "card_a", Now).AnswerSplitInvitation("bob", accept: true, "card_b", Now)
            .Complete("d1", TestTrips.Rules, Now.AddMinutes(15))
            .SplitShareCharged("ana", paid: true, "Visa •••• 4242", null, Now.AddMinutes(16))
            .SplitShareCharged("bob", paid: false, null, "card_declined", Now.AddMinutes(16))
            .MarkPaid(1_500, Now.AddMinutes(16), "ps_t1_1");

        var refunded = paid.RecordRefund("ps_t1_1", "rf1", 200, 200, RefundKinds.FareAdjustment, Now.AddHours(1), "r1")
            .RecordRefund("ps_t1_split_ana", "rf1_split_ana", 100, 100, RefundKinds.FareAdjustment, Now.AddHours(1), "ana");

        Assert.Equal([null, "ana"], refunded.Refunds.Select(r => r.InviteeId));
        Assert.Equal((300L, 200L, 100L), (refunded.RefundedMinor, refunded.RefundedToRiderMinor, refunded.RefundedToInviteeMinor("ana")));
        Assert.Equal(paid.DriverEarnings!.WithFareAdjustment(300), refunded.DriverEarnings);
        // Bob paid nothing: a refund of a payment of his is not the trip's (as a duplicate payment's is not).
        Assert.Same(refunded, refunded.RecordRefund("ps_t1_split_bob", "rf1_split_bob", 100, 100, RefundKinds.Goodwill, Now.AddHours(1), "bob"));
    }

    [Fact]
    public void A_trip_that_ends_without_a_ride_lapses_every_invitation()
    {
        var accepted = InvitedAna(Riding() with { Status = TripStatus.DriverAssigned }).AnswerSplitInvitation("ana", accept: true, "card_a", Now);

        var cancelled = accepted.CancelBySupport("car broke down", Now.AddMinutes(1));

        Assert.Equal(SplitInvitationStatus.Lapsed, cancelled.Split.Invitations[0].Status);
        Assert.False(cancelled.Split.Settled);
    }
}
