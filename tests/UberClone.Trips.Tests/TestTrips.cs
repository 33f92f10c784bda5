using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>Trips for the money tests: a fare of 1,500 with a booking fee of 200, driver d1, rider r1, PIN 4321.</summary>
internal static class TestTrips
{
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    public static readonly GeoPoint Pickup = new(52.52, 13.40);
    public static readonly TripRules Rules = new();

    /// <summary>In progress with driver d1.</summary>
    public static Trip InProgress(string id = "t1", string currency = "USD", DateTimeOffset? at = null)
    {
        var now = at ?? Now;
        return Assigned(id, currency, now)
            .Arrive("d1", new GeoPoint(52.5201, 13.40), Rules, now.AddMinutes(3))
            .Start("d1", "4321", now.AddMinutes(4), out _);
    }

    /// <summary>Driver d1 assigned 10 s after <paramref name="at"/> (<see cref="Now"/>), on the way to the pickup.</summary>
    public static Trip Assigned(string id = "t1", string currency = "USD", DateTimeOffset? at = null)
    {
        var now = at ?? Now;
        var breakdown = new FareBreakdown(250, 700, 350, 0, 0, 200);
        var quote = new Quote
        {
            Id = "q" + id, RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(52.50, 13.45),
            DistanceMeters = 5_000, DurationSeconds = 600, CreatedAt = now, ExpiresAt = now.AddMinutes(10),
            Options = [new QuoteOption("economy", breakdown.TotalMinor, currency, 1.0, breakdown)],
        };
        return Trip.Request(id, "r1", quote, quote.Options[0], "4321", now).AssignDriver("d1", null, now.AddSeconds(10));
    }

    /// <summary>Completed 20 minutes after <see cref="Now"/>: payment attempt 1 pending, the driver earned 975.</summary>
    public static Trip Completed() => InProgress().Complete("d1", Rules, Now.AddMinutes(20));
}
