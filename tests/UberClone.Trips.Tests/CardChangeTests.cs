using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>The rider pays a ride with another of their saved cards until it ends (ADR 0032); the hold follows the card.</summary>
public class CardChangeTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private static readonly TripPaymentHold OnMastercard = new("Mastercard •••• 4444", 1_500, CardId: "card_mc");

    private static Trip HeldOnVisa() => TestTrips.InProgress() with
    {
        CardId = "card_visa", PaymentHold = new TripPaymentHold("Visa •••• 4242", 1_500, CardId: "card_visa"), PaymentHoldVersion = 10,
    };

    [Fact]
    public void A_ride_under_way_is_paid_with_the_card_the_rider_moved_it_to_and_shows_what_that_card_holds()
    {
        var moved = HeldOnVisa().PayWith("r1", "card_mc", OnMastercard, 20, Now.AddMinutes(1));

        Assert.Equal(("card_mc", OnMastercard, 20L, Now.AddMinutes(1)), (moved.CardId, moved.PaymentHold, moved.PaymentHoldVersion, moved.UpdatedAt));
        // payments' own event about that move, delivered after, is no newer: nothing changes again.
        Assert.Same(moved, moved.HoldAnswered(OnMastercard, 20, Now.AddMinutes(2)));
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
    public void A_move_the_bank_answered_after_the_rider_stopped_waiting_moves_the_rides_card()
    {
        // The move's answer came late (payments asked again): the hold is on the Mastercard now, and so is the ride —
        // told apart by the card's id, not its label (two saved cards may both read "Visa •••• 4242").
        var late = HeldOnVisa().HoldAnswered(OnMastercard, 20, Now.AddMinutes(1));
        Assert.Equal(("card_mc", "Mastercard •••• 4444"), (late.CardId, late.PaymentHold!.CardLabel));
        var twin = HeldOnVisa().HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500, CardId: "card_visa_2"), 20, Now.AddMinutes(1));
        Assert.Equal("card_visa_2", twin.CardId);
    }

    [Fact]
    public void The_card_a_hold_is_on_is_the_rides_card_from_then_on()
    {
        // Booked on the default card (none chosen): the ride is paid with the card that holds it, whatever becomes the
        // default later (a tip after the ride goes there too).
        var onDefault = HeldOnVisa() with { CardId = null, PaymentHold = null, PaymentHoldVersion = 0 };
        Assert.Equal("card_visa", onDefault.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500, CardId: "card_visa"), 20, Now).CardId);
        // A raise on the ride's own card keeps it; a hold written before payments named its card keeps the ride's.
        Assert.Equal("card_visa", HeldOnVisa().HoldAnswered(new TripPaymentHold("Visa •••• 4242", 2_200, CardId: "card_visa"), 20, Now).CardId);
        Assert.Equal("card_visa", HeldOnVisa().HoldAnswered(new TripPaymentHold("Visa •••• 4242", 2_200), 20, Now).CardId);
    }

    [Fact]
    public void A_move_that_crossed_the_end_of_the_ride_still_makes_the_card_the_rides_since_the_fare_was_taken_from_it()
    {
        // payments moved the hold, then the driver ended the ride before trips wrote the card: the fare is captured from
        // the Mastercard's hold, so the ride is the Mastercard's (its receipt, a tip, a retry).
        var ended = HeldOnVisa() with { Status = TripStatus.Completed };
        var paid = ended.PayWith("r1", "card_mc", OnMastercard, 20, Now.AddMinutes(1));
        Assert.Equal(("card_mc", OnMastercard), (paid.CardId, paid.PaymentHold));
        Assert.Throws<TripNotYoursException>(() => ended.PayWith("someone-else", "card_mc", OnMastercard, 20, Now));

        // The same, told by payments' event (the rider's request gave up waiting): the ended ride takes the moved card …
        Assert.Equal("card_mc", ended.HoldAnswered(OnMastercard, 20, Now.AddMinutes(1)).CardId);
        // … and nothing else changes an ended ride's hold: a capture or a release on its own card, a stale answer.
        Assert.Same(ended, ended.HoldAnswered(new TripPaymentHold("Visa •••• 4242", 1_500, CardId: "card_visa"), 30, Now));
        Assert.Same(ended, ended.HoldAnswered(null, 30, Now));
        Assert.Same(ended, ended.HoldAnswered(OnMastercard, 5, Now));
    }
}
