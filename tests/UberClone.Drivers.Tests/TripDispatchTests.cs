using UberClone.Contracts;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

public class TripDispatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static TripDispatch Searching() => new()
    {
        Id = "t1", RiderId = "r1", VehicleClass = "economy", Pickup = new GeoPoint(52.52, 13.40), Dropoff = new GeoPoint(52.5, 13.45),
        FareMinor = 1_500, Currency = "USD", Status = DispatchStatus.Searching, StartedAt = Now, GiveUpAt = Now.AddSeconds(90), NextAttemptAt = Now,
    };

    [Fact]
    public void An_open_search_is_due_at_its_next_attempt_or_its_deadline_whichever_is_first_and_a_closed_one_never()
    {
        var searching = Searching() with { NextAttemptAt = Now.AddSeconds(5) };
        Assert.Equal(Now.AddSeconds(5).ToUnixTimeMilliseconds(), searching.DueAt);
        Assert.Equal(Now.AddSeconds(90).ToUnixTimeMilliseconds(), (searching with { NextAttemptAt = Now.AddSeconds(95) }).DueAt);
        var offered = searching.OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15)));
        Assert.Equal(Now.AddSeconds(15).ToUnixTimeMilliseconds(), offered.DueAt);
        Assert.False(offered.IsDue(Now.AddSeconds(14.999)));
        Assert.True(offered.IsDue(Now.AddSeconds(15)));
        Assert.Null(offered.Assign("d1").DueAt);
        Assert.Null(searching.Cancel().DueAt);
        Assert.Null(searching.GiveUp().DueAt);
    }

    [Fact]
    public void Putting_off_a_step_only_moves_an_open_search_later()
    {
        var offered = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15)));
        var putOff = offered.PutOff(Now.AddSeconds(17));
        Assert.Equal(Now.AddSeconds(17), putOff.NextAttemptAt);
        Assert.Equal(offered.Offer, putOff.Offer);
        Assert.Same(putOff, putOff.PutOff(Now.AddSeconds(16)));
        var closed = offered.Assign("d1");
        Assert.Same(closed, closed.PutOff(Now.AddSeconds(30)));
    }

    [Fact]
    public void A_search_offers_the_riders_new_note_from_then_on()
    {
        var offered = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15)));
        var noted = offered.WithPickupNote("Gate 5");
        Assert.Equal(("Gate 5", offered.Offer, offered.Status), (noted.PickupNote, noted.Offer, noted.Status));
        Assert.Same(noted, noted.WithPickupNote("Gate 5"));
    }

    [Fact]
    public void Driver_who_declines_is_not_offered_the_same_trip_again()
    {
        var dispatch = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).OfferEnded("o1", Now);
        Assert.Equal(DispatchStatus.Searching, dispatch.Status);
        Assert.Contains("d1", dispatch.ExcludedDrivers);
    }

    [Fact]
    public void Ending_an_offer_that_is_no_longer_pending_changes_nothing()
    {
        var dispatch = Searching().OfferTo(new PendingOffer("o2", "d2", Now.AddSeconds(15)));
        Assert.Same(dispatch, dispatch.OfferEnded("o1", Now));
    }

    [Fact]
    public void A_retracted_offer_does_not_exclude_the_driver()
    {
        var dispatch = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).RetractOffer("o1", Now);
        Assert.Empty(dispatch.ExcludedDrivers);
        Assert.Null(dispatch.Offer);
    }

    [Fact]
    public void Each_empty_search_widens_the_radius_up_to_the_last()
    {
        var options = new DispatchOptions();
        var dispatch = Searching();
        Assert.Equal(3_000, options.RadiusFor(dispatch.EmptySearches));
        dispatch = dispatch.RetryLater(Now.AddSeconds(2));
        Assert.Equal(6_000, options.RadiusFor(dispatch.EmptySearches));
        dispatch = dispatch.RetryLater(Now.AddSeconds(4)).RetryLater(Now.AddSeconds(6));
        Assert.Equal(10_000, options.RadiusFor(dispatch.EmptySearches));
    }

    [Fact]
    public void Assigned_search_is_closed_and_repeatable()
    {
        var assigned = Searching().OfferTo(new PendingOffer("o1", "d1", Now.AddSeconds(15))).Assign("d1");
        Assert.False(assigned.IsOpen);
        Assert.Same(assigned, assigned.Assign("d1"));
    }

    [Fact]
    public void Dispatch_settings_that_cannot_work_are_refused_at_start_naming_the_setting()
    {
        new DispatchOptions().Validate();
        Assert.Contains("Dispatch:LocationFreshness", Assert.Throws<InvalidOperationException>(() => new DispatchOptions { LocationFreshness = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("Dispatch:OfferTimeout", Assert.Throws<InvalidOperationException>(() => new DispatchOptions { OfferTimeout = TimeSpan.FromSeconds(-1) }.Validate()).Message);
        Assert.Contains("Dispatch:RadiiMeters", Assert.Throws<InvalidOperationException>(() => new DispatchOptions { RadiiMeters = [] }.Validate()).Message);
        Assert.Contains("Dispatch:CandidatesPerSearch", Assert.Throws<InvalidOperationException>(() => new DispatchOptions { CandidatesPerSearch = 0 }.Validate()).Message);
        Assert.Contains("Dispatch:AverageSpeedMetersPerSecond", Assert.Throws<InvalidOperationException>(() => new DispatchOptions { AverageSpeedMetersPerSecond = 0 }.Validate()).Message);
    }
}
