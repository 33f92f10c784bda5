using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// A note for the driver and riding for someone else (ADR 0031): what a note, a passenger's name and phone may be, and
/// when the rider may change the note.
/// </summary>
public class PickupNoteTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private static Trip InStatus(string status) => TestTrips.InProgress() with { Status = status, PickupNote = "Gate 3" };

    [Theory]
    [InlineData("  Gate 3, blue jacket  ", "Gate 3, blue jacket")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void A_note_is_trimmed_and_a_blank_one_is_none(string? text, string? stored)
    {
        Assert.True(PickupNote.TryClean(text, out var note));
        Assert.Equal(stored, note);
    }

    [Theory]
    [InlineData("Gate 3\nblue jacket")]
    [InlineData("Gate\u00073")]
    public void A_note_with_control_characters_is_refused(string text) => Assert.False(PickupNote.TryClean(text, out _));

    [Fact]
    public void A_note_may_be_200_characters_and_no_more()
    {
        Assert.True(PickupNote.TryClean(new string('a', 200), out var longest));
        Assert.Equal(200, longest!.Length);
        Assert.False(PickupNote.TryClean(new string('a', 201), out _));
    }

    [Theory]
    [InlineData(" Anna ", "Anna")]
    [InlineData("Anna-Maria de la Cruz", "Anna-Maria de la Cruz")]
    public void A_passengers_name_is_trimmed(string name, string stored) => Assert.Equal(stored, TripPassenger.CleanName(name));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Anna\nMaria")]
    [InlineData("Anna\tMaria")]
    public void A_passengers_name_is_1_to_40_characters_on_one_line(string name)
    {
        Assert.Null(TripPassenger.CleanName(name));
        Assert.NotNull(TripPassenger.CleanName(new string('A', 40)));
        Assert.Null(TripPassenger.CleanName(new string('A', 41)));
    }

    [Theory]
    [InlineData("+39 06 1234 5678", "+390612345678")]
    [InlineData("+1-555-0100-123", "+15550100123")]
    [InlineData("+1234567", "+1234567")]
    [InlineData("+123456789012345", "+123456789012345")]
    public void A_phone_keeps_the_plus_and_its_digits(string phone, string stored) => Assert.Equal(stored, TripPassenger.CleanPhone(phone));

    [Theory]
    [InlineData("06 1234 5678")]       // no country code
    [InlineData("+123456")]            // 6 digits
    [InlineData("+1234567890123456")]  // 16 digits
    [InlineData("+39 (06) 1234 5678")] // brackets are not dropped
    [InlineData("+39 06 1234 567x")]
    public void A_phone_that_is_not_plus_and_7_to_15_digits_is_refused(string phone) => Assert.Null(TripPassenger.CleanPhone(phone));

    [Theory]
    [InlineData(TripStatus.Scheduled)]
    [InlineData(TripStatus.Searching)]
    [InlineData(TripStatus.DriverAssigned)]
    [InlineData(TripStatus.DriverArrived)]
    public void The_rider_changes_the_note_until_the_pickup(string status)
    {
        var trip = InStatus(status);
        var changed = trip.ChangePickupNote(trip.RiderId, "Gate 5, by the bus stop", Now.AddMinutes(1));
        Assert.Equal("Gate 5, by the bus stop", changed.PickupNote);
        Assert.Equal(Now.AddMinutes(1), changed.UpdatedAt);

        Assert.Null(changed.ChangePickupNote(trip.RiderId, null, Now.AddMinutes(2)).PickupNote);
        Assert.Same(changed, changed.ChangePickupNote(trip.RiderId, "Gate 5, by the bus stop", Now.AddMinutes(3)));
    }

    [Theory]
    [InlineData(TripStatus.InProgress)]
    [InlineData(TripStatus.Completed)]
    [InlineData(TripStatus.Cancelled)]
    [InlineData(TripStatus.NoDriversFound)]
    public void The_note_cannot_change_once_the_ride_started_or_ended(string status)
    {
        var trip = InStatus(status);
        var refused = Assert.Throws<PickupNoteClosedException>(() => trip.ChangePickupNote(trip.RiderId, "Gate 5", Now));
        Assert.Contains(status, refused.Message);
    }

    [Fact]
    public void Only_the_trips_rider_changes_the_note()
    {
        var trip = InStatus(TripStatus.DriverAssigned);
        Assert.Throws<TripNotYoursException>(() => trip.ChangePickupNote("d1", "Gate 5", Now));
        Assert.Throws<TripNotYoursException>(() => trip.ChangePickupNote("r2", "Gate 5", Now));
    }

    [Fact]
    public void A_guests_phone_is_forgotten_when_the_riders_account_is_erased_and_their_name_stays()
    {
        var trip = InStatus(TripStatus.Completed) with { Passenger = new TripPassenger("Anna", "+390612345678") };
        Assert.Equal(trip.RiderId, trip.GuestPhoneOf); // found by the rider's erasure

        var erased = trip.ForgetGuestPhone(Now.AddDays(30));

        Assert.Equal((new TripPassenger("Anna"), (string?)null, Now.AddDays(30)), (erased.Passenger, erased.GuestPhoneOf, erased.UpdatedAt));
        Assert.Same(erased, erased.ForgetGuestPhone(Now.AddDays(31)));
        var ridden = InStatus(TripStatus.Completed); // the rider rode: nothing to forget
        Assert.Same(ridden, ridden.ForgetGuestPhone(Now));
    }
}
