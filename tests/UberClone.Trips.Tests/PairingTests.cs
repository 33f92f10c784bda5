using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>A rider and a driver one of whom rated the other one star are never matched again; other ratings change nothing.</summary>
public sealed class PairingTests
{
    private static Trip CompletedWith(string driverId, string id)
    {
        var trip = TestTrips.Completed() with { Id = id };
        return trip with { Driver = trip.Driver! with { DriverId = driverId } };
    }

    [Fact]
    public void A_one_star_either_way_keeps_that_driver_away_from_the_rider_and_two_stars_do_not()
    {
        var at = TestTrips.Now.AddHours(1);
        var trips = new[]
        {
            CompletedWith("d-rated-one", "t1").Rate("r1", 1, "rude", at),
            CompletedWith("d-gave-one", "t2").Rate("d-gave-one", 1, null, at),
            CompletedWith("d-rated-two", "t3").Rate("r1", 2, null, at),
            CompletedWith("d-unrated", "t4"),
            CompletedWith("d-rated-one", "t5").Rate("r1", 5, null, at), // a later good ride does not undo it
            TestTrips.InProgress("t6"), // d1, no rating
        };

        Assert.Equal(["d-gave-one", "d-rated-one"], Pairing.DriversToAvoid(trips));
        Assert.Empty(Pairing.DriversToAvoid([]));
    }
}
