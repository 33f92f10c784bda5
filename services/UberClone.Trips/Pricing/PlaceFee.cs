using UberClone.Contracts;

namespace UberClone.Trips.Pricing;

/// <summary>
/// A fixed fee a place charges on rides that start or end in it (ADR 0037: an airport's surcharge, a congestion zone),
/// bound from <c>Pricing:PlaceFees</c> (the default prices') or <c>Pricing:Areas:{i}:PlaceFees</c> (an area's), in the
/// currency of those prices. The rider pays it and the platform passes it on: it is not surged, not part of the
/// minimum fare, not discounted, and not the driver's.
/// </summary>
public sealed class PlaceFee : MapPlace
{
    /// <summary>What the rider reads on the quote and the receipt: "BER Airport fee".</summary>
    public string Name { get; set; } = "";
    /// <summary>Charged when the pickup is in the place, in the prices' currency's minor units.</summary>
    public long PickupMinor { get; set; }
    /// <summary>Charged when the drop-off is in the place.</summary>
    public long DropoffMinor { get; set; }

    /// <summary>The longest name a receipt line shows whole.</summary>
    public const int MaxNameLength = 60;

    /// <summary>What is wrong with the fee (null: nothing), naming it as <paramref name="setting"/> says (e.g. "Pricing:PlaceFees:0").</summary>
    public string? Problem(string setting)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength) return $"{setting} needs a Name of at most {MaxNameLength} characters (shown to riders: \"BER Airport fee\").";
        var named = $"{setting} '{Name}'";
        if (ShapeProblem(named) is { } shape) return shape;
        if (PickupMinor < 0 || DropoffMinor < 0) return $"{named} PickupMinor and DropoffMinor must not be negative.";
        if (PickupMinor == 0 && DropoffMinor == 0) return $"{named} needs PickupMinor or DropoffMinor above 0.";
        return null;
    }

    /// <summary>
    /// The place fees of a ride from <paramref name="pickup"/> to <paramref name="dropoff"/> under <paramref name="fees"/>
    /// (those of the prices at the pickup): each fee whose place holds the pickup charges its pickup part, each whose
    /// place holds the drop-off its drop-off part, one line a fee (a place holding both charges both, on one line). Stops
    /// on the way charge nothing. In the order the fees are configured.
    /// </summary>
    public static IReadOnlyList<PlaceFeeCharge> Charges(IEnumerable<PlaceFee> fees, GeoPoint pickup, GeoPoint dropoff) =>
        [.. fees
            .Select(f => new PlaceFeeCharge(f.Name, (f.Contains(pickup) ? f.PickupMinor : 0) + (f.Contains(dropoff) ? f.DropoffMinor : 0)))
            .Where(c => c.AmountMinor > 0)];
}

/// <summary>A place fee on a fare: its name as configured and what it adds, in the fare's currency's minor units.</summary>
public sealed record PlaceFeeCharge(string Name, long AmountMinor);
