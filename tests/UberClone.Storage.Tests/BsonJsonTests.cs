using MongoDB.Bson;
using UberClone.Storage.Mongo;

namespace UberClone.Storage.Tests;

/// <summary>The MongoDB provider's document conversion, checked without a server.</summary>
public sealed class BsonJsonTests
{
    [Fact]
    public void Documents_round_trip_through_bson_unchanged()
    {
        var trip = new Trip(
            "rider-ü-1", TripStatus.DriverAssigned, long.MaxValue, 0.1 + 0.2,
            new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.FromMinutes(330)).AddTicks(1234567),
            [new Place(-33.8688, 151.2093, "quay \"one\""), new Place(1e-7, -1e300, "")],
            new Fare(int.MaxValue + 1L, "EUR"));

        var back = BsonJson.FromBson<Trip>(BsonJson.ToBson(trip));

        Documents.AssertSame(trip, back);
    }

    [Fact]
    public void Whole_doubles_come_back_as_doubles_and_longs_as_longs()
    {
        var back = BsonJson.FromBson<Place>(BsonJson.ToBson(new Place(52, -13, "whole")));
        var fare = BsonJson.FromBson<Fare>(BsonJson.ToBson(new Fare(long.MinValue, "EUR")));

        Assert.Equal(new Place(52, -13, "whole"), back);
        Assert.Equal(long.MinValue, fare.AmountMinor);
    }

    [Fact]
    public void Stored_fields_are_camel_case_with_enums_and_dates_as_strings()
    {
        var data = BsonJson.ToBson(Trip.For("rider-1", TripStatus.DriverAssigned));

        Assert.Equal("rider-1", data["riderId"].AsString);
        Assert.Equal("driverAssigned", data["status"].AsString);
        Assert.Equal("2025-03-01T08:30:00+01:00", data["requestedAt"].AsString);
        Assert.Equal(BsonType.Array, data["stops"].BsonType);
        Assert.Equal(52.52, data["stops"][0]["lat"].AsDouble);
    }
}
