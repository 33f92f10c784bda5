using UberClone.Contracts;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>
/// A driver's acceptance rate: each offer they accept, decline or let expire is kept (the last 50); an offer withdrawn
/// because its trip was cancelled is not theirs to answer and does not count; repeats count once.
/// </summary>
public sealed class OfferRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Here = new(52.52, 13.40);

    private static Driver Online() => Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);

    private static Offer OfferOf(string tripId) => new("o-" + tripId, tripId, "r1", Now.AddSeconds(15));

    [Fact]
    public void Accepting_declining_and_missing_each_count_and_a_withdrawn_offer_does_not()
    {
        var driver = Online();
        Assert.Null(driver.Offers.AcceptanceRate);

        driver = driver.OfferTrip(OfferOf("t1"), Now).Accept("t1", Now).ReleaseFromTrip("t1", Now.AddMinutes(20));
        driver = driver.OfferTrip(OfferOf("t2"), Now).Decline("t2", Now);
        driver = driver.OfferTrip(OfferOf("t3"), Now).Miss("o-t3", Now.AddSeconds(16));
        driver = driver.OfferTrip(OfferOf("t4"), Now).WithdrawOfferOfTrip("t4", Now.AddSeconds(5)); // the rider cancelled
        driver = driver.OfferTrip(OfferOf("t5"), Now).Accept("t5", Now);

        Assert.Equal(new OfferRecord(Accepted: 2, Declined: 1, Missed: 1), driver.Offers);
        Assert.Equal(0.5, driver.Offers.AcceptanceRate);
        Assert.Equal("ADMA", driver.RecentOffers);
    }

    [Fact]
    public void Repeating_an_answer_counts_it_once_and_a_miss_of_an_offer_no_longer_pending_changes_nothing()
    {
        var accepted = Online().OfferTrip(OfferOf("t1"), Now).Accept("t1", Now);
        Assert.Same(accepted, accepted.Accept("t1", Now.AddSeconds(1)));
        Assert.Same(accepted, accepted.Miss("o-t1", Now.AddSeconds(16)));
        Assert.Equal("A", accepted.RecentOffers);
    }

    [Fact]
    public void Only_the_last_fifty_answers_are_kept()
    {
        var driver = Online();
        for (var i = 0; i < 60; i++)
        {
            var trip = "t" + i;
            driver = i < 10 ? driver.OfferTrip(OfferOf(trip), Now).Decline(trip, Now) : driver.OfferTrip(OfferOf(trip), Now).Accept(trip, Now).ReleaseFromTrip(trip, Now);
        }
        Assert.Equal(new OfferRecord(50, 0, 0), driver.Offers); // the ten declines were the oldest
        Assert.Equal(1.0, driver.Offers.AcceptanceRate);
    }
}
