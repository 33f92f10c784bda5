namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// An offer of a trip to one driver, with a deadline. Pushed to that driver's sockets by the gateway. The trip's
/// route length and time and the rider's rating (drivers' ratings of them) are what the driver weighs it by (0 when
/// unknown, or no rating yet). <paramref name="PassengerName"/>: the rider booked it for someone else, who the driver
/// picks up; <paramref name="PickupNote"/>: the rider's note for the driver (ADR 0031); <paramref name="WithPet"/>: the
/// rider brings a pet (ADR 0041; only drivers who welcome pets are offered such a trip); <paramref name="PayInCash"/>: the
/// rider pays in cash (ADR 0042; only drivers who accept cash are offered it); <paramref name="WheelchairAccessible"/>: the
/// rider needs a wheelchair-accessible vehicle (ADR 0045; only drivers whose vehicle is approved as such are offered it);
/// <paramref name="Preferences"/>: the rider's wishes for the ride (ADR 0049; shown, never filtered by).
/// <paramref name="Reserved"/>: the driver reserved this ride booked for later (ADR 0047), "Your reserved ride".
/// </summary>
public sealed record DriverTripRequestCommand(
    string OfferId, string TripId, string DriverId, string RiderId, string VehicleClass,
    GeoPoint Pickup, GeoPoint Dropoff, long FareMinor, string Currency, int PickupDistanceMeters, DateTimeOffset ExpiresAt,
    int TripDistanceMeters = 0, int TripDurationSeconds = 0, double RiderRatingAverage = 0, int RiderRatingCount = 0,
    IReadOnlyList<GeoPoint>? Stops = null, string? PassengerName = null, string? PickupNote = null, bool WithPet = false, bool PayInCash = false,
    bool WheelchairAccessible = false, TripPreferences? Preferences = null, bool Reserved = false);

/// <summary>The driver accepted the offer (validated by drivers); trips assigns the driver.</summary>
public sealed record DriverTripAcceptCommand(
    string OfferId, string TripId, string DriverId, string RiderId, GeoPoint? DriverLocation, DateTimeOffset AcceptedAt);

public sealed record DriverTripDeclineCommand(string OfferId, string TripId, string DriverId, string Reason, DateTimeOffset At);

/// <summary>
/// A live position of a driver on a trip, for its rider, with the ETA to the pickup (before the ride starts) and to
/// the drop-off, in seconds: one item of <see cref="DriverLocationsUpdatedIntegrationEvent"/>, and what the rider's
/// socket receives. (Available drivers' positions are not sent: see <see cref="DriverSupplyReportedIntegrationEvent"/>.)
/// </summary>
public sealed record DriverLocationUpdatedIntegrationEvent(
    string DriverId, GeoPoint Location, double? Heading, DateTimeOffset RecordedAt, string? TripId, string? RiderId,
    int? PickupEtaSeconds = null, int? DropoffEtaSeconds = null);

/// <summary>
/// On-trip positions, many drivers per message (driver.event.locations_updated): every position a drivers replica
/// accepted from drivers on a trip while its previous message was on its way (up to 1,000). Positions of one driver
/// may arrive out of order across messages: a receiver keeps the newest by <c>RecordedAt</c>.
/// </summary>
public sealed record DriverLocationsUpdatedIntegrationEvent(IReadOnlyList<DriverLocationUpdatedIntegrationEvent> Locations);

/// <summary>Whether a driver could take a trip, where and when: one fact of surge pricing's supply side.</summary>
public sealed record DriverSupplyReport(string DriverId, GeoPoint Location, bool Available, DateTimeOffset At)
{
    public bool IsValid => !string.IsNullOrEmpty(DriverId) && Location is { Lat: >= -90 and <= 90, Lng: >= -180 and <= 180 };
}

/// <summary>
/// Surge supply, many drivers per message (driver.event.supply): each report says whether a driver was available at a
/// place and time. A driver is reported at once when their availability changes (online, an offer, its end, a trip's
/// end, offline), and every 15 s while it stays the same and they keep pinging.
/// </summary>
public sealed record DriverSupplyReportedIntegrationEvent(IReadOnlyList<DriverSupplyReport> Reports);

/// <summary>A pending offer was taken back (the trip was cancelled): the driver's screen drops it.</summary>
public sealed record DriverOfferWithdrawnIntegrationEvent(string OfferId, string TripId, string DriverId, string RiderId, string Reason, DateTimeOffset At);

/// <summary>
/// The service took an available driver offline because it had no position from them for too long (the app closed, the
/// phone lost its connection): their screen says why, and they are not offered trips until they go online again.
/// </summary>
public sealed record DriverWentOfflineIntegrationEvent(string DriverId, string Reason, DateTimeOffset At);

/// <summary>
/// The driver's state as a change left it, for all their open apps (another tab, another phone): <paramref name="State"/>
/// (offline | available | offered | on_trip), whether they go offline when the trip they are on ends
/// (<paramref name="OfflineAfterTrip"/>: they stopped new requests, or the service said so, <paramref name="OfflineAfterTripReason"/>),
/// and why the service took them offline (<paramref name="OfflineReason"/>). <paramref name="Revision"/> orders a driver's
/// changes. Written with the change: going online or offline, stopping new requests during a trip and taking it back.
/// </summary>
public sealed record DriverStateChangedIntegrationEvent(string DriverId, string State, bool OfflineAfterTrip, string? OfflineAfterTripReason, string? OfflineReason,
    long Revision, DateTimeOffset At);

/// <summary>
/// The driver has been online <paramref name="OnlineSeconds"/> of the <paramref name="MaxOnlineSeconds"/> a working
/// period allows (ADR 0026): at <paramref name="LimitAt"/> (if they stay online) they are offered nothing more, finish
/// the trip they are on and rest <paramref name="RestSeconds"/>. Sent once per working period.
/// </summary>
public sealed record DriverDrivingLimitNearIntegrationEvent(string DriverId, long OnlineSeconds, long MaxOnlineSeconds, long RestSeconds,
    DateTimeOffset LimitAt, string Message, DateTimeOffset At);

/// <summary>
/// The driver's place in an airport queue changed (ADR 0036): <paramref name="Position"/> of <paramref name="Size"/>
/// drivers of their class waiting in <paramref name="QueueName"/>'s lot; a <paramref name="Position"/> of 0 says they
/// left that queue (drove out of the lot, took a trip, went offline). Sent only to drivers whose place changed.
/// <paramref name="PlaceKept"/>: back from a short trip, they were put at their old place. <paramref name="DeclinesAllowed"/>
/// and <paramref name="DeclinesUsed"/>: the queue's allowance of offers turned down without losing the place (0: none).
/// <paramref name="ReturnBy"/> (with position 0): a short trip from the queue just ended, and entering its lot by then
/// puts them back at their old place. Older publishers send none of these (defaults).
/// </summary>
public sealed record DriverQueuePositionIntegrationEvent(
    string DriverId, string QueueId, string QueueName, int Position, int Size, DateTimeOffset At,
    bool PlaceKept = false, int DeclinesAllowed = 0, int DeclinesUsed = 0, DateTimeOffset? ReturnBy = null);
