using System.Globalization;
using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

using static UberClone.Trips.Tests.TestPricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Rides with a pet (ADR 0041): a flat fee of the prices at the pickup, added after surge and the minimum fare, held
/// with the upfront price, kept by a new destination, the driver's like the rest of the fare; refused where pets are
/// not taken.
/// </summary>
public sealed class PetTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Mitte = new(52.52, 13.40);
    private static readonly GeoPoint Kreuzberg = new(52.49, 13.42);

    /// <summary>A quote from Mitte to Kreuzberg of 1,300 metered and a 200 booking fee; pets taken for <paramref name="petFeeMinor"/> (0: not taken).</summary>
    private static Quote QuoteWithPetFee(long petFeeMinor)
    {
        var breakdown = new FareBreakdown(250, 700, 350, 0, 0, 200);
        return new Quote
        {
            Id = "qt1", RiderId = "r1", Pickup = Mitte, Dropoff = Kreuzberg, DistanceMeters = 5_000, DurationSeconds = 600,
            PetFeeMinor = petFeeMinor, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", breakdown.TotalMinor, "USD", 1.0, breakdown, WaitPerMinuteMinor: 30)],
        };
    }

    private static Trip WithAPet(TripPromotion? promotion = null)
    {
        var quote = QuoteWithPetFee(300);
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now, withPet: true) with { Promotion = promotion };
    }

    private static Trip Riding(Trip requested) => requested.AssignDriver("d1", null, Now.AddSeconds(10))
        .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(3))
        .Start("d1", "4321", Now.AddMinutes(4), out _);

    [Fact]
    public void The_pet_fee_is_added_after_surge_and_the_minimum_fare_and_is_not_passed_on()
    {
        var economy = new PricingOptions().Tariffs["economy"];

        // 10 km, 20 min surged ×2: 3,900 metered and surged, 200 booking fee, 300 for the pet — not 600.
        var surged = FareCalculator.Breakdown(economy, new RouteEstimate(10_000, 1_200), 2.0) with { PetFeeMinor = 300 };
        Assert.Equal((1_950L, 4_400L), (surged.SurgeMinor, surged.TotalMinor));
        // The driver's like the metered parts: only the booking fee is the platform's.
        Assert.Equal(200L, surged.PassedOnMinor);
        // A short ride: the minimum fare is made up from the metered part alone; the pet fee comes on top.
        var shortRide = FareCalculator.Breakdown(economy, new RouteEstimate(500, 60), 1.0) with { PetFeeMinor = 300 };
        Assert.Equal(economy.MinimumMinor + economy.BookingFeeMinor + 300, shortRide.TotalMinor);
        // Breakdowns compare by their lines, the pet fee included (one read back from storage must equal the one written).
        Assert.NotEqual(shortRide, shortRide with { PetFeeMinor = 0 });
        Assert.Equal(shortRide, FareCalculator.Breakdown(economy, new RouteEstimate(500, 60), 1.0) with { PetFeeMinor = 300 });
    }

    [Fact]
    public void The_fee_is_that_of_the_prices_at_the_pickup_and_an_area_without_one_takes_no_pets()
    {
        var options = Bound([("Pricing:PetFeeMinor", "300"), .. TokyoArea]);
        Assert.Null(options.AreasProblem());
        Assert.Equal(300, options.At(Mitte)!.PetFeeMinor);
        // The area does not fall back to the default prices' fee (in another currency).
        Assert.Equal(0, options.At(Tokyo)!.PetFeeMinor);

        var tokyoTakesPets = Bound([("Pricing:PetFeeMinor", "300"), .. TokyoArea, ("Pricing:Areas:0:PetFeeMinor", "500")]);
        Assert.Equal(500, tokyoTakesPets.At(Tokyo)!.PetFeeMinor);
        // Nothing configured: pets are taken nowhere.
        Assert.Equal(0, new PricingOptions().At(Mitte)!.PetFeeMinor);
    }

    [Fact]
    public void A_negative_pet_fee_stops_the_service_naming_the_setting()
    {
        Assert.Equal("Pricing:PetFeeMinor must not be negative (0: pets are not taken).", Bound(("Pricing:PetFeeMinor", "-1")).AreasProblem());
        Assert.Equal("Pricing:Areas 'tokyo' has a negative PetFeeMinor (0: pets are not taken there).",
            Bound([.. TokyoArea, ("Pricing:Areas:0:PetFeeMinor", "-5")]).AreasProblem());
    }

    [Fact]
    public void A_ride_booked_with_a_pet_costs_the_fee_more_and_holds_it_with_the_upfront_price()
    {
        var quote = QuoteWithPetFee(300);
        var without = Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now);
        var with = WithAPet();

        Assert.False(without.WithPet);
        Assert.Equal((1_500L, 0L), (without.FareMinor, without.Breakdown!.PetFeeMinor));
        Assert.True(with.WithPet);
        Assert.Equal((1_800L, 1_800L, 300L), (with.FareMinor, with.UpfrontPriceMinor, with.Breakdown!.PetFeeMinor));
        Assert.Equal(with.FareMinor, with.Breakdown.TotalMinor);
        // A ride booked for later keeps it too.
        var later = Trip.Reserve("t2", "r1", quote, quote.Options[0], "4321", Now.AddHours(2), TestTrips.Rules, Now, withPet: true);
        Assert.Equal((true, 1_800L), (later.WithPet, later.FareMinor));
    }

    [Fact]
    public void Where_pets_are_not_taken_a_booking_with_a_pet_is_refused_saying_so()
    {
        var quote = QuoteWithPetFee(0);
        var refused = Assert.Throws<TripRuleException>(() => Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now, withPet: true));
        Assert.Equal("withPet: pets are not taken on rides picked up here; book without a pet.", refused.Message);
        Assert.Throws<TripRuleException>(() => Trip.Reserve("t2", "r1", quote, quote.Options[0], "4321", Now.AddHours(2), TestTrips.Rules, Now, withPet: true));
        Assert.Equal(1_500, Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now).FareMinor);
    }

    [Fact]
    public void The_driver_earns_on_the_pet_fee_after_the_usual_service_fee()
    {
        var done = Riding(WithAPet()).Complete("d1", TestTrips.Rules, Now.AddMinutes(20));

        // 1,800 paid; 200 booking fee; 25 % of the other 1,600 is 400: the driver earns 1,200, 225 more than without the pet.
        Assert.Equal(1_800, done.AmountDueMinor);
        Assert.Equal(new DriverEarnings(DriverEarnings.Fare, 1_800, 200, 25, 400, 1_200, Now.AddMinutes(20)), done.DriverEarnings);
        Assert.Equal(TestTrips.Completed().DriverEarnings!.EarningsMinor + 225, done.DriverEarnings!.EarningsMinor);
    }

    [Fact]
    public void A_new_destination_keeps_the_pet_fee_and_the_wait_at_the_pickup_leaves_it_alone()
    {
        var assigned = WithAPet().AssignDriver("d1", null, Now.AddSeconds(10));
        var route = new RouteEstimate(4_000, 700);
        var economy = new PricingOptions().Tariffs["economy"];

        // Priced as trips prices a new destination: the tariff's fare for the new route, repriced by the trip.
        var repriced = assigned.Repriced(FareCalculator.Breakdown(economy, route, 1.0));
        Assert.Equal(300, repriced.PetFeeMinor);
        var changed = assigned.ChangeDestination("r1", new GeoPoint(52.50, 13.45), route, repriced, repriced.TotalMinor, TestTrips.Rules, Now.AddMinutes(1));
        Assert.Equal(FareCalculator.Breakdown(economy, route, 1.0).TotalMinor + 300, changed.FareMinor);

        var arrived = changed.Arrive("d1", Mitte, TestTrips.Rules, Now.AddMinutes(3));
        var started = arrived.Start("d1", "4321", arrived.FreeWaitUntil!.Value.AddMinutes(2), out _);
        Assert.True(started.Breakdown!.WaitMinor > 0);
        Assert.Equal(300, started.Breakdown.PetFeeMinor);
        Assert.Equal(changed.FareMinor + started.Breakdown.WaitMinor, started.FareMinor);
        // A ride without a pet gets none from a new destination.
        var plain = TestTrips.Assigned();
        Assert.Equal(0, plain.Repriced(FareCalculator.Breakdown(economy, route, 1.0)).PetFeeMinor);
    }

    [Fact]
    public void A_promotion_discounts_the_pet_fee_as_the_rest_of_the_fare_and_a_late_cancellation_never_costs_it()
    {
        var everything = new TripPromotion("FREE", new PromotionTerms(100, 0, null, "USD"));
        var riding = Riding(WithAPet(everything));
        // 100 % off leaves only the booking fee to pay.
        Assert.Equal((1_600L, 200L), (riding.DiscountMinor, riding.UpfrontPriceMinor));

        var assigned = WithAPet().AssignDriver("d1", null, Now.AddSeconds(10));
        var cancelled = assigned.CancelByRider("r1", "changed plans", TestTrips.Rules, Now.AddMinutes(30));
        Assert.Equal(TestTrips.Rules.CancellationFeeMinor, cancelled.AmountDueMinor);
    }
}
