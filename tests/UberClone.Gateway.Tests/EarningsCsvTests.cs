using UberClone.Contracts.Common;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Earnings;

namespace UberClone.Gateway.Tests;

/// <summary>A driver's earnings as CSV (no I/O): oldest first, in the driver's zone, columns that add up, nothing a spreadsheet runs.</summary>
public sealed class EarningsCsvTests
{
    private static Money Eur(long minor) => new() { AmountMinor = minor, Currency = "EUR" };

    [Fact]
    public void Each_trip_fee_and_quest_bonus_is_a_row_oldest_first_in_the_drivers_zone_in_major_units_whose_columns_add_up()
    {
        var summary = new EarningsSummary();
        summary.Items.Add(new EarnedTrip
        {
            TripId = "t2", VehicleClass = "economy", DistanceMeters = 0,
            Earnings = new DriverEarnings { Kind = "cancellation_fee", Amount = Eur(500), BookingFee = Eur(0), ServiceFee = Eur(125), Earnings = Eur(375), EarnedAt = "2026-12-03T22:30:00Z" },
        });
        summary.Items.Add(new EarnedTrip
        {
            TripId = "t1", VehicleClass = "comfort", DistanceMeters = 5_240,
            Earnings = new DriverEarnings
            {
                // An airport's fee of 5.00 in what the rider paid: passed on, in a column of its own (the last), so the columns still add up.
                Kind = "fare", Amount = Eur(2_500), BookingFee = Eur(200), PlaceFees = Eur(500), ServiceFee = Eur(450), FareAdjustment = Eur(100), Tip = Eur(300),
                Earnings = Eur(1_550),
                EarnedAt = "2026-12-02T08:15:00Z",
            },
        });

        summary.Items.Add(new EarnedTrip
        {
            TripId = "t3", VehicleClass = "economy", DistanceMeters = 3_000,
            Earnings = new DriverEarnings
            {
                // A lost item handed back: its return fee (15.00, 5.00 of it given back to the rider by support) is all the driver's, in a column of its own.
                Kind = "fare", Amount = Eur(1_000), BookingFee = Eur(200), ServiceFee = Eur(200), ItemReturn = Eur(1_000), Earnings = Eur(1_600),
                EarnedAt = "2026-12-04T18:00:00Z",
            },
        });

        summary.QuestBonuses.Add(new QuestBonus { QuestId = "q1", Name = "Weekend, rush", Bonus = Eur(4_500), EarnedAt = "2026-12-02T10:00:00Z", TripId = "t1", Target = 2 });

        var csv = EarningsCsv.Render(summary, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(
            "earned_at,trip_id,kind,vehicle_class,distance_km,rider_paid,booking_fee,service_fee,fare_adjustment,tip,earned,currency,place_fees,quest,item_return\r\n"
            + "2026-12-02T09:15:00+01:00,t1,fare,comfort,5.2,25.00,2.00,4.50,1.00,3.00,15.50,EUR,5.00,,0.00\r\n"
            + "2026-12-02T11:00:00+01:00,t1,quest_bonus,,,0.00,0.00,0.00,0.00,0.00,45.00,EUR,0.00,\"Weekend, rush\",0.00\r\n"
            + "2026-12-03T23:30:00+01:00,t2,cancellation_fee,economy,0.0,5.00,0.00,1.25,0.00,0.00,3.75,EUR,0.00,,0.00\r\n"
            + "2026-12-04T19:00:00+01:00,t3,fare,economy,3.0,10.00,2.00,2.00,0.00,0.00,16.00,EUR,0.00,,10.00\r\n", csv);

        // rider_paid − booking_fee − place_fees − service_fee − fare_adjustment + tip + item_return = earned, on every row.
        foreach (var line in csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(l => !l.Contains("quest_bonus")))
        {
            var cells = line.Split(',');
            decimal Cell(string column) => decimal.Parse(cells[Array.IndexOf(EarningsCsv.Header.Split(','), column)], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(Cell("earned"),
                Cell("rider_paid") - Cell("booking_fee") - Cell("place_fees") - Cell("service_fee") - Cell("fare_adjustment") + Cell("tip") + Cell("item_return"));
        }
    }

    [Fact]
    public void A_month_without_earnings_is_the_header_alone_and_no_cell_is_a_formula()
    {
        Assert.Equal(EarningsCsv.Header + "\r\n", EarningsCsv.Render(new EarningsSummary(), null));
        var summary = new EarningsSummary();
        summary.Items.Add(new EarnedTrip
        {
            TripId = "=HYPERLINK(\"x\",\"y\")", VehicleClass = "economy",
            Earnings = new DriverEarnings { Kind = "fare", Amount = Eur(700), Earnings = Eur(525), EarnedAt = "2026-12-02T08:15:00Z" },
        });
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",fare,", EarningsCsv.Render(summary, null));
    }
}
