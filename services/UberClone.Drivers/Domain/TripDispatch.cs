using System.Text.Json.Serialization;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Drivers.Domain;

public static class DispatchStatus
{
    public const string Searching = "searching";
    public const string Offered = "offered";
    public const string Assigned = "assigned";
    public const string NoDriversFound = "no_drivers_found";
    public const string Cancelled = "cancelled";
}

public sealed record PendingOffer(string OfferId, string DriverId, DateTimeOffset ExpiresAt);

/// <summary>
/// The search for a driver for one trip. It holds at most one pending offer; drivers who declined or let an
/// offer expire are excluded for the rest of the search. Persisted, so timers survive a restart.
/// </summary>
public sealed record TripDispatch
{
    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required string VehicleClass { get; init; }
    public required GeoPoint Pickup { get; init; }
    public required GeoPoint Dropoff { get; init; }
    /// <summary>Stops on the way, in order (ADR 0023), shown with the offer; none on searches stored before.</summary>
    public IReadOnlyList<GeoPoint> Stops { get; init; } = [];
    /// <summary>Who to pick up when the rider booked for someone else, and the rider's note, as booked (ADR 0031), shown with the offer.</summary>
    public string? PassengerName { get; init; }
    public string? PickupNote { get; init; }
    /// <summary>The rider brings a pet (ADR 0041): only drivers who welcome pets are offered it; searches stored before have none.</summary>
    public bool WithPet { get; init; }
    /// <summary>The rider pays in cash (ADR 0042): only drivers who accept cash are offered it; searches stored before are not.</summary>
    public bool PayInCash { get; init; }
    /// <summary>The rider needs a wheelchair-accessible vehicle (ADR 0045): only drivers approved as such are offered it; searches stored before do not.</summary>
    public bool WheelchairAccessible { get; init; }
    /// <summary>What the ride needs of its driver, as <see cref="Driver.Takes(RideNeeds)"/> asks it.</summary>
    [JsonIgnore]
    public RideNeeds Needs => new(WithPet, PayInCash, WheelchairAccessible);
    public required long FareMinor { get; init; }
    public required string Currency { get; init; }
    /// <summary>The trip's route length and time, for the offer (0 on searches stored before they were kept).</summary>
    public int DistanceMeters { get; init; }
    public int DurationSeconds { get; init; }
    /// <summary>Drivers' ratings of the rider when they booked (0 and 0: none yet), shown with the offer.</summary>
    public double RiderRatingAverage { get; init; }
    public int RiderRatingCount { get; init; }
    /// <summary>The rider's wishes (ADR 0049), shown with the offer and never searched by; null: none.</summary>
    public TripPreferences? Preferences { get; init; }
    public required string Status { get; init; }
    public IReadOnlyList<string> ExcludedDrivers { get; init; } = [];
    /// <summary>
    /// The driver who reserved this ride booked for later (ADR 0047): offered it first, and only them, while they can take
    /// it; once they declined or missed it (excluded) or cannot take it, the search goes on as any.
    /// </summary>
    public string? ReservedDriverId { get; init; }
    /// <summary>A ride booked for later: its pickup time, passed on when no driver is found (its rider is mailed then).</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    public PendingOffer? Offer { get; init; }
    public string? AssignedDriverId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset GiveUpAt { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    /// <summary>Searches that found nobody; each one widens the radius.</summary>
    public int EmptySearches { get; init; }
    /// <summary>The W3C trace context the search began in (the booking's), so later steps on a timer join its trace.</summary>
    public string? TraceParent { get; init; }
    /// <summary>
    /// The partition of trip.event.created the search began from (null when unknown: stored by an older version, or
    /// started without Kafka). The replica holding that partition runs the search's timers.
    /// </summary>
    public int? Partition { get; init; }

    public bool IsOpen => Status is DispatchStatus.Searching or DispatchStatus.Offered;

    /// <summary>
    /// The rider changed their note (ADR 0031): every offer from now on shows it — also those of a search reopened after
    /// the assigned driver gave the trip up. The same note again is the same instance.
    /// </summary>
    public TripDispatch WithPickupNote(string? note) => note == PickupNote ? this : this with { PickupNote = note };

    /// <summary>
    /// The rider changed the ride's preferences (ADR 0049): every offer from now on shows them, as a new note. The same
    /// preferences again are the same instance.
    /// </summary>
    public TripDispatch WithPreferences(TripPreferences? preferences) => preferences == Preferences ? this : this with { Preferences = preferences };

    /// <summary>
    /// When the sweeper must next look at this search, in Unix milliseconds; null once it is over. Stored and indexed
    /// (<see cref="DueField"/>), so the sweeper reads only what is due, oldest first, however many searches are open:
    /// an offer at its deadline, a search at its next attempt or, if earlier, its search deadline.
    /// </summary>
    public long? DueAt => Status switch
    {
        DispatchStatus.Offered => NextAttemptAt.ToUnixTimeMilliseconds(),
        DispatchStatus.Searching => (NextAttemptAt < GiveUpAt ? NextAttemptAt : GiveUpAt).ToUnixTimeMilliseconds(),
        _ => null,
    };

    /// <summary>The stored name of <see cref="DueAt"/>.</summary>
    public const string DueField = "dueAt";

    /// <summary>
    /// When a search that is over began, in Unix milliseconds; null while it is open. Stored and indexed
    /// (<see cref="ClosedStartedAtField"/>) so closed searches can be deleted after their retention and open ones never are.
    /// </summary>
    public long? ClosedStartedAtMs => IsOpen ? null : StartedAt.ToUnixTimeMilliseconds();

    /// <summary>The stored name of <see cref="ClosedStartedAtMs"/>.</summary>
    public const string ClosedStartedAtField = "closedStartedAtMs";

    /// <summary>
    /// <see cref="DueAt"/> in its partition's band (<see cref="PartitionBand"/>): stored and indexed
    /// (<see cref="PartitionDueField"/>), so a replica's sweeper reads what is due in the partitions it holds, and
    /// another replica's due searches never stand in front of its own. Searches without a partition share band 0.
    /// </summary>
    public long? PartitionDueAt => DueAt is { } due ? PartitionBand(Partition) + due : null;

    /// <summary>The stored name of <see cref="PartitionDueAt"/>.</summary>
    public const string PartitionDueField = "partitionDueAt";

    /// <summary>
    /// Where a partition's due times start: (partition + 1) × 2^42 ms (2^42 ms is 139 years from 1970, so the bands never
    /// overlap before 2109); 0 for a search without a partition. Room for 2 million partitions.
    /// </summary>
    public static long PartitionBand(int? partition) => partition is { } p and >= 0 ? (p + 1L) << 42 : 0;

    public bool IsDue(DateTimeOffset now) => DueAt is { } due && due <= now.ToUnixTimeMilliseconds();

    public TripDispatch OfferTo(PendingOffer offer) =>
        this with { Status = DispatchStatus.Offered, Offer = offer, NextAttemptAt = offer.ExpiresAt };

    /// <summary>The pending offer ended without an accept: exclude that driver and search again now.</summary>
    public TripDispatch OfferEnded(string offerId, DateTimeOffset now) =>
        Offer?.OfferId != offerId
            ? this
            : this with
            {
                Status = DispatchStatus.Searching,
                ExcludedDrivers = [.. ExcludedDrivers, Offer.DriverId],
                Offer = null,
                NextAttemptAt = now,
            };

    /// <summary>The offer could not be made (the driver was taken meanwhile): search again without excluding them.</summary>
    public TripDispatch RetractOffer(string offerId, DateTimeOffset now) =>
        Offer?.OfferId != offerId ? this : this with { Status = DispatchStatus.Searching, Offer = null, NextAttemptAt = now };

    public TripDispatch RetryLater(DateTimeOffset at) =>
        this with { Status = DispatchStatus.Searching, Offer = null, NextAttemptAt = at, EmptySearches = EmptySearches + 1 };

    /// <summary>A step on a timer failed: try again at <paramref name="at"/> (a pending offer stays pending).</summary>
    public TripDispatch PutOff(DateTimeOffset at) => IsOpen && NextAttemptAt < at ? this with { NextAttemptAt = at } : this;

    /// <summary>Only an open search can be won; a cancelled or given-up one stays as it is.</summary>
    public TripDispatch Assign(string driverId) =>
        !IsOpen ? this : this with { Status = DispatchStatus.Assigned, AssignedDriverId = driverId, Offer = null };

    /// <summary>
    /// A cancellation that overtook trip.event.created (they travel on different topics): the record exists already
    /// cancelled, so the late created event starts no search.
    /// </summary>
    public static TripDispatch CancelledBeforeStart(string tripId, string riderId, DateTimeOffset now) => new()
    {
        Id = tripId, RiderId = riderId, VehicleClass = "", Pickup = new GeoPoint(0, 0), Dropoff = new GeoPoint(0, 0),
        FareMinor = 0, Currency = "", Status = DispatchStatus.Cancelled, StartedAt = now, GiveUpAt = now, NextAttemptAt = now,
    };

    /// <summary>The rider cancelled: the search stops for good (a pending offer is withdrawn by the caller).</summary>
    public TripDispatch Cancel() =>
        Status == DispatchStatus.Cancelled ? this : this with { Status = DispatchStatus.Cancelled, Offer = null };

    /// <summary>
    /// The assigned driver gave the trip up: search again from the smallest radius, without them, with a fresh
    /// search deadline. Repeating it for the same driver changes nothing.
    /// </summary>
    public TripDispatch Reopen(string driverId, DateTimeOffset now, TimeSpan searchTimeout) =>
        Status != DispatchStatus.Assigned || AssignedDriverId != driverId
            ? this
            : this with
            {
                Status = DispatchStatus.Searching,
                AssignedDriverId = null,
                ExcludedDrivers = ExcludedDrivers.Contains(driverId) ? ExcludedDrivers : [.. ExcludedDrivers, driverId],
                EmptySearches = 0,
                GiveUpAt = now + searchTimeout,
                NextAttemptAt = now,
            };

    public TripDispatch GiveUp() =>
        Status == DispatchStatus.NoDriversFound ? this : this with { Status = DispatchStatus.NoDriversFound, Offer = null };
}
