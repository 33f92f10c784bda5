using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Stops on the way (ADR 0023): the trip keeps the quote's stops in order, the driver reaches them in order and near
/// them while riding (a repeat changes nothing), and a new drop-off is priced through them.
/// </summary>
public class StopTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint First = new(52.515, 13.41);
    private static readonly GeoPoint Second = new(52.51, 13.43);

    private static Trip WithStops(string status = TripStatus.InProgress) => TestTrips.InProgress() with
    {
        Status = status,
        Stops = [new TripStop(First), new TripStop(Second)],
    };

    [Fact]
    public void A_trip_booked_from_a_quote_with_stops_has_them_in_order_none_reached()
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = TestTrips.Pickup, Dropoff = new GeoPoint(52.50, 13.45), Stops = [First, Second],
            DistanceMeters = 7_000, DurationSeconds = 900, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_800, "USD", 1.0)],
        };
        var trip = Trip.Request("t1", "r1", quote, quote.Options[0], "1234", Now);
        Assert.Equal([new TripStop(First), new TripStop(Second)], trip.Stops);
        Assert.Null(trip.NextStop); // not riding yet
        Assert.Equal([(TestTrips.Pickup, First), (First, Second), (Second, quote.Dropoff)], Trip.Legs([TestTrips.Pickup, First, Second, quote.Dropoff]));
    }

    [Fact]
    public void The_driver_reaches_the_stops_in_order_near_each_and_a_repeat_changes_nothing()
    {
        var trip = WithStops();
        Assert.Equal(0, trip.NextStop);

        Assert.Contains("Stop 1 comes before stop 2", Assert.Throws<TripRuleException>(() => trip.ReachStop("d1", 1, Second, TestTrips.Rules, Now)).Message);
        Assert.Contains("from stop 1", Assert.Throws<TripRuleException>(() => trip.ReachStop("d1", 0, Second, TestTrips.Rules, Now)).Message);
        Assert.Contains("no stop 3", Assert.Throws<TripRuleException>(() => trip.ReachStop("d1", 2, Second, TestTrips.Rules, Now)).Message);
        Assert.Throws<TripNotYoursException>(() => trip.ReachStop("d2", 0, First, TestTrips.Rules, Now));

        var atFirst = trip.ReachStop("d1", 0, new GeoPoint(First.Lat + 0.0005, First.Lng), TestTrips.Rules, Now.AddMinutes(5)); // ≈ 56 m away
        Assert.Equal(Now.AddMinutes(5), atFirst.Stops[0].ReachedAt);
        Assert.Equal(1, atFirst.NextStop);
        Assert.Same(atFirst, atFirst.ReachStop("d1", 0, First, TestTrips.Rules, Now.AddMinutes(6)));

        var atSecond = atFirst.ReachStop("d1", 1, Second, TestTrips.Rules, Now.AddMinutes(9));
        Assert.Null(atSecond.NextStop);
        Assert.Equal(Second, atSecond.Driver!.Location);
        // Completing does not wait for the stops: a rider may skip one.
        Assert.Equal(TripStatus.Completed, trip.Complete("d1", TestTrips.Rules, Now.AddMinutes(20)).Status);
    }

    [Fact]
    public void Stops_are_reached_only_while_riding()
    {
        var assigned = WithStops(TripStatus.DriverArrived);
        Assert.Throws<TripTransitionException>(() => assigned.ReachStop("d1", 0, First, TestTrips.Rules, Now));
    }

    [Fact]
    public void A_new_drop_off_is_priced_through_the_stops_before_the_ride_and_through_those_ahead_once_riding()
    {
        var farther = new GeoPoint(52.47, 13.50);
        var assigned = WithStops(TripStatus.DriverAssigned) with { StartedAt = null, Driver = new AssignedDriver("d1", null, Now) };
        Assert.Equal([(TestTrips.Pickup, First), (First, Second), (Second, farther)], assigned.DestinationChangeLegs("r1", farther, TestTrips.Rules));
        Assert.Contains("from the last stop", Assert.Throws<TripRuleException>(() => assigned.DestinationChangeLegs("r1", new GeoPoint(Second.Lat, Second.Lng + 0.0001), TestTrips.Rules)).Message);

        var riding = WithStops().ReachStop("d1", 0, First, TestTrips.Rules, Now) with { Driver = new AssignedDriver("d1", new GeoPoint(52.512, 13.42), Now) };
        var car = riding.Driver!.Location!;
        Assert.Equal([(TestTrips.Pickup, First), (First, car), (car, Second), (Second, farther)], riding.DestinationChangeLegs("r1", farther, TestTrips.Rules));
        var changed = riding.ChangeDestination("r1", farther, new RouteEstimate(9_000, 1_100), new FareBreakdown(250, 1_260, 583, 0, 0, 200), 10_000, TestTrips.Rules, Now);
        Assert.Equal(riding.Stops, changed.Stops); // the stops stay, the new drop-off comes after them
    }
}
