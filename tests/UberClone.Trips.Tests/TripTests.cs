using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

public class TripTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Trip NewTrip()
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = new GeoPoint(52.52, 13.40), Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now);
    }

    [Fact]
    public void Booked_trip_is_searching_with_the_quoted_fare()
    {
        var trip = NewTrip();
        Assert.Equal(TripStatus.Searching, trip.Status);
        Assert.Equal(1_500, trip.FareMinor);
        Assert.Equal("economy", trip.VehicleClass);
    }

    [Fact]
    public void Assigning_a_driver_records_them()
    {
        var trip = NewTrip().AssignDriver("d1", new GeoPoint(52.51, 13.41), Now.AddSeconds(5));
        Assert.Equal(TripStatus.DriverAssigned, trip.Status);
        Assert.Equal("d1", trip.Driver!.DriverId);
    }

    [Fact]
    public void Assigning_the_same_driver_again_changes_nothing()
    {
        var assigned = NewTrip().AssignDriver("d1", null, Now);
        Assert.Same(assigned, assigned.AssignDriver("d1", null, Now.AddSeconds(1)));
    }

    [Fact]
    public void A_second_driver_cannot_be_assigned() =>
        Assert.Throws<TripTransitionException>(() => NewTrip().AssignDriver("d1", null, Now).AssignDriver("d2", null, Now));

    [Fact]
    public void No_drivers_found_ends_a_searching_trip_and_is_safe_to_repeat()
    {
        var ended = NewTrip().MarkNoDriversFound(Now);
        Assert.Equal(TripStatus.NoDriversFound, ended.Status);
        Assert.Same(ended, ended.MarkNoDriversFound(Now));
    }

    [Fact]
    public void An_assigned_trip_cannot_run_out_of_drivers() =>
        Assert.Throws<TripTransitionException>(() => NewTrip().AssignDriver("d1", null, Now).MarkNoDriversFound(Now));

    [Fact]
    public void A_driver_cannot_be_assigned_after_no_drivers_found() =>
        Assert.Throws<TripTransitionException>(() => NewTrip().MarkNoDriversFound(Now).AssignDriver("d1", null, Now));
}
