using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Rides for work (ADR 0034): what a profile and an expense memo may be, and when the rider may switch a ride between
/// personal and business.
/// </summary>
public class RideProfileTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    /// <summary>When <see cref="TestTrips.Completed"/> ended.</summary>
    private static readonly DateTimeOffset Ended = Now.AddMinutes(20);

    private static Trip Completed() => TestTrips.Completed();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("personal")]
    public void No_profile_or_personal_is_a_personal_ride_without_a_memo(string? profile) =>
        Assert.Equal(RideProfile.PersonalRide, RideProfile.Of(profile, null));

    [Fact]
    public void A_business_ride_keeps_its_memo_trimmed() =>
        Assert.Equal(new RideProfile(RideProfile.Business, "Client visit ACME"), RideProfile.Of(" Business ", "  Client visit ACME  "));

    [Fact]
    public void A_blank_memo_is_none() => Assert.Null(RideProfile.Of("business", "   ").ExpenseMemo);

    [Fact]
    public void A_memo_may_be_100_characters_and_no_more()
    {
        Assert.Equal(100, RideProfile.Of("business", new string('m', 100)).ExpenseMemo!.Length);
        var refused = Assert.Throws<RideProfileInvalidException>(() => RideProfile.Of("business", new string('m', 101)));
        Assert.Equal("expenseMemo", refused.Field);
    }

    [Theory]
    [InlineData("Client\nvisit")]
    [InlineData("Client\u0007visit")]
    public void A_memo_with_control_characters_is_refused(string memo) =>
        Assert.Equal("expenseMemo", Assert.Throws<RideProfileInvalidException>(() => RideProfile.Of("business", memo)).Field);

    [Fact]
    public void A_memo_on_a_personal_ride_is_refused_naming_the_memo() =>
        Assert.Equal("expenseMemo", Assert.Throws<RideProfileInvalidException>(() => RideProfile.Of("personal", "Lunch")).Field);

    [Theory]
    [InlineData("work")]
    [InlineData("corporate")]
    public void An_unknown_profile_is_refused_naming_the_profile(string profile) =>
        Assert.Equal("profile", Assert.Throws<RideProfileInvalidException>(() => RideProfile.Of(profile, null)).Field);

    [Fact]
    public void A_business_rides_fare_is_asked_of_payments_without_the_riders_ride_credit()
    {
        static UberClone.Contracts.IntegrationEvents.PaymentCreateSessionCommand Asked(Trip trip) =>
            System.Text.Json.JsonSerializer.Deserialize<UberClone.Messaging.MessageEnvelope<UberClone.Contracts.IntegrationEvents.PaymentCreateSessionCommand>>(
                UberClone.Trips.Application.TripsApplication.PaymentRequest(trip).Value, UberClone.Messaging.MessageEnvelope.SerializerOptions)!.Data;

        Assert.True(Asked(Completed()).SpendCredit);
        Assert.False(Asked(Completed() with { Profile = new RideProfile(RideProfile.Business, "Client visit") }).SpendCredit);
    }

    [Fact]
    public void A_trip_is_personal_unless_booked_otherwise() => Assert.False(TestTrips.InProgress().Profile.IsBusiness);

    [Fact]
    public void A_completed_ride_switches_to_business_with_a_memo_and_back()
    {
        var business = RideProfile.Of("business", "Offsite");
        var switched = Completed().SwitchProfile("r1", business, Ended.AddDays(3));
        Assert.Equal(business, switched.Profile);
        Assert.Equal(Ended.AddDays(3), switched.UpdatedAt);
        Assert.Equal(RideProfile.PersonalRide, switched.SwitchProfile("r1", RideProfile.PersonalRide, Ended.AddDays(4)).Profile);
    }

    [Fact]
    public void The_same_choice_again_changes_nothing()
    {
        var switched = Completed().SwitchProfile("r1", RideProfile.Of("business", "Offsite"), Ended.AddDays(1));
        Assert.Same(switched, switched.SwitchProfile("r1", RideProfile.Of("business", "Offsite"), Ended.AddDays(2)));
    }

    [Fact]
    public void A_ride_switches_for_30_days_after_it_ended_and_not_later()
    {
        var business = RideProfile.Of("business", null);
        Assert.True(Completed().SwitchProfile("r1", business, Ended + RideProfile.SwitchWindow).Profile.IsBusiness);
        Assert.Throws<RideProfileClosedException>(() => Completed().SwitchProfile("r1", business, Ended + RideProfile.SwitchWindow + TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(TripStatus.InProgress)]
    [InlineData(TripStatus.DriverAssigned)]
    [InlineData(TripStatus.Cancelled)]
    public void A_ride_not_completed_does_not_switch(string status) =>
        Assert.Throws<RideProfileClosedException>(() =>
            (TestTrips.InProgress() with { Status = status }).SwitchProfile("r1", RideProfile.Of("business", null), Now));

    [Fact]
    public void Only_its_rider_switches_a_ride() =>
        Assert.Throws<TripNotYoursException>(() => Completed().SwitchProfile("someone-else", RideProfile.Of("business", null), Ended));
}
