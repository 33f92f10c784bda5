using System.Text.Json;

namespace UberClone.Storage.Tests;

public enum TripStatus
{
    Requested,
    DriverAssigned,
    Completed,
}

public sealed record Place(double Lat, double Lng, string Label);

public sealed record Fare(long AmountMinor, string Currency);

public sealed record Trip(
    string RiderId,
    TripStatus Status,
    long DistanceMetres,
    double SurgeMultiplier,
    DateTimeOffset RequestedAt,
    IReadOnlyList<Place> Stops,
    Fare? Fare = null,
    string? DriverId = null)
{
    public static Trip For(string riderId, TripStatus status = TripStatus.Requested) => new(
        riderId, status, 4_200, 1.25, new DateTimeOffset(2025, 3, 1, 8, 30, 0, TimeSpan.FromHours(1)),
        [new Place(52.52, 13.405, "pickup"), new Place(52.5163, 13.3777, "drop-off")]);
}

public sealed record Payment(string TripId, long AmountMinor);

/// <summary>Something due at a time kept as Unix milliseconds (null: not due at all).</summary>
public sealed record Timer(string Name, long? DueAt);

/// <summary>The same field holding a string, which a numeric range must not match.</summary>
public sealed record TimerWithTextDue(string Name, string DueAt);

internal static class Documents
{
    public static OutboxMessage Message(string topic = "trip.event.created", string key = "trip-1", string? traceParent = null) => new(
        Guid.NewGuid().ToString("N"), topic, key, "TripCreatedIntegrationEvent", $$"""{"topic":"{{topic}}"}""",
        traceParent, DateTimeOffset.UtcNow);

    /// <summary>Compares documents by their stored JSON: records holding lists compare lists by reference.</summary>
    public static void AssertSame<T>(T expected, T? actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, StorageJson.Options), JsonSerializer.Serialize(actual, StorageJson.Options));
}
