using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// The cells a driver's listing of open rides reads (ADR 0047): every ride within the radius is in one of them (checked
/// against random points), across the 180th meridian and near a pole; a cell's keys sort by pickup time.
/// </summary>
public class ReservableCellsTests
{
    [Theory]
    [InlineData(52.52, 13.40, 15_000, 9)]   // Berlin
    [InlineData(-33.87, 151.21, 15_000, 9)] // Sydney
    [InlineData(64.15, -21.94, 40_000, 40)] // Reykjavík, a wide radius far north
    [InlineData(0.0, 179.95, 15_000, 9)]    // on the 180th meridian
    [InlineData(-0.01, -179.99, 5_000, 4)]
    [InlineData(89.95, 10.0, 15_000, 1440)] // near the pole: every column (of the one row)
    public void Every_point_within_the_radius_is_in_a_cell_the_listing_reads(double lat, double lng, double radius, int atMost)
    {
        var near = new GeoPoint(lat, lng);
        var cells = ReservableCells.Around(near, radius).ToHashSet();
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var point = new GeoPoint(Math.Clamp(lat + (random.NextDouble() * 2 - 1) * 1.0, -90, 90), Wrap(lng + (random.NextDouble() * 2 - 1) * 2.0));
            if (Geo.DistanceMeters(near.Lat, near.Lng, point.Lat, point.Lng) > radius) continue;
            Assert.True(cells.Contains(ReservableCells.Of(point)), $"{point} is {Geo.DistanceMeters(near.Lat, near.Lng, point.Lat, point.Lng):0} m away but in no cell read");
        }
        Assert.True(cells.Count <= atMost, $"{cells.Count} cells read, more than {atMost}");
    }

    [Fact]
    public void A_cells_keys_sort_by_pickup_time_and_stay_apart_from_the_next_cell()
    {
        var berlin = new GeoPoint(52.52, 13.40);
        var at = new DateTimeOffset(2026, 12, 8, 8, 15, 0, TimeSpan.Zero);
        var cell = ReservableCells.Of(berlin);
        Assert.True(ReservableCells.Key(berlin, at) < ReservableCells.Key(berlin, at.AddMinutes(1)));
        var (min, max) = ReservableCells.Range(cell, at.AddDays(-1), at.AddDays(30));
        Assert.InRange(ReservableCells.Key(berlin, at), min, max);
        Assert.NotInRange(ReservableCells.Key(new GeoPoint(52.52, 13.70), at), min, max); // the next cell east
        Assert.True(ReservableCells.Key(new GeoPoint(89.99, 179.99), DateTimeOffset.FromUnixTimeSeconds(9_999_999_999)) > 0); // no overflow
    }

    private static double Wrap(double lng) => lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;
}
