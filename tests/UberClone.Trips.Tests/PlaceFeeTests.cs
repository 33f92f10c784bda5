using System.Globalization;
using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

using static UberClone.Trips.Tests.TestPricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Place fees (ADR 0037): an airport's or a zone's fixed fee on rides that start or end in it, from the fees of the
/// prices at the pickup; added after surge and the minimum fare, never discounted, never the driver's; a new drop-off
/// moves the drop-off fee; fees that cannot work are named at start.
/// </summary>
public sealed class PlaceFeeTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Terminal = new(52.3667, 13.5033);
    private static readonly GeoPoint Mitte = new(52.52, 13.40);
    private static readonly GeoPoint Kreuzberg = new(52.49, 13.42);
    private static readonly GeoPoint Haneda = new(35.549, 139.780);
    private static readonly PlaceFee Ber = new() { Name = "BER Airport fee", Lat = 52.3667, Lng = 13.5033, RadiusKm = 1.2, PickupMinor = 500, DropoffMinor = 400 };

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static (string, string)[] Fee(string prefix, string name, GeoPoint at, double radiusKm, long pickup, long dropoff) =>
    [
        ($"{prefix}:Name", name), ($"{prefix}:Lat", Invariant(at.Lat)), ($"{prefix}:Lng", Invariant(at.Lng)), ($"{prefix}:RadiusKm", Invariant(radiusKm)),
        ($"{prefix}:PickupMinor", pickup.ToString(CultureInfo.InvariantCulture)), ($"{prefix}:DropoffMinor", dropoff.ToString(CultureInfo.InvariantCulture)),
    ];

    [Fact]
    public void A_ride_pays_the_pickup_part_of_a_place_it_starts_in_and_the_drop_off_part_of_one_it_ends_in()
    {
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 500)], PlaceFee.Charges([Ber], Terminal, Mitte));
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 400)], PlaceFee.Charges([Ber], Mitte, Terminal));
        Assert.Empty(PlaceFee.Charges([Ber], Mitte, Kreuzberg));
        // From one gate to another: both parts, on one line.
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 900)], PlaceFee.Charges([Ber], Terminal, new GeoPoint(52.3700, 13.5100)));
        // 1.2 km is the edge: 1.3 km south of the terminal is outside.
        Assert.Empty(PlaceFee.Charges([Ber], Mitte, new GeoPoint(52.3667 - 1.3 / 111.32, 13.5033)));
        // A place that charges only drop-offs (a zone you pay to enter) charges nothing for a pickup in it.
        var zone = new PlaceFee { Name = "Congestion charge", Lat = Mitte.Lat, Lng = Mitte.Lng, RadiusKm = 3, DropoffMinor = 300 };
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 500)], PlaceFee.Charges([Ber, zone], Terminal, Kreuzberg));
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 500), new PlaceFeeCharge("Congestion charge", 300)], PlaceFee.Charges([Ber, zone], Terminal, Mitte));
    }

    [Fact]
    public void A_fee_is_added_after_surge_and_the_minimum_fare_so_neither_multiplies_nor_absorbs_it()
    {
        var economy = new PricingOptions().Tariffs["economy"];
        var fees = PlaceFee.Charges([Ber], Terminal, Mitte);

        // 10 km, 20 min surged ×2: 3,900 metered and surged, 200 booking fee, 500 for the airport — not 1,000.
        var surged = FareCalculator.Breakdown(economy, new RouteEstimate(10_000, 1_200), 2.0, fees);
        Assert.Equal((1_950L, 200L, 500L, 4_600L), (surged.SurgeMinor, surged.BookingFeeMinor, surged.PlaceFeesMinor, surged.TotalMinor));
        Assert.Equal(700L, surged.PassedOnMinor);
        // A short ride: the minimum fare (700) is made up from the metered part alone; the fee comes on top.
        var shortRide = FareCalculator.Breakdown(economy, new RouteEstimate(500, 60), 1.0, fees);
        Assert.Equal(economy.MinimumMinor + economy.BookingFeeMinor + 500, shortRide.TotalMinor);
        Assert.Equal(FareCalculator.Breakdown(economy, new RouteEstimate(500, 60), 1.0).MinimumFareAdjustmentMinor, shortRide.MinimumFareAdjustmentMinor);
        // Breakdowns compare by their lines, as one read back from storage must equal the one written.
        Assert.Equal(shortRide, shortRide with { PlaceFees = [new PlaceFeeCharge("BER Airport fee", 500)] });
        Assert.NotEqual(shortRide, shortRide with { PlaceFees = [new PlaceFeeCharge("BER Airport fee", 400)] });
    }

    [Fact]
    public void The_fees_are_those_of_the_prices_at_the_pickup_the_defaults_or_the_areas()
    {
        var options = Bound([.. Fee("Pricing:PlaceFees:0", "BER Airport fee", Terminal, 1.2, 500, 500), .. TokyoArea,
            .. Fee("Pricing:Areas:0:PlaceFees:0", "Haneda airport fee", Haneda, 2, 0, 300)]);

        Assert.Null(options.AreasProblem());
        Assert.Equal(["BER Airport fee"], options.At(Mitte)!.PlaceFees.Select(f => f.Name));
        Assert.Equal(["Haneda airport fee"], options.At(Tokyo)!.PlaceFees.Select(f => f.Name));
        Assert.Equal([new PlaceFeeCharge("Haneda airport fee", 300)], PlaceFee.Charges(options.At(Tokyo)!.PlaceFees, Tokyo, Haneda));
        // A fee belongs to its prices' currency: a ride priced by the defaults does not pay Haneda's yen.
        Assert.Empty(PlaceFee.Charges(options.At(Mitte)!.PlaceFees, Mitte, Haneda));
        // A place may be a boundary, as an area's can.
        var polygon = Bound([("Pricing:PlaceFees:0:Name", "Terminal 1"), ("Pricing:PlaceFees:0:PickupMinor", "250"),
            ("Pricing:PlaceFees:0:Boundary:0:Lat", "52.36"), ("Pricing:PlaceFees:0:Boundary:0:Lng", "13.49"),
            ("Pricing:PlaceFees:0:Boundary:1:Lat", "52.37"), ("Pricing:PlaceFees:0:Boundary:1:Lng", "13.49"),
            ("Pricing:PlaceFees:0:Boundary:2:Lat", "52.37"), ("Pricing:PlaceFees:0:Boundary:2:Lng", "13.51"),
            ("Pricing:PlaceFees:0:Boundary:3:Lat", "52.36"), ("Pricing:PlaceFees:0:Boundary:3:Lng", "13.51")]);
        Assert.Null(polygon.AreasProblem());
        Assert.Equal([new PlaceFeeCharge("Terminal 1", 250)], PlaceFee.Charges(polygon.At(Mitte)!.PlaceFees, Terminal, Mitte));
        Assert.Empty(PlaceFee.Charges(polygon.At(Mitte)!.PlaceFees, new GeoPoint(52.375, 13.50), Mitte));
    }

    [Theory]
    [InlineData("", 500, 500, 1.2, "Pricing:PlaceFees:0 needs a Name")]
    [InlineData("BER Airport fee", -1, 500, 1.2, "Pricing:PlaceFees:0 'BER Airport fee' PickupMinor and DropoffMinor must not be negative")]
    [InlineData("BER Airport fee", 0, 0, 1.2, "Pricing:PlaceFees:0 'BER Airport fee' needs PickupMinor or DropoffMinor above 0")]
    [InlineData("BER Airport fee", 500, 500, 0, "Pricing:PlaceFees:0 'BER Airport fee' needs a centre (Lat, Lng) and a positive RadiusKm, or a Boundary")]
    public void A_fee_that_cannot_work_stops_the_service_naming_it(string name, long pickup, long dropoff, double radiusKm, string says) =>
        Assert.Contains(says, Bound(Fee("Pricing:PlaceFees:0", name, Terminal, radiusKm, pickup, dropoff)).AreasProblem());

    [Fact]
    public void Two_fees_of_one_set_of_prices_with_the_same_name_and_an_areas_bad_fee_are_named()
    {
        Assert.Equal("Pricing:PlaceFees names 'BER Airport fee' twice.", Bound([.. Fee("Pricing:PlaceFees:0", "BER Airport fee", Terminal, 1.2, 500, 0),
            .. Fee("Pricing:PlaceFees:1", "BER Airport fee", Mitte, 1, 0, 500)]).AreasProblem());
        Assert.Equal("Pricing:Areas 'tokyo' PlaceFees:0 'Haneda airport fee' needs PickupMinor or DropoffMinor above 0.",
            Bound([.. TokyoArea, .. Fee("Pricing:Areas:0:PlaceFees:0", "Haneda airport fee", Haneda, 2, 0, 0)]).AreasProblem());
        // The same name in two sets of prices is two fees (in two currencies).
        Assert.Null(Bound([.. Fee("Pricing:PlaceFees:0", "Airport fee", Terminal, 1.2, 500, 0), .. TokyoArea,
            .. Fee("Pricing:Areas:0:PlaceFees:0", "Airport fee", Haneda, 2, 300, 0)]).AreasProblem());
    }

    /// <summary>In progress to the airport with driver d1: 1,300 metered, a 200 booking fee and the 400 drop-off fee.</summary>
    private static Trip ToTheAirport(TripPromotion? promotion = null)
    {
        var breakdown = new FareBreakdown(250, 700, 350, 0, 0, 200) { PlaceFees = PlaceFee.Charges([Ber], Mitte, Terminal) };
        var quote = new Quote
        {
            Id = "qt1", RiderId = "r1", Pickup = Mitte, Dropoff = Terminal, DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", breakdown.TotalMinor, "USD", 1.0, breakdown, WaitPerMinuteMinor: 30)],
        };
        var requested = Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now) with { Promotion = promotion };
        return requested.AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(3))
            .Start("d1", "4321", Now.AddMinutes(4), out _);
    }

    [Fact]
    public void The_booked_trip_keeps_the_fee_and_the_rider_pays_it_but_the_driver_neither_earns_it_nor_pays_the_service_fee_on_it()
    {
        var riding = ToTheAirport();
        Assert.Equal((1_900L, 1_900L), (riding.FareMinor, riding.UpfrontPriceMinor));
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 400)], riding.Breakdown!.PlaceFees);

        var done = riding.Complete("d1", TestTrips.Rules, Now.AddMinutes(20));

        // 1,900 paid; 200 booking fee; 400 for the airport; 25 % of the other 1,300 is 325: the driver earns 975, as
        // they would have without the fee.
        Assert.Equal(1_900, done.AmountDueMinor);
        Assert.Equal(new DriverEarnings(DriverEarnings.Fare, 1_900, 200, 25, 325, 975, Now.AddMinutes(20), PlaceFeesMinor: 400), done.DriverEarnings);
        Assert.Equal(TestTrips.Completed().DriverEarnings!.EarningsMinor, done.DriverEarnings!.EarningsMinor);
        // A fare adjustment lowers what the driver earns from, never the fee the airport is owed; a full refund leaves them nothing.
        Assert.Equal(600, done.DriverEarnings.WithFareAdjustment(500).EarningsMinor);
        Assert.Equal(0, done.DriverEarnings.WithFareAdjustment(1_900).EarningsMinor);
    }

    [Fact]
    public void A_late_cancellation_costs_its_fee_and_never_the_place_fee()
    {
        var assigned = ToTheAirport() with { Status = TripStatus.DriverAssigned, ArrivedAt = null, StartedAt = null, Driver = new AssignedDriver("d1", null, Now) };
        var cancelled = assigned.CancelByRider("r1", "changed plans", TestTrips.Rules, Now.AddMinutes(30));
        Assert.Equal(TestTrips.Rules.CancellationFeeMinor, cancelled.AmountDueMinor);
        Assert.Equal((0L, TestTrips.Rules.CancellationFeeMinor), (cancelled.DriverEarnings!.PlaceFeesMinor, cancelled.DriverEarnings.AmountMinor));
    }

    [Fact]
    public void A_promotion_never_takes_anything_off_the_fee()
    {
        var everything = new TripPromotion("FREE", new PromotionTerms(100, 0, null, "USD"));
        var riding = ToTheAirport(everything);

        // 100 % off leaves the booking fee and the airport's fee to pay.
        Assert.Equal((1_300L, 600L), (riding.DiscountMinor, riding.UpfrontPriceMinor));
        Assert.Equal(600, riding.Complete("d1", TestTrips.Rules, Now.AddMinutes(20)).AmountDueMinor);
        Assert.Equal(100, new PromotionTerms(0, 1_000, null, "USD").DiscountOn(700, riding.Breakdown!.PassedOnMinor));
        var held = RiderPromotions.Empty("r1").Add(new Promotion
        {
            Code = "HALF", Terms = new PromotionTerms(50, 0, null, "USD"), RidesPerRider = 1, ExpiresAt = Now.AddDays(1), CreatedBy = "support", CreatedAt = Now,
        }, Now);
        Assert.Equal(650, held.BestFor("USD", riding.FareMinor, riding.Breakdown.PassedOnMinor, Now)!.DiscountMinor);
    }

    [Fact]
    public void A_new_drop_off_moves_the_drop_off_fee_and_the_wait_at_the_pickup_leaves_it_alone()
    {
        var riding = ToTheAirport() with { Status = TripStatus.DriverAssigned, ArrivedAt = null, StartedAt = null, Driver = new AssignedDriver("d1", null, Now) };
        var route = new RouteEstimate(4_000, 700);
        var economy = new PricingOptions().Tariffs["economy"];

        // Priced as trips prices a new destination: the trip's pickup and the new drop-off against the fees.
        var toKreuzberg = riding.Repriced(FareCalculator.Breakdown(economy, route, 1.0, PlaceFee.Charges([Ber], riding.Pickup, Kreuzberg)));
        var changed = riding.ChangeDestination("r1", Kreuzberg, route, toKreuzberg, toKreuzberg.TotalMinor, TestTrips.Rules, Now.AddMinutes(1));
        Assert.Empty(changed.Breakdown!.PlaceFees);
        Assert.Equal(toKreuzberg.TotalMinor, changed.FareMinor);

        var back = changed.Repriced(FareCalculator.Breakdown(economy, route, 1.0, PlaceFee.Charges([Ber], changed.Pickup, Terminal)));
        var toTheAirport = changed.ChangeDestination("r1", Terminal, route, back, back.TotalMinor, TestTrips.Rules, Now.AddMinutes(2));
        Assert.Equal([new PlaceFeeCharge("BER Airport fee", 400)], toTheAirport.Breakdown!.PlaceFees);
        Assert.Equal(toKreuzberg.TotalMinor + 400, toTheAirport.FareMinor);

        // The driver waits past the free minutes: the wait is added, the fee stays as it was.
        var arrived = toTheAirport.Arrive("d1", Mitte, TestTrips.Rules, Now.AddMinutes(3));
        var started = arrived.Start("d1", "4321", arrived.FreeWaitUntil!.Value.AddMinutes(2), out _);
        Assert.True(started.Breakdown!.WaitMinor > 0);
        Assert.Equal(toTheAirport.Breakdown.PlaceFees, started.Breakdown.PlaceFees);
        Assert.Equal(toTheAirport.FareMinor + started.Breakdown.WaitMinor, started.FareMinor);
    }
}
