using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Tests;

/// <summary>
/// Promotions (docs/decisions/0021): support's terms are checked, a rider holds each code once, a quote offers the best
/// one, a booking holds one ride and a trip that ends without a ride gives it back; the discount comes off the final
/// fare, never off the booking fee, and the driver earns on the whole fare.
/// </summary>
public sealed class PromotionTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly FareBreakdown Fare = new(250, 700, 350, 0, 0, 200); // 1,500 with a booking fee of 200

    private static Promotion Percent(string code = "HALF50", int percent = 50, long? max = 400, int rides = 2, int? maxRiders = null, string currency = "USD") =>
        Promotion.Create(code, percent, 0, max, currency, rides, Now.AddDays(30), maxRiders, "op1", Now);

    private static Promotion AmountOff(string code = "FIVEOFF", long amount = 500, int rides = 1, DateTimeOffset? expires = null) =>
        Promotion.Create(code, 0, amount, null, "USD", rides, expires ?? Now.AddDays(30), null, "op1", Now);

    private static Trip Booked(PromotionOffer? offer, string id = "t1")
    {
        var quote = new Quote
        {
            Id = "q" + id, RiderId = "r1", Pickup = TestTrips.Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", Fare.TotalMinor, "USD", 1.0, Fare, 0, offer)],
        };
        return Trip.Request(id, "r1", quote, quote.Options[0], "4321", Now);
    }

    [Theory]
    [InlineData("ab", 10, 0, null, "USD", 1, "4-20 letters")]
    [InlineData("SPRING-26", 10, 0, null, "USD", 1, "4-20 letters")]
    [InlineData("SPRING", 10, 500, null, "USD", 1, "either percentOff")]
    [InlineData("SPRING", 0, 0, null, "USD", 1, "either percentOff")]
    [InlineData("SPRING", 101, 0, null, "USD", 1, "1-100")]
    [InlineData("SPRING", 0, 500, 300L, "USD", 1, "caps a percentage")]
    [InlineData("SPRING", 10, 0, 0L, "USD", 1, "more than 0")]
    [InlineData("SPRING", 10, 0, null, "dollars", 1, "ISO 4217")]
    [InlineData("SPRING", 10, 0, null, "USD", 0, "ridesPerRider")]
    [InlineData("SPRING", 10, 0, null, "USD", 51, "ridesPerRider")]
    public void Terms_that_cannot_work_are_refused_naming_what_is_wrong(string code, int percent, long amount, long? max, string currency, int rides, string expected)
    {
        var refused = Assert.Throws<PromotionRuleException>(() => Promotion.Create(code, percent, amount, max, currency, rides, Now.AddDays(1), null, "op1", Now));
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void A_code_is_kept_in_upper_case_and_its_expiry_is_within_a_year()
    {
        Assert.Equal("SPRING26", Promotion.Create(" spring26 ", 10, 0, null, "usd", 1, Now.AddDays(1), null, "op1", Now).Code);
        Assert.Contains("in the future", Assert.Throws<PromotionRuleException>(() => Promotion.Create("SPRING", 10, 0, null, "USD", 1, Now, null, "op1", Now)).Message);
        Assert.Contains("a year", Assert.Throws<PromotionRuleException>(() => Promotion.Create("SPRING", 10, 0, null, "USD", 1, Now.AddDays(367), null, "op1", Now)).Message);
    }

    [Theory]
    [InlineData(50, null, 1_500, 200, 650)]   // half of what is beyond the booking fee
    [InlineData(50, 400L, 1_500, 200, 400)]   // capped
    [InlineData(100, null, 1_500, 200, 1_300)] // everything but the booking fee
    [InlineData(15, null, 1_001, 0, 150)]     // 150.15 rounds to 150
    [InlineData(50, null, 151, 150, 1)]       // 0.5 rounds away from zero
    public void A_percentage_comes_off_the_fare_beyond_the_booking_fee(int percent, long? max, long fare, long bookingFee, long expected) =>
        Assert.Equal(expected, new PromotionTerms(percent, 0, max, "USD").DiscountOn(fare, bookingFee));

    [Fact]
    public void An_amount_off_never_takes_the_booking_fee()
    {
        var terms = new PromotionTerms(0, 500, null, "USD");
        Assert.Equal(500, terms.DiscountOn(1_500, 200));
        Assert.Equal(100, terms.DiscountOn(300, 200));
        Assert.Equal(0, terms.DiscountOn(200, 200));
    }

    [Fact]
    public void Riders_cannot_add_a_promotion_ended_expired_claimed_by_as_many_riders_as_it_allows_or_for_newcomers_once_they_rode()
    {
        var two = Percent(maxRiders: 2);
        var full = two.AddRider(Now).AddRider(Now);
        Assert.Equal(2, full.RidersAdded);
        Assert.Contains("as many riders", Assert.Throws<PromotionRuleException>(() => full.AddRider(Now)).Message);
        Assert.Contains("ended", Assert.Throws<PromotionRuleException>(() => two.End(Now).AddRider(Now)).Message);
        Assert.Contains("expired", Assert.Throws<PromotionRuleException>(() => two.AddRider(Now.AddDays(31))).Message);
        var ended = two.End(Now);
        Assert.Same(ended, ended.End(Now.AddHours(1)));

        var welcome = Promotion.Create("WELCOME", 0, 500, null, "USD", 1, Now.AddDays(30), null, "op1", Now, newRidersOnly: true);
        Assert.Contains("not taken a ride", Assert.Throws<PromotionRuleException>(() => welcome.AddRider(Now, hasRidden: true)).Message);
        Assert.Equal(1, welcome.AddRider(Now, hasRidden: false).RidersAdded);
    }

    [Fact]
    public void A_quote_offers_the_largest_discount_in_its_currency_then_the_one_expiring_first()
    {
        var held = RiderPromotions.Empty("r1")
            .Add(Percent("HALF50", max: 400), Now)                     // 400 off a 1,500 fare
            .Add(AmountOff("FIVEOFF", 400, expires: Now.AddDays(3)), Now) // also 400, expiring sooner
            .Add(Percent("EUROS", 90, null, currency: "EUR"), Now);   // another currency
        var best = held.BestFor("USD", 1_500, 200, Now)!;
        Assert.Equal(("FIVEOFF", 400L), (best.Code, best.DiscountMinor));
        Assert.Equal("HALF50", held.BestFor("USD", 1_500, 200, Now.AddDays(4))!.Code); // FIVEOFF expired
        Assert.Equal("EUROS", held.BestFor("EUR", 1_500, 200, Now)!.Code);
        Assert.Null(held.BestFor("JPY", 1_500, 200, Now));
        Assert.Same(held, held.Add(Percent("HALF50"), Now)); // added again: nothing changes
    }

    [Fact]
    public void Booking_holds_a_ride_two_bookings_cannot_share_the_last_and_a_trip_without_a_ride_gives_it_back()
    {
        var held = RiderPromotions.Empty("r1").Add(AmountOff(rides: 1), Now);
        var first = held.Hold("FIVEOFF", "t1", Now);
        Assert.Equal(0, first.Find("FIVEOFF")!.RidesLeft);
        Assert.Same(first, first.Hold("FIVEOFF", "t1", Now)); // the same booking retried
        Assert.Contains("new quote", Assert.Throws<PromotionRuleException>(() => first.Hold("FIVEOFF", "t2", Now)).Message);
        Assert.Null(first.BestFor("USD", 1_500, 200, Now)); // nothing left to offer

        var released = first.Release("FIVEOFF", "t1");
        Assert.Equal(1, released.Find("FIVEOFF")!.RidesLeft);
        Assert.Same(released, released.Release("FIVEOFF", "t1")); // a redelivered cancellation
        Assert.Throws<PromotionNotFoundException>(() => held.Hold("NOTMINE", "t3", Now));
    }

    [Fact]
    public void The_discount_comes_off_what_the_rider_owes_while_the_driver_earns_on_the_whole_fare()
    {
        var trip = Booked(new PromotionOffer("HALF50", new PromotionTerms(50, 0, null, "USD"), 650));
        Assert.Equal(650, trip.DiscountMinor);
        var completed = trip.AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(3))
            .Start("d1", "4321", Now.AddMinutes(4), out _)
            .Complete("d1", TestTrips.Rules, Now.AddMinutes(20));
        Assert.Equal((1_500L, 850L), (completed.FareMinor, completed.AmountDueMinor));
        var plain = TestTrips.Completed();
        Assert.Equal(plain.DriverEarnings!.EarningsMinor, completed.DriverEarnings!.EarningsMinor);
        Assert.Equal(1_500, completed.DriverEarnings.AmountMinor);
    }

    [Fact]
    public void A_new_destination_changes_the_discount_with_the_fare()
    {
        var trip = Booked(new PromotionOffer("HALF50", new PromotionTerms(50, 0, null, "USD"), 650)).AssignDriver("d1", null, Now.AddSeconds(10));
        var higher = new FareBreakdown(250, 1_400, 700, 0, 0, 200); // 2,550
        var changed = trip.ChangeDestination("r1", new GeoPoint(52.48, 13.50), new RouteEstimate(10_000, 1_200), higher, higher.TotalMinor, TestTrips.Rules, Now.AddMinutes(1));
        Assert.Equal(1_175, changed.DiscountMinor);
    }

    [Fact]
    public void A_trip_that_ends_without_a_ride_takes_nothing_off_and_a_late_cancellation_fee_is_not_discounted()
    {
        var assigned = Booked(new PromotionOffer("FIVEOFF", new PromotionTerms(0, 500, null, "USD"), 500)).AssignDriver("d1", null, Now.AddSeconds(10));
        var late = assigned.CancelByRider("r1", "changed my mind", TestTrips.Rules, Now.AddMinutes(5));
        Assert.Equal((0L, TestTrips.Rules.CancellationFeeMinor), (late.DiscountMinor, late.AmountDueMinor));
        Assert.Equal(0, Booked(new PromotionOffer("FIVEOFF", new PromotionTerms(0, 500, null, "USD"), 500)).MarkNoDriversFound(Now.AddMinutes(2)).DiscountMinor);
    }
}
