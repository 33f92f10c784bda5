using UberClone.Payments.Domain;

namespace UberClone.Payments.Tests;

/// <summary>How a support refund of a split fare is shared among the riders' payments (ADR 0040).</summary>
public sealed class SplitFareRefundTests
{
    private static SplitFarePayment Rider(long paid, long? left = null) => new("rider", true, paid, left ?? paid);

    private static SplitFarePayment Invitee(string id, long paid, long? left = null) => new(id, false, paid, left ?? paid);

    private static IReadOnlyList<(string, long)> Share(long? amount, params SplitFarePayment[] payments) =>
        [.. SplitFareRefund.Share(amount, payments, "EUR").Select(p => (p.SessionId, p.AmountMinor))];

    [Fact]
    public void A_refund_is_shared_in_proportion_to_what_each_paid_the_remainder_the_riders()
    {
        // €25.00 split three ways: the rider 834, ana and bob 833 each; €10.00 back.
        Assert.Equal([("rider", 334L), ("ana", 333L), ("bob", 333L)], Share(1000, Rider(834), Invitee("ana", 833), Invitee("bob", 833)));
        // One cent cannot be shared: it is the rider's.
        Assert.Equal([("rider", 1L)], Share(1, Rider(834), Invitee("ana", 833), Invitee("bob", 833)));
    }

    [Fact]
    public void A_share_the_rider_paid_for_a_declined_card_counts_for_the_rider()
    {
        // Bob's card declined his 833: the rider's capture was 1,667 of the 2,500.
        Assert.Equal([("rider", 667L), ("ana", 333L)], Share(1000, Rider(1667), Invitee("ana", 833)));
    }

    [Fact]
    public void No_payment_gives_back_more_than_is_left_of_it_the_rest_comes_from_the_others()
    {
        // Ana got 800 of her 833 back already: 33 left; her 333 would be too much, the rider takes the 300 over.
        Assert.Equal([("rider", 634L), ("ana", 33L), ("bob", 333L)], Share(1000, Rider(834), Invitee("ana", 833, left: 33), Invitee("bob", 833)));
        // The rider has nothing left: the invitees give back the rest in turn.
        Assert.Equal([("ana", 500L), ("bob", 400L)], Share(900, Rider(834, left: 0), Invitee("ana", 833, left: 500), Invitee("bob", 833)));
    }

    [Fact]
    public void Earlier_partial_refunds_keep_the_proportions_of_what_was_paid()
    {
        // A first €10.00 refund took 334/333/333; the next €6.00 is shared as the payments were, not as what is left.
        Assert.Equal([("rider", 202L), ("ana", 199L), ("bob", 199L)], Share(600, Rider(834, left: 500), Invitee("ana", 833, left: 500), Invitee("bob", 833, left: 500)));
    }

    [Fact]
    public void A_full_refund_gives_back_all_that_is_left_of_each_payment()
    {
        Assert.Equal([("rider", 500L), ("bob", 833L)], Share(null, Rider(834, left: 500), Invitee("ana", 833, left: 0), Invitee("bob", 833)));
    }

    [Fact]
    public void More_than_all_payments_have_left_is_refused()
    {
        var refused = Assert.Throws<RefundRejectedException>(() => Share(1001, Rider(834, left: 500), Invitee("ana", 833, left: 500)));
        Assert.Contains("1000", refused.Message);
    }
}
