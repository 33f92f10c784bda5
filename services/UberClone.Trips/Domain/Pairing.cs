namespace UberClone.Trips.Domain;

/// <summary>
/// Who is never matched again: a rider and a driver one of whom gave the other the lowest rating (one star), as the
/// production apps promise ("you won't be paired with this driver again"). Decided from the rider's trips, so it needs
/// nothing stored besides the ratings themselves.
/// </summary>
public static class Pairing
{
    public const int AvoidAtStars = Trip.MinStars;

    /// <summary>How many of a rider's newest trips are looked at.</summary>
    public const int TripsLookedAt = 200;

    /// <summary>The drivers a rider rated one star, or who rated the rider one star, in <paramref name="ridersTrips"/>.</summary>
    public static IReadOnlyList<string> DriversToAvoid(IEnumerable<Trip> ridersTrips) =>
        ridersTrips
            .Where(t => t.DriverId is not null && (t.DriverRating?.Stars == AvoidAtStars || t.RiderRating?.Stars == AvoidAtStars))
            .Select(t => t.DriverId!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
