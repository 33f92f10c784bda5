using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>The rider pays a ride with another of their saved cards until it ends (ADR 0032); the hold follows the card.</summary>
public class CardChangeTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private static Trip HeldOnVisa() => TestTrips.InProgress() with
    {
        CardId = "card_visa", PaymentHold = new TripPaymentHold("Visa •••• 4242", 1_500), PaymentHoldVersion = 10,
    };

    [Fact]
    public void A_ride_under_way_is_paid_with_the_card_the_rider_moved_it_to_and_shows_what_that_card_holds()
    {
        var moved = HeldOnVisa().PayWith("r1", "card_mc", new TripPaymentHold("Mastercard •••• 4444", 1_500), 20, Now.AddMinutes(1));

        Assert.Equal(("card_mc", new TripPaymentHold("Mastercard •••• 4444", 1_500), 20L, Now.AddMinutes(1)),
            (moved.CardId, moved.PaymentHold, moved.PaymentHoldVersion, moved.UpdatedAt));
        // payments' own event about that move, delivered after, is no newer: nothing changes again.
        Assert.Same(moved, moved.HoldAnswered(new TripPaymentHold("Mastercard •••• 4444", 1_500), 20, Now.AddMinutes(2), "card_mc"));
    }

    [Fact]
    public void A_ride_booked_for_later_takes_the_card_now_and_is_held_on_it_when_its_search_starts()
    {
        var scheduled = TestTrips.InProgress() with { Status = TripStatus.Scheduled, Driver = null, StartedAt = null, ArrivedAt = null, CardId = null };

        var paid = scheduled.PayWith("r1", "card_mc", null, 0, Now);

        Assert.Equal(("card_mc", (TripPaymentHold?)null), (paid.CardId, paid.PaymentHold));
    }

    [Fact]
    public void Only_the_rider_changes_the_card_and_only_until_the_ride_ends()
    {
        Assert.Throws<TripNotYoursException>(() => HeldOnVisa().EnsureCardMayChange("someone-else"));
        foreach (var ended in new[] { TripStatus.Completed, TripStatus.Cancelled, TripStatus.NoDriversFound })
        {
            var trip = HeldOnVisa() with { Status = ended };
            Assert.False(trip.CardCanChange);
            Assert.Throws<TripTransitionException>(() => trip.PayWith("r1", "card_mc", null, 0, Now));
        }
    }

    [Fact]
    public void A_move_the_bank_answered_after_the_rider_stopped_waiting_moves_the_rides_card_but_a_raise_on_the_same_card_does_not()
    {
        // The move's answer came late (payments asked again): the hold is on the Mastercard now, and so is the ride.
        var late = HeldOnVisa().HoldAnswered(new TripPaymentHold("Mastercard •••• 4444", 1_500), 20, Now.AddMinutes(1), "card_mc");
        Assert.Equal(("card_mc", "Mastercard •••• 4444"), (late.CardId, late.PaymentHold!.CardLabel));

        // A booking's first hold or a raise on the ride's own card leaves the ride's card as the rider chose it (null: the default).
        var onDefault = HeldOnVisa() with { CardId = null, PaymentHold = null };
        Assert.Null(onDefault.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500), 20, Now, "card_visa").CardId);
        Assert.Equal("card_visa", HeldOnVisa().HoldAnswered(new TripPaymentHold("Visa •••• 4242", 2_200), 20, Now, "card_visa").CardId);
    }
}
