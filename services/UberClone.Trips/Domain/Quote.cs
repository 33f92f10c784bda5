using UberClone.Contracts;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Domain;

/// <summary>One class's price; <paramref name="Promotion"/>: the rider's best promotion on it (the price is before it).</summary>
public sealed record QuoteOption(string VehicleClass, long PriceMinor, string Currency, double SurgeMultiplier, FareBreakdown? Breakdown = null, long WaitPerMinuteMinor = 0,
    PromotionOffer? Promotion = null);

/// <summary>Prices for a route, valid for one rider until it expires. Booking turns one option into the fare.</summary>
public sealed record Quote
{
    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required GeoPoint Pickup { get; init; }
    public required GeoPoint Dropoff { get; init; }
    /// <summary>Stops on the way, in order (ADR 0023); the route and prices go through them.</summary>
    public IReadOnlyList<GeoPoint> Stops { get; init; } = [];
    /// <summary>The pickup's area's late-cancellation fee (null: the rules' default), copied into the trip booked.</summary>
    public long? CancellationFeeMinor { get; init; }
    /// <summary>What a ride with a pet costs more with the pickup's prices (ADR 0041), copied into a trip booked with a pet; 0: pets are not taken.</summary>
    public long PetFeeMinor { get; init; }
    /// <summary>The pickup's prices take cash (ADR 0042), copied from them when quoted: a trip booked from it may be paid in cash.</summary>
    public bool CashAccepted { get; init; }
    /// <summary>The pickup's prices offer wheelchair-accessible vehicles (ADR 0045), copied from them when quoted; no surcharge.</summary>
    public bool WheelchairAccessible { get; init; }
    public required int DistanceMeters { get; init; }
    public required int DurationSeconds { get; init; }
    public required IReadOnlyList<QuoteOption> Options { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    public const string ExpiresAtField = "expiresAtMs";

    /// <summary>Indexed, so quotes past their retention can be deleted in order.</summary>
    public long ExpiresAtMs => ExpiresAt.ToUnixTimeMilliseconds();

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public QuoteOption? OptionFor(string vehicleClass) => Options.FirstOrDefault(o => o.VehicleClass == vehicleClass);
}
