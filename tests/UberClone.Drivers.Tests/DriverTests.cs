using UberClone.Contracts;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

public class DriverTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Here = new(52.52, 13.40);

    private static Driver Online() => Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);

    private static Offer OfferOf(string tripId, int seconds = 15) => new("o-" + tripId, tripId, "r1", Now.AddSeconds(seconds));

    [Fact]
    public void A_ride_that_needs_several_things_goes_only_to_a_driver_who_takes_them_all()
    {
        var both = new RideNeeds(WithPet: true, PayInCash: true);
        var welcoming = Online().WelcomePets(true, Now);

        Assert.True(welcoming.Takes(both));
        Assert.False(welcoming.AcceptCash(false, Now).Takes(both));
        Assert.False(Online().Takes(both));
        Assert.True(Online().Takes(RideNeeds.None));
        Assert.False(new RideNeeds(WheelchairAccessible: true, PayInCash: true).TakenByDriversNotOnRecord);
        Assert.True(Needs.Cash.TakenByDriversNotOnRecord); // a driver accepts cash until they say otherwise
    }

    [Fact]
    public void Going_online_makes_a_driver_available_at_their_position()
    {
        var driver = Online();
        Assert.Equal(DriverStates.Available, driver.State);
        Assert.Equal(Here, driver.Location);
    }

    [Fact]
    public void A_deleted_drivers_position_is_forgotten_only_once_offline_and_forgetting_again_changes_nothing()
    {
        const string reason = "The driver deleted their account.";
        var online = Online();
        Assert.Throws<DriverTransitionException>(() => online.ForgetPosition(reason, Now.AddMinutes(1)));
        Assert.Throws<DriverTransitionException>(() => online.OfferTrip(OfferOf("t1"), Now).ForgetPosition(reason, Now.AddMinutes(1)));

        var offline = online.GoOffline(Now.AddMinutes(1));
        Assert.Equal(Here, offline.Location);
        var forgotten = offline.ForgetPosition(reason, Now.AddMinutes(2));

        Assert.Equal((DriverStates.Offline, null, null, reason), (forgotten.State, forgotten.Location, forgotten.LocationAt, forgotten.OfflineReason));
        Assert.Equal(offline.Revision + 1, forgotten.Revision); // other replicas take the change
        Assert.Same(forgotten, forgotten.ForgetPosition(reason, Now.AddMinutes(3)));
    }

    [Fact]
    public void An_available_driver_can_be_offered_one_trip()
    {
        var offered = Online().OfferTrip(OfferOf("t1"), Now);
        Assert.Equal(DriverStates.Offered, offered.State);
        Assert.Equal("t1", offered.Offer!.TripId);
    }

    [Fact]
    public void A_driver_is_never_offered_two_trips_at_once() =>
        Assert.Throws<DriverTransitionException>(() => Online().OfferTrip(OfferOf("t1"), Now).OfferTrip(OfferOf("t2"), Now));

    [Fact]
    public void Repeating_the_same_offer_changes_nothing()
    {
        var offered = Online().OfferTrip(OfferOf("t1"), Now);
        Assert.Same(offered, offered.OfferTrip(OfferOf("t1"), Now));
    }

    [Fact]
    public void An_offer_waiting_for_the_driver_shows_the_riders_new_note_and_no_other_offer_changes()
    {
        var offered = Online().OfferTrip(OfferOf("t1") with { PickupNote = "Gate 3" }, Now);

        var noted = offered.OfferNoteChanged("o-t1", "Gate 3, with a dog", Now.AddSeconds(5));
        Assert.Equal(("Gate 3, with a dog", "o-t1", OfferOf("t1").ExpiresAt, offered.Revision + 1), (noted.Offer!.PickupNote, noted.Offer.OfferId, noted.Offer.ExpiresAt, noted.Revision));
        Assert.Null(noted.OfferNoteChanged("o-t1", null, Now.AddSeconds(6)).Offer!.PickupNote);
        // The same note again, another offer, a driver not offered anything: the same instance.
        Assert.Same(noted, noted.OfferNoteChanged("o-t1", "Gate 3, with a dog", Now.AddSeconds(7)));
        Assert.Same(noted, noted.OfferNoteChanged("o-t2", "Elsewhere", Now.AddSeconds(7)));
        var available = Online();
        Assert.Same(available, available.OfferNoteChanged("o-t1", "Gate 3", Now));
    }

    [Fact]
    public void Accepting_puts_the_driver_on_the_trip()
    {
        var onTrip = Online().OfferTrip(OfferOf("t1"), Now).Accept("t1", Now.AddSeconds(3));
        Assert.Equal(DriverStates.OnTrip, onTrip.State);
        Assert.Equal("t1", onTrip.CurrentTripId);
        Assert.Equal("r1", onTrip.CurrentRiderId);
        Assert.Null(onTrip.Offer);
    }

    [Fact]
    public void Accepting_twice_is_harmless()
    {
        var onTrip = Online().OfferTrip(OfferOf("t1"), Now).Accept("t1", Now);
        Assert.Same(onTrip, onTrip.Accept("t1", Now));
    }

    [Fact]
    public void A_late_accept_after_the_deadline_is_refused_with_a_clear_message()
    {
        var offered = Online().OfferTrip(OfferOf("t1", seconds: 15), Now);
        var error = Assert.Throws<OfferUnavailableException>(() => offered.Accept("t1", Now.AddSeconds(16)));
        Assert.Contains("expired", error.Message);
    }

    [Fact]
    public void Accepting_a_trip_that_was_not_offered_is_refused() =>
        Assert.Throws<OfferNotFoundException>(() => Online().OfferTrip(OfferOf("t1"), Now).Accept("t2", Now));

    [Fact]
    public void Declining_makes_the_driver_available_again() =>
        Assert.Equal(DriverStates.Available, Online().OfferTrip(OfferOf("t1"), Now).Decline("t1", Now).State);

    [Fact]
    public void Withdrawing_an_accepted_offer_changes_nothing()
    {
        var onTrip = Online().OfferTrip(OfferOf("t1"), Now).Accept("t1", Now);
        Assert.Same(onTrip, onTrip.WithdrawOffer("o-t1", Now.AddSeconds(20)));
    }

    [Fact]
    public void A_driver_with_an_offer_cannot_go_offline() =>
        Assert.Throws<DriverTransitionException>(() => Online().OfferTrip(OfferOf("t1"), Now).GoOffline(Now));

    [Fact]
    public void The_stored_position_moves_only_to_a_newer_fix_and_is_the_drivers_position_when_newer_than_the_records()
    {
        var stored = new StoredPosition(new GeoPoint(48.86, 2.36), Now.AddSeconds(10));
        // Stored meanwhile by another replica: a later fix. An older one (or the same) changes nothing.
        Assert.Same(stored, stored.MoveTo(new GeoPoint(48.85, 2.35), Now.AddSeconds(6)));
        Assert.Same(stored, stored.MoveTo(new GeoPoint(48.85, 2.35), Now.AddSeconds(10)));
        Assert.Equal(new StoredPosition(Here, Now.AddSeconds(11)), stored.MoveTo(Here, Now.AddSeconds(11)));

        var driver = Online();
        var moved = driver.WithStoredPosition(stored);
        Assert.Equal((stored.Location, stored.At, driver.Revision), (moved.Location!, moved.LocationAt, moved.Revision));
        Assert.Same(driver, driver.WithStoredPosition(null));
        Assert.Same(driver, driver.WithStoredPosition(stored with { At = Now })); // went online after it
    }

    [Fact]
    public void Position_older_than_the_freshness_window_is_stale()
    {
        var driver = Online();
        Assert.True(driver.HasFreshLocation(Now.AddSeconds(29), TimeSpan.FromSeconds(30)));
        Assert.False(driver.HasFreshLocation(Now.AddSeconds(31), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_late_accept_after_the_offer_was_withdrawn_on_timeout_says_it_expired()
    {
        var withdrawn = Online().OfferTrip(OfferOf("t1", seconds: 15), Now).WithdrawOffer("o-t1", Now.AddSeconds(16));
        var error = Assert.Throws<OfferUnavailableException>(() => withdrawn.Accept("t1", Now.AddSeconds(17)));
        Assert.Contains("expired", error.Message);
    }

    [Fact]
    public void Accepting_an_offer_made_to_nobody_here_is_not_found() =>
        Assert.Throws<OfferNotFoundException>(() => Online().Accept("t9", Now));

    [Fact]
    public void An_available_driver_not_heard_from_since_the_limit_is_taken_offline_with_the_reason_until_they_go_online_again()
    {
        var driver = Online().WithStoredPosition(new StoredPosition(Here, Now.AddMinutes(1)));
        var limit = Now.AddMinutes(1);

        Assert.Same(driver, driver.TakeOfflineIfSilent(Now.AddMinutes(1), limit, Now.AddMinutes(6), "silent")); // heard at the limit
        Assert.Same(driver, driver.TakeOfflineIfSilent(Now, limit, Now.AddMinutes(6), "silent")); // the record moved later than that
        var offline = driver.TakeOfflineIfSilent(Now, limit.AddTicks(1), Now.AddMinutes(6), "silent");
        Assert.Equal(DriverStates.Offline, offline.State);
        Assert.Equal("silent", offline.OfflineReason);
        Assert.Equal(driver.Revision + 1, offline.Revision);

        Assert.Null(offline.GoOnline("economy", Here, Now.AddMinutes(7)).OfflineReason);
        Assert.Null(Online().GoOffline(Now).OfflineReason);
        Assert.Equal("Your account was suspended.", Online().GoOffline(Now, "Your account was suspended.").OfflineReason); // taken offline: why
    }

    [Fact]
    public void A_driver_on_an_offer_or_a_trip_is_never_taken_offline_for_silence()
    {
        var offered = Online().OfferTrip(OfferOf("t1"), Now);
        var onTrip = offered.Accept("t1", Now.AddSeconds(1));
        var later = Now.AddHours(1);
        Assert.Same(offered, offered.TakeOfflineIfSilent(Now, later, later, "silent"));
        Assert.Same(onTrip, onTrip.TakeOfflineIfSilent(Now, later, later, "silent"));
    }

    [Fact]
    public void A_driver_who_stops_new_requests_during_a_trip_finishes_it_then_is_offline_and_may_take_it_back_before()
    {
        var onTrip = Online().HeadTo(new GeoPoint(52.6, 13.5), perDay: 2, Now).OfferTrip(OfferOf("t1"), Now).Accept("t1", Now.AddSeconds(5));
        Assert.Throws<DriverTransitionException>(() => Online().OfferTrip(OfferOf("t0"), Now).GoOffline(Now)); // an offer is answered first

        var stopping = onTrip.GoOffline(Now.AddMinutes(5));
        Assert.Equal((DriverStates.OnTrip, true, true), (stopping.State, stopping.StopsAfterTrip, stopping.GoesOfflineAfterTrip));
        Assert.Equal(onTrip.Revision + 1, stopping.Revision);
        Assert.Same(stopping, stopping.GoOffline(Now.AddMinutes(6)));
        // "Keep receiving requests": back to a normal trip; another class cannot be chosen on a trip.
        var keeping = stopping.GoOnline("economy", null, Now.AddMinutes(7));
        Assert.Equal((DriverStates.OnTrip, false, false), (keeping.State, keeping.StopsAfterTrip, keeping.GoesOfflineAfterTrip));
        Assert.Throws<DriverTransitionException>(() => stopping.GoOnline("xl", null, Now.AddMinutes(7)));

        // Stopped again, the trip ends: offline by their own choice (no reason), heading nowhere, their time online counted.
        var ended = keeping.GoOffline(Now.AddMinutes(8)).ReleaseFromTrip("t1", Now.AddMinutes(20));
        Assert.Equal((DriverStates.Offline, null, false, null), (ended.State, ended.OfflineReason, ended.StopsAfterTrip, ended.HeadingTo));
        Assert.Equal(TimeSpan.FromMinutes(20), ended.OnlineBefore);

        // The service's reason is not the driver's to take back: going online on the trip keeps it.
        var limited = keeping.TakeOfflineAfterTrip("You have been online 12 hours.", Now.AddMinutes(9)).GoOnline("economy", null, Now.AddMinutes(10));
        Assert.True(limited.GoesOfflineAfterTrip);
        Assert.Equal((DriverStates.Offline, "You have been online 12 hours."), (limited.ReleaseFromTrip("t1", Now.AddMinutes(20)).State, limited.ReleaseFromTrip("t1", Now.AddMinutes(20)).OfflineReason));
    }
}
