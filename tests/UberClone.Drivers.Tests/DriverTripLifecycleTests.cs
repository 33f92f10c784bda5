using UberClone.Contracts;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

public class DriverTripLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Here = new(52.52, 13.40);
    private static readonly GeoPoint Pickup = new(52.53, 13.40);
    private static readonly GeoPoint Dropoff = new(52.56, 13.40);

    private static Driver Offered() => Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now)
        .OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15), Pickup, Dropoff), Now);

    private static Driver OnTrip() => Offered().Accept("t1", Now.AddSeconds(3));

    [Fact]
    public void Accepting_keeps_the_trips_pickup_and_dropoff_for_the_riders_eta()
    {
        var driver = OnTrip();
        Assert.Equal(Pickup, driver.TripPickup);
        Assert.Equal(Dropoff, driver.TripDropoff);
        Assert.False(driver.RideStarted);
        Assert.True(driver.StartRide("t1", Now).RideStarted);
    }

    [Fact]
    public void A_new_drop_off_of_the_drivers_trip_moves_the_riders_eta_there_and_nothing_else_does()
    {
        var newDropoff = new GeoPoint(52.60, 13.45);
        var driver = OnTrip();

        var changed = driver.ChangeTripDropoff("t1", newDropoff, Now.AddMinutes(5));

        Assert.Equal(newDropoff, changed.TripDropoff);
        Assert.Equal(driver.Revision + 1, changed.Revision);
        Assert.Same(changed, changed.ChangeTripDropoff("t1", newDropoff, Now.AddMinutes(6)));
        Assert.Same(driver, driver.ChangeTripDropoff("t0", newDropoff, Now.AddMinutes(5)));
        var released = changed.ReleaseFromTrip("t1", Now.AddMinutes(20));
        Assert.Same(released, released.ChangeTripDropoff("t1", Dropoff, Now.AddMinutes(21)));
    }

    [Fact]
    public void A_moved_pickup_of_the_drivers_trip_moves_the_riders_pickup_eta_until_the_ride_starts()
    {
        var moved = new GeoPoint(52.5315, 13.40);
        var driver = OnTrip();

        var changed = driver.ChangeTripPickup("t1", moved, Now.AddMinutes(2));

        Assert.Equal(moved, changed.TripPickup);
        Assert.Equal(driver.Revision + 1, changed.Revision);
        Assert.Same(changed, changed.ChangeTripPickup("t1", moved, Now.AddMinutes(3)));
        Assert.Same(driver, driver.ChangeTripPickup("t0", moved, Now.AddMinutes(2)));
        var riding = driver.StartRide("t1", Now.AddMinutes(4));
        Assert.Same(riding, riding.ChangeTripPickup("t1", moved, Now.AddMinutes(5))); // a late message after the pickup
    }

    [Fact]
    public void A_driver_suspended_mid_ride_keeps_the_ride_and_goes_offline_when_it_ends()
    {
        var onTrip = OnTrip();

        var marked = onTrip.TakeOfflineAfterTrip("Your account was suspended.", Now.AddMinutes(5));
        var released = marked.ReleaseFromTrip("t1", Now.AddMinutes(20));

        Assert.Equal((DriverStates.OnTrip, "t1"), (marked.State, marked.CurrentTripId));
        Assert.Same(marked, marked.TakeOfflineAfterTrip("again", Now.AddMinutes(6)));
        Assert.Equal((DriverStates.Offline, "Your account was suspended.", (string?)null), (released.State, released.OfflineReason, released.OfflineAfterTrip));
        Assert.Null(released.CurrentTripId);
        var available = Driver.New("d2", "economy", Now).GoOnline("economy", Here, Now);
        Assert.Same(available, available.TakeOfflineAfterTrip("not on a trip", Now));
        // Reinstated, they go online again as anyone does; the mark is gone.
        Assert.Equal(DriverStates.Available, released.GoOnline("economy", Here, Now.AddDays(1)).State);
        Assert.Equal(DriverStates.Available, OnTrip().ReleaseFromTrip("t1", Now.AddMinutes(20)).State);
    }

    [Fact]
    public void Accepting_after_the_deadline_is_refused_with_the_deadline_in_the_message()
    {
        var ex = Assert.Throws<OfferUnavailableException>(() => Offered().Accept("t1", Now.AddSeconds(15)));
        Assert.Contains("expired", ex.Message);
    }

    [Fact]
    public void Releasing_from_the_trip_makes_the_driver_available_and_is_safe_to_repeat()
    {
        var released = OnTrip().ReleaseFromTrip("t1", Now.AddMinutes(20));
        Assert.Equal(DriverStates.Available, released.State);
        Assert.Null(released.CurrentTripId);
        Assert.Null(released.TripPickup);
        Assert.Same(released, released.ReleaseFromTrip("t1", Now.AddMinutes(21)));
    }

    [Fact]
    public void A_late_event_of_an_old_trip_never_frees_the_driver_from_a_newer_one()
    {
        var onNewTrip = OnTrip();
        Assert.Same(onNewTrip, onNewTrip.ReleaseFromTrip("t0", Now));
        Assert.Same(onNewTrip, onNewTrip.StartRide("t0", Now));
    }

    [Fact]
    public void Cancelling_withdraws_the_pending_offer_of_that_trip_only()
    {
        var offered = Offered();
        Assert.Same(offered, offered.WithdrawOfferOfTrip("t2", Now));
        var withdrawn = offered.WithdrawOfferOfTrip("t1", Now);
        Assert.Equal(DriverStates.Available, withdrawn.State);
        Assert.Null(withdrawn.Offer);
    }

    [Fact]
    public void Eta_is_road_distance_at_the_average_speed()
    {
        var options = new DispatchOptions();
        // 0.01° of latitude ≈ 1112 m; × 1.3 ≈ 1446 m at 8.33 m/s ≈ 174 s.
        Assert.InRange(options.EtaSeconds(Here, Pickup), 170, 178);
        Assert.Equal(0, options.EtaSeconds(Here, Here));
    }
}

public class TripDispatchLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static TripDispatch Searching() => new()
    {
        Id = "t1", RiderId = "r1", VehicleClass = "economy", Pickup = new GeoPoint(52.52, 13.40), Dropoff = new GeoPoint(52.5, 13.45),
        FareMinor = 1_500, Currency = "USD", Status = DispatchStatus.Searching, StartedAt = Now, GiveUpAt = Now.AddSeconds(90), NextAttemptAt = Now,
    };

    [Fact]
    public void A_cancelled_search_cannot_be_won_afterwards()
    {
        var cancelled = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).Cancel();
        Assert.Equal(DispatchStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.Offer);
        Assert.False(cancelled.IsOpen);
        Assert.Same(cancelled, cancelled.Assign("d1"));
        Assert.Same(cancelled, cancelled.Cancel());
    }

    [Fact]
    public void A_driver_who_gives_up_is_excluded_and_the_search_starts_again_with_a_fresh_deadline()
    {
        var assigned = Searching() with { EmptySearches = 2 };
        assigned = assigned.OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).Assign("d1");
        var reopened = assigned.Reopen("d1", Now.AddMinutes(5), TimeSpan.FromSeconds(90));
        Assert.Equal(DispatchStatus.Searching, reopened.Status);
        Assert.Contains("d1", reopened.ExcludedDrivers);
        Assert.Equal(0, reopened.EmptySearches);
        Assert.Equal(Now.AddMinutes(5).AddSeconds(90), reopened.GiveUpAt);
        Assert.Same(reopened, reopened.Reopen("d1", Now.AddMinutes(6), TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void Only_the_assigned_driver_giving_up_reopens_the_search()
    {
        var assigned = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).Assign("d1");
        Assert.Same(assigned, assigned.Reopen("d2", Now, TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public void A_cancellation_that_overtakes_creation_leaves_a_closed_record()
    {
        var tombstone = TripDispatch.CancelledBeforeStart("t1", "r1", Now);
        Assert.False(tombstone.IsOpen);
        Assert.Same(tombstone, tombstone.Assign("d1"));
    }
}
