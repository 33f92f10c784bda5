using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Moving the pickup (ADR 0046): a little, while the driver is on the way or before a ride for later starts, measured from
/// where it was booked, a few times at most, at the fare agreed; the driver arrives at the new spot.
/// </summary>
public class PickupMoveTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly TripRules Rules = new() { MaxPickupMoveMeters = 400, MaxPickupMoves = 3 };
    private static GeoPoint North(double meters) => new(TestTrips.Pickup.Lat + meters / 111_195, TestTrips.Pickup.Lng);

    [Fact]
    public void The_pickup_moves_a_little_the_fare_stays_and_the_driver_arrives_at_the_new_spot()
    {
        var assigned = TestTrips.Assigned();
        var moved = assigned.MovePickup("r1", North(200), samePrices: true, Rules, Now.AddMinutes(1));

        Assert.Equal(North(200), moved.Pickup);
        Assert.Equal(TestTrips.Pickup, moved.BookedPickup);
        Assert.Equal(1, moved.PickupMoves);
        Assert.Equal((assigned.FareMinor, assigned.Dropoff, assigned.UpfrontPriceMinor), (moved.FareMinor, moved.Dropoff, moved.UpfrontPriceMinor));
        Assert.Same(moved, moved.MovePickup("r1", North(200), samePrices: true, Rules, Now.AddMinutes(2))); // the same spot again

        // The driver arrives where the rider now waits, not where they booked.
        Assert.Contains("from the pickup", Assert.Throws<TripRuleException>(() => moved.Arrive("d1", TestTrips.Pickup, Rules, Now.AddMinutes(3))).Message);
        Assert.Equal(TripStatus.DriverArrived, moved.Arrive("d1", North(210), Rules, Now.AddMinutes(3)).Status);
    }

    [Fact]
    public void Moves_are_measured_from_where_it_was_booked_so_they_cannot_add_up_to_another_ride()
    {
        var trip = TestTrips.Assigned().MovePickup("r1", North(300), true, Rules, Now).MovePickup("r1", North(390), true, Rules, Now);
        Assert.Equal(TestTrips.Pickup, trip.BookedPickup);
        var tooFar = Assert.Throws<TripRuleException>(() => trip.MovePickup("r1", North(450), true, Rules, Now));
        Assert.StartsWith("location is 450 m from the pickup you booked", tooFar.Message);
        // Back towards where it was booked is fine; a fourth move is one too many.
        trip = trip.MovePickup("r1", North(50), true, Rules, Now);
        Assert.Equal(3, trip.PickupMoves);
        Assert.Contains("moved 3 times already", Assert.Throws<TripRuleException>(() => trip.MovePickup("r1", North(0), true, Rules, Now)).Message);
    }

    [Fact]
    public void A_spot_priced_otherwise_is_refused_as_another_ride()
    {
        var refused = Assert.Throws<TripRuleException>(() => TestTrips.Assigned().MovePickup("r1", North(100), samePrices: false, Rules, Now));
        Assert.StartsWith("location is priced differently", refused.Message);
    }

    [Fact]
    public void Only_the_rider_moves_it_and_only_while_the_driver_is_on_the_way_or_before_a_ride_for_later()
    {
        var assigned = TestTrips.Assigned();
        Assert.Throws<TripNotYoursException>(() => assigned.MovePickup("r2", North(100), true, Rules, Now));

        Assert.Contains("finding a driver", Assert.Throws<PickupMoveClosedException>(() => (assigned with { Status = TripStatus.Searching, Driver = null })
            .MovePickup("r1", North(100), true, Rules, Now)).Message);
        var arrived = assigned.Arrive("d1", TestTrips.Pickup, Rules, Now.AddMinutes(3));
        Assert.Contains("waiting at the pickup", Assert.Throws<PickupMoveClosedException>(() => arrived.MovePickup("r1", North(100), true, Rules, Now)).Message);
        Assert.Throws<PickupMoveClosedException>(() => TestTrips.InProgress().MovePickup("r1", North(100), true, Rules, Now));
        Assert.Throws<PickupMoveClosedException>(() => TestTrips.Completed().MovePickup("r1", North(100), true, Rules, Now));

        var later = assigned with { Status = TripStatus.Scheduled, Driver = null };
        Assert.Equal(North(100), later.MovePickup("r1", North(100), true, Rules, Now).Pickup);
    }
}
