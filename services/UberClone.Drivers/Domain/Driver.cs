using System.Text.Json.Serialization;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;

namespace UberClone.Drivers.Domain;

public sealed record Offer(string OfferId, string TripId, string RiderId, DateTimeOffset ExpiresAt, GeoPoint? Pickup = null, GeoPoint? Dropoff = null)
{
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>
    /// What the driver is shown, kept with the offer so a driver whose app reloads or reconnects sees it again: the
    /// class, the fare, how far the pickup was when offered and the trip's length (0 and "" on offers stored before).
    /// </summary>
    public string VehicleClass { get; init; } = "";
    public long FareMinor { get; init; }
    public string Currency { get; init; } = "";
    public int PickupDistanceMeters { get; init; }
    public int TripDistanceMeters { get; init; }
    public int TripDurationSeconds { get; init; }
    /// <summary>Drivers' ratings of the rider (0 and 0: none yet).</summary>
    public double RiderRatingAverage { get; init; }
    public int RiderRatingCount { get; init; }
    /// <summary>Stops on the way, in order (ADR 0023); null when none (a value, not a list, keeps the record's equality).</summary>
    public IReadOnlyList<GeoPoint>? Stops { get; init; }
    /// <summary>Who to pick up when the rider booked for someone else (null: the rider), and the rider's note (ADR 0031).</summary>
    public string? PassengerName { get; init; }
    public string? PickupNote { get; init; }
    /// <summary>The rider brings a pet (ADR 0041): offered only to a driver who welcomes pets.</summary>
    public bool WithPet { get; init; }
    /// <summary>The rider pays in cash (ADR 0042): offered only to a driver who accepts cash.</summary>
    public bool PayInCash { get; init; }
    /// <summary>The rider needs a wheelchair-accessible vehicle (ADR 0045): offered only to a driver whose vehicle is approved as such.</summary>
    public bool WheelchairAccessible { get; init; }
    /// <summary>The rider's wishes for the ride (ADR 0049): shown, never a reason to offer it or not; null: none.</summary>
    public TripPreferences? Preferences { get; init; }
    /// <summary>The driver reserved this ride booked for later (ADR 0047): it is offered to them first, "Your reserved ride".</summary>
    public bool Reserved { get; init; }
    /// <summary>The airport queue it was offered from, the driver waiting in it (ADR 0036); null: any other offer.</summary>
    public string? QueueId { get; init; }
}

/// <summary>
/// A driver took trip <paramref name="TripId"/> from the airport queue <paramref name="QueueId"/>, where they waited since
/// <paramref name="QueuedAt"/>: a short one gives them that place back (<see cref="QueueReturn"/>).
/// </summary>
public sealed record QueueDeparture(string QueueId, DateTimeOffset QueuedAt, string TripId);

/// <summary>
/// A pass back to the airport queue <paramref name="QueueId"/> (<paramref name="Name"/>: what the app says) after a short
/// trip from it: entering its lot by <paramref name="Until"/> puts the driver at their old place, <paramref name="QueuedAt"/>.
/// </summary>
public sealed record QueueReturn(string QueueId, string Name, DateTimeOffset QueuedAt, DateTimeOffset Until)
{
    public bool IsValidAt(DateTimeOffset now) => now <= Until;
}

/// <summary>
/// A driver's cash balance in one currency as payments last said (ADR 0042, <c>payment.event.driver_cash_limit</c>):
/// <see cref="Reached"/> while they owe more than <see cref="LimitMinor"/> from cash rides (<see cref="OwedMinor"/> at that
/// crossing). <see cref="Crossing"/> orders payments' decisions.
/// </summary>
public sealed record CashLimitState(string Currency, bool Reached, long OwedMinor, long LimitMinor, int Crossing, DateTimeOffset At);

/// <summary>
/// A driver: offline → available → offered → on_trip → available. One offer at a time; every transition is
/// safe to repeat (the same instance comes back when it already happened) and throws when it is not allowed.
/// </summary>
public sealed record Driver
{
    public required string Id { get; init; }
    public required string State { get; init; }
    public required string VehicleClass { get; init; }
    public GeoPoint? Location { get; init; }
    public DateTimeOffset? LocationAt { get; init; }
    public Offer? Offer { get; init; }
    /// <summary>The last offer that ended without an accept, so a late answer to it gets "expired", not "never offered".</summary>
    public Offer? EndedOffer { get; init; }
    public string? CurrentTripId { get; init; }
    public string? CurrentRiderId { get; init; }
    public GeoPoint? TripPickup { get; init; }
    public GeoPoint? TripDropoff { get; init; }
    /// <summary>The trip's stops on the way (ADR 0023) and how many the driver reached: the drop-off ETA goes through the rest.</summary>
    public IReadOnlyList<GeoPoint>? TripStops { get; init; }
    public int TripStopsReached { get; init; }

    /// <summary>Where the car still goes before the drop-off, in order.</summary>
    [JsonIgnore]
    public IEnumerable<GeoPoint> StopsAhead => (TripStops ?? []).Skip(TripStopsReached);
    /// <summary>The rider is on board: the rider's ETA is to the drop-off, not the pickup.</summary>
    public bool RideStarted { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>
    /// How many times this driver's state changed: orders copies of the record (drivers replicas tell each other). A
    /// stored position does not count: positions travel as fixes ordered by their time, and a replica seeing a fix sent
    /// at a higher revision than its copy knows it missed a state change.
    /// </summary>
    public long Revision { get; init; }
    /// <summary>Why the service took the driver offline (<see cref="TakeOfflineIfSilent"/>); null when they went offline themselves.</summary>
    public string? OfflineReason { get; init; }
    /// <summary>
    /// Set on a driver on a trip who must not be offered another one (their account was suspended mid-ride): when the
    /// trip ends they go offline with this reason instead of becoming available. Going online again clears it.
    /// </summary>
    public string? OfflineAfterTrip { get; init; }
    /// <summary>
    /// The driver stopped new requests while on a trip (the end of their shift): when it ends they go offline instead of
    /// getting another. Their own choice, so going online again ("Keep receiving requests") clears it.
    /// </summary>
    public bool StopsAfterTrip { get; init; }
    /// <summary>Whether the driver goes offline when the trip they are on ends (their own choice, or the service's reason).</summary>
    public bool GoesOfflineAfterTrip => State == DriverStates.OnTrip && (StopsAfterTrip || OfflineAfterTrip is not null);
    /// <summary>
    /// "Pets welcome" (ADR 0041): the driver takes rides with a pet, and only such drivers are offered them. Their own
    /// setting, kept across going offline and online; drivers stored before do not.
    /// </summary>
    public bool PetsWelcome { get; init; }
    /// <summary>
    /// The driver turned "Accept cash rides" off (ADR 0042): rides paid in cash are not offered to them. Stored as the
    /// refusal so drivers stored before, and new ones, accept cash.
    /// </summary>
    public bool DeclinesCash { get; init; }
    public bool AcceptsCash => !DeclinesCash;
    /// <summary>
    /// What payments last said of the driver's cash balance in each currency (ADR 0042): past the limit of what they may
    /// owe from cash rides, or back under it. Null for drivers never past it.
    /// </summary>
    public IReadOnlyList<CashLimitState>? CashLimits { get; init; }
    /// <summary>Past the cash limit in some currency: no cash rides are offered, whatever <see cref="AcceptsCash"/> says.</summary>
    [JsonIgnore]
    public bool CashPaused => CashLimits?.Any(c => c.Reached) ?? false;
    /// <summary>
    /// Support approved the driver's vehicle as wheelchair accessible (ADR 0045; from <c>account.event.driver_approval</c>,
    /// not the driver's to set): only such drivers are offered wheelchair-accessible rides. Drivers stored before are not.
    /// </summary>
    public bool WheelchairAccessible { get; init; }
    /// <summary>Set while the driver wants only trips towards a place (<see cref="Domain.HeadingTo"/>).</summary>
    public HeadingTo? HeadingTo { get; init; }
    /// <summary>How many destinations the driver set on <see cref="DestinationsDay"/> (a UTC day).</summary>
    public int DestinationsSet { get; init; }
    public DateOnly? DestinationsDay { get; init; }
    /// <summary>
    /// How the driver answered their last <see cref="OfferRecord.Kept"/> offers, oldest first: one letter each (A accepted,
    /// D declined, M missed). An offer withdrawn because its trip was cancelled is not theirs to answer and is not kept.
    /// </summary>
    public string RecentOffers { get; init; } = "";

    /// <summary>When the driver's current time online began (null while offline, and for drivers online before it was kept).</summary>
    public DateTimeOffset? OnlineSince { get; init; }
    /// <summary>Time online in the current working period before <see cref="OnlineSince"/> (ADR 0026): a rest of <see cref="DrivingLimits.Rest"/> ends it.</summary>
    public TimeSpan OnlineBefore { get; init; }
    /// <summary>When the driver last went (or was taken) offline.</summary>
    public DateTimeOffset? OfflineSince { get; init; }
    /// <summary>When the driver was told the driving limit is near, in the current working period (null: not yet).</summary>
    public DateTimeOffset? DrivingLimitWarnedAt { get; init; }

    /// <summary>
    /// The airport queue the driver waits in (ADR 0036; null: none) and since when, which orders it: every replica holds
    /// the record, so every replica computes the same queue from it. Set by a position in the queue's lot while available,
    /// cleared by a position outside it, an accepted trip or going offline; a declined or missed offer moves the time to then.
    /// </summary>
    public string? QueueId { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    /// <summary>
    /// The recorded time of the position that last moved the driver into or out of a lot: a duplicate or older one
    /// (arriving late, through another replica) changes nothing.
    /// </summary>
    public DateTimeOffset? QueueFixAt { get; init; }
    /// <summary>Set while on a trip taken from a queue's offer: where they waited, for a pass back should it be short.</summary>
    public QueueDeparture? LeftQueueFor { get; init; }
    /// <summary>
    /// A short trip from a queue's pass back to it (null: none): used by entering its lot, lapsed after its deadline
    /// (judged when read, and at entry), dropped by going offline or accepting another trip.
    /// </summary>
    public QueueReturn? ReturnPass { get; init; }
    /// <summary>The driver re-entered the queue with a <see cref="ReturnPass"/>: at their old place, until they leave it or go to the back.</summary>
    public bool QueuePlaceKept { get; init; }
    /// <summary>Airport offers turned down (declined or missed) while waiting in the current queue; reset when they leave it.</summary>
    public int QueueDeclines { get; init; }

    /// <summary>The pass back to a queue if it has not lapsed at <paramref name="now"/>.</summary>
    public QueueReturn? ReturnPassAt(DateTimeOffset now) => ReturnPass is { } pass && pass.IsValidAt(now) ? pass : null;

    /// <summary>
    /// An accepted position recorded at <paramref name="fixAt"/> is in the lot of <paramref name="lotQueueId"/> (null: in
    /// none). An available driver not in that queue joins it at the back (a driver in another lot's queue moves to this
    /// one), or at their old place with a <see cref="ReturnPass"/> to it that has not lapsed (the pass is used); a driver
    /// in a queue whose position is outside its lot leaves it. Otherwise, and for a position no newer than the last that
    /// moved them, this same driver (nothing to write: the hot path writes only when this changes).
    /// </summary>
    public Driver AtLot(string? lotQueueId, DateTimeOffset fixAt, DateTimeOffset now)
    {
        if (lotQueueId == QueueId || (QueueFixAt is { } last && fixAt <= last)) return this;
        var joins = lotQueueId is not null && State == DriverStates.Available;
        if (!joins && QueueId is null) return this;
        var pass = joins && ReturnPass?.QueueId == lotQueueId ? ReturnPass : null;
        var kept = pass?.IsValidAt(now) == true;
        return this with
        {
            QueueId = joins ? lotQueueId : null, QueuedAt = joins ? (kept ? pass!.QueuedAt : now) : null, QueueFixAt = fixAt,
            // Entering its lot uses the pass, in time or not; one to another airport stays until it lapses.
            ReturnPass = pass is not null || ReturnPass?.IsValidAt(now) == false ? null : ReturnPass,
            QueuePlaceKept = kept, QueueDeclines = 0,
            UpdatedAt = now, Revision = Revision + 1,
        };
    }

    /// <summary>
    /// A driver in a queue who turned an offer down (or let it time out) waits at the back of it again, unless the queue
    /// allows <paramref name="declinesAllowed"/> and they have turned down fewer since they joined it (counted).
    /// </summary>
    private Driver ToBackOfQueue(DateTimeOffset now, int declinesAllowed) =>
        QueueId is null ? this
        : QueueDeclines < declinesAllowed ? this with { QueueDeclines = QueueDeclines + 1 }
        : this with { QueuedAt = now, QueuePlaceKept = false };

    /// <summary>
    /// Told once per working period that the limit is <paramref name="warning"/> away (ADR 0026): online, not on their way
    /// offline already, and between <c>MaxOnline - warning</c> and the limit. Otherwise this same driver (nothing to write).
    /// </summary>
    public Driver WarnDrivingLimit(DateTimeOffset now, DrivingLimits limits, TimeSpan warning)
    {
        if (State == DriverStates.Offline || OfflineAfterTrip is not null || StopsAfterTrip || DrivingLimitWarnedAt is not null) return this;
        var online = OnlineFor(now, limits);
        if (online < limits.MaxOnline - warning || online >= limits.MaxOnline) return this;
        return this with { DrivingLimitWarnedAt = now, UpdatedAt = now, Revision = Revision + 1 };
    }

    /// <summary>Time online in the current working period at <paramref name="now"/>: none after a rest of <see cref="DrivingLimits.Rest"/> offline.</summary>
    public TimeSpan OnlineFor(DateTimeOffset now, DrivingLimits limits) => State == DriverStates.Offline
        ? (OfflineSince is { } off && now - off >= limits.Rest ? TimeSpan.Zero : OnlineBefore)
        : OnlineBefore + (OnlineSince is { } since && now > since ? now - since : TimeSpan.Zero);

    /// <summary>
    /// Whether a trip taking <paramref name="trip"/> (to the pickup and the ride) ends before the driving limit: a driver
    /// near it is offered only trips they can finish within it (ADR 0026).
    /// </summary>
    public bool HasTimeFor(TimeSpan trip, DateTimeOffset now, DrivingLimits limits) => OnlineFor(now, limits) + trip <= limits.MaxOnline;

    /// <summary>When a driver who reached the limit may go online again (null: they may now).</summary>
    public DateTimeOffset? RestsUntil(DateTimeOffset now, DrivingLimits limits) =>
        State == DriverStates.Offline && OfflineSince is { } off && now - off < limits.Rest && OnlineBefore >= limits.MaxOnline ? off + limits.Rest : null;

    /// <summary>The same driver, offline from <paramref name="now"/>: the time just spent online is added to the period.</summary>
    private Driver WentOffline(DateTimeOffset now) => this with
    {
        OnlineBefore = OnlineBefore + (OnlineSince is { } since && now > since ? now - since : TimeSpan.Zero),
        OnlineSince = null,
        OfflineSince = now,
        QueueId = null,
        QueuedAt = null,
        QueuePlaceKept = false,
        QueueDeclines = 0,
        ReturnPass = null,
    };

    /// <summary>What the driver's answers to their recent offers come to (<see cref="RecentOffers"/>).</summary>
    public OfferRecord Offers => OfferRecord.Of(RecentOffers);

    public static Driver New(string id, string vehicleClass, DateTimeOffset now) =>
        new() { Id = id, State = DriverStates.Offline, VehicleClass = vehicleClass, UpdatedAt = now };

    /// <summary>
    /// Online (again) in <paramref name="vehicleClass"/>. From offline, a new working period starts after a rest of
    /// <see cref="DrivingLimits.Rest"/>; a driver who was online <see cref="DrivingLimits.MaxOnline"/> in this one is
    /// refused until the rest is over (ADR 0026).
    /// </summary>
    public Driver GoOnline(string vehicleClass, GeoPoint? location, DateTimeOffset now, DrivingLimits? limits = null)
    {
        if (State is DriverStates.Offered or DriverStates.OnTrip)
        {
            if (vehicleClass != VehicleClass) throw new DriverTransitionException("The vehicle class cannot change during an offer or a trip.");
            // "Keep receiving requests": a driver who stopped new requests during the trip changed their mind.
            return StopsAfterTrip ? this with { StopsAfterTrip = false, UpdatedAt = now, Revision = Revision + 1 } : this;
        }
        var rules = limits ?? DrivingLimits.Default;
        if (RestsUntil(now, rules) is { } until)
        {
            throw new DriverTransitionException(
                $"You have been online {DrivingLimits.Describe(rules.MaxOnline)} without a break of {DrivingLimits.Describe(rules.Rest)}: rest, and go online again from {until:HH:mm} UTC ({until:yyyy-MM-dd}).");
        }
        var starting = State == DriverStates.Offline;
        var newPeriod = starting && OnlineFor(now, rules) == TimeSpan.Zero;
        return this with
        {
            DrivingLimitWarnedAt = newPeriod ? null : DrivingLimitWarnedAt,
            OnlineBefore = starting ? OnlineFor(now, rules) : OnlineBefore,
            OnlineSince = starting ? now : OnlineSince ?? now,
            State = DriverStates.Available,
            VehicleClass = vehicleClass,
            Location = location ?? Location,
            LocationAt = location is null ? LocationAt : now,
            OfflineReason = null,
            OfflineAfterTrip = null,
            StopsAfterTrip = false,
            UpdatedAt = now, Revision = Revision + 1,
        };
    }

    /// <summary>
    /// The driver is on a trip and must get no more (<see cref="OfflineAfterTrip"/>): it ends as usual, then they are
    /// offline. A no-op for a driver not on a trip, or already marked.
    /// </summary>
    public Driver TakeOfflineAfterTrip(string reason, DateTimeOffset now) =>
        State == DriverStates.OnTrip && OfflineAfterTrip is null
            ? this with { OfflineAfterTrip = reason, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>
    /// An available driver goes offline: themselves (no <paramref name="reason"/>), or taken offline saying why. A driver
    /// on a trip who goes offline themselves stops new requests: they finish it, then are offline (<see cref="StopsAfterTrip"/>).
    /// </summary>
    public Driver GoOffline(DateTimeOffset now, string? reason = null) => State switch
    {
        DriverStates.Offline => this,
        DriverStates.Available => WentOffline(now) with { State = DriverStates.Offline, OfflineReason = reason, HeadingTo = null, UpdatedAt = now, Revision = Revision + 1 },
        DriverStates.OnTrip when reason is null => StopsAfterTrip ? this : this with { StopsAfterTrip = true, UpdatedAt = now, Revision = Revision + 1 },
        _ => throw new DriverTransitionException($"A driver who is {State} cannot go offline; finish or decline first."),
    };

    /// <summary>An offline driver's last position is forgotten (their account was deleted: <paramref name="reason"/>).</summary>
    public Driver ForgetPosition(string reason, DateTimeOffset now) => State switch
    {
        DriverStates.Offline when Location is null && LocationAt is null && OfflineReason == reason => this,
        DriverStates.Offline => this with { Location = null, LocationAt = null, OfflineReason = reason, UpdatedAt = now, Revision = Revision + 1 },
        _ => throw new DriverTransitionException($"A driver who is {State} keeps their position; go offline first."),
    };

    public Driver OfferTrip(Offer offer, DateTimeOffset now)
    {
        if (State == DriverStates.Offered && Offer?.OfferId == offer.OfferId) return this;
        if (State != DriverStates.Available) throw new DriverTransitionException($"Driver {Id} is {State}, not available.");
        return this with { State = DriverStates.Offered, Offer = offer, UpdatedAt = now, Revision = Revision + 1 };
    }

    /// <summary>
    /// The rider changed their note while <paramref name="offerId"/> waits for this driver's answer (ADR 0031): the offer
    /// shows the new one. Another offer, none, or the same note: nothing changes.
    /// </summary>
    public Driver OfferNoteChanged(string offerId, string? note, DateTimeOffset now) =>
        State == DriverStates.Offered && Offer is { } offer && offer.OfferId == offerId && offer.PickupNote != note
            ? this with { Offer = offer with { PickupNote = note }, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>
    /// The rider changed the ride's preferences while <paramref name="offerId"/> waits for this driver's answer (ADR 0049):
    /// the offer shows the new ones. Another offer, none, or the same preferences: nothing changes.
    /// </summary>
    public Driver OfferPreferencesChanged(string offerId, TripPreferences? preferences, DateTimeOffset now) =>
        State == DriverStates.Offered && Offer is { } offer && offer.OfferId == offerId && offer.Preferences != preferences
            ? this with { Offer = offer with { Preferences = preferences }, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    public Driver Accept(string tripId, DateTimeOffset now)
    {
        if (State == DriverStates.OnTrip && CurrentTripId == tripId) return this;
        if (State != DriverStates.Offered || Offer?.TripId != tripId) throw NoPendingOffer(tripId, now);
        if (Offer.IsExpired(now)) throw new OfferUnavailableException($"The offer of trip {tripId} expired at {Offer.ExpiresAt:O}.");
        return this with
        {
            State = DriverStates.OnTrip, CurrentTripId = tripId, CurrentRiderId = Offer.RiderId,
            TripPickup = Offer.Pickup, TripDropoff = Offer.Dropoff, TripStops = Offer.Stops, TripStopsReached = 0, RideStarted = false, Offer = null, UpdatedAt = now, Revision = Revision + 1,
            RecentOffers = OfferRecord.Add(RecentOffers, OfferRecord.AcceptedMark),
            // Any trip takes them out of a queue: back in the lot afterwards, they join at the back — unless this trip was
            // the queue's and turns out short (LeftQueueFor). Another trip before going back forfeits a pass.
            QueueId = null, QueuedAt = null, QueuePlaceKept = false, QueueDeclines = 0, ReturnPass = null,
            LeftQueueFor = QueueId is { } queueId && QueuedAt is { } queuedAt && Offer.QueueId == queueId ? new QueueDeparture(queueId, queuedAt, tripId) : null,
        };
    }

    public Driver StartRide(string tripId, DateTimeOffset now) =>
        State == DriverStates.OnTrip && CurrentTripId == tripId && !RideStarted ? this with { RideStarted = true, UpdatedAt = now, Revision = Revision + 1 } : this;

    /// <summary>The rider changed where this trip ends: the drop-off ETA goes there. A no-op unless on this very trip.</summary>
    public Driver ChangeTripDropoff(string tripId, GeoPoint dropoff, DateTimeOffset now) =>
        State == DriverStates.OnTrip && CurrentTripId == tripId && TripDropoff != dropoff
            ? this with { TripDropoff = dropoff, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>The rider moved the pickup of this trip (ADR 0046): the pickup ETA goes there. A no-op unless on this very trip, before the ride starts.</summary>
    public Driver ChangeTripPickup(string tripId, GeoPoint pickup, DateTimeOffset now) =>
        State == DriverStates.OnTrip && CurrentTripId == tripId && !RideStarted && TripPickup != pickup
            ? this with { TripPickup = pickup, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>The driver reached stop <paramref name="index"/> of this trip: the drop-off ETA goes through the stops after it. A no-op unless on this very trip.</summary>
    public Driver ReachStop(string tripId, int index, DateTimeOffset now) =>
        State == DriverStates.OnTrip && CurrentTripId == tripId && index + 1 > TripStopsReached
            ? this with { TripStopsReached = Math.Min(index + 1, TripStops?.Count ?? 0), UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>
    /// The trip ended (completed, cancelled, or given up by this driver): the driver is available again, or offline when
    /// they stopped new requests or the service said so (<see cref="GoesOfflineAfterTrip"/>). A no-op
    /// unless the driver is on this very trip, so a late or repeated event never frees a driver from a newer trip.
    /// A completed short trip from an airport queue gives them <paramref name="returnPass"/> (kept only if they stay online).
    /// </summary>
    public Driver ReleaseFromTrip(string tripId, DateTimeOffset now, QueueReturn? returnPass = null) =>
        State == DriverStates.OnTrip && CurrentTripId == tripId
            ? (GoesOfflineAfterTrip ? WentOffline(now) : this) with
            {
                LeftQueueFor = null,
                ReturnPass = GoesOfflineAfterTrip ? null : returnPass,
                State = GoesOfflineAfterTrip ? DriverStates.Offline : DriverStates.Available,
                OfflineReason = OfflineAfterTrip, OfflineAfterTrip = null, StopsAfterTrip = false,
                // Offline, they head nowhere any more (as when they go offline themselves).
                HeadingTo = GoesOfflineAfterTrip ? null : HeadingTo is { } heading && TripDropoff is { } dropoff && heading.IsReachedAt(dropoff) ? null : HeadingTo,
                CurrentTripId = null, CurrentRiderId = null,
                TripPickup = null, TripDropoff = null, TripStops = null, TripStopsReached = 0, RideStarted = false, UpdatedAt = now, Revision = Revision + 1,
            }
            : this;

    /// <summary>
    /// From now on, only trips towards <paramref name="destination"/> (<see cref="Domain.HeadingTo"/>), while online; going
    /// offline, or a trip that ends there, clears it. At most <paramref name="perDay"/> a UTC day; setting the same
    /// destination again changes nothing (and does not count).
    /// </summary>
    public Driver HeadTo(GeoPoint destination, int perDay, DateTimeOffset now)
    {
        if (State == DriverStates.Offline) throw new DriverTransitionException("Go online first: a destination applies while you drive.");
        if (HeadingTo?.Destination == destination) return this;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var used = DestinationsDay == today ? DestinationsSet : 0;
        if (used >= perDay)
        {
            throw new DriverTransitionException($"You can set a destination {perDay} {(perDay == 1 ? "time" : "times")} a day, and you have today; take any trip, or set one again tomorrow (UTC).");
        }
        return this with
        {
            HeadingTo = new HeadingTo(destination, now), DestinationsSet = used + 1, DestinationsDay = today, UpdatedAt = now, Revision = Revision + 1,
        };
    }

    /// <summary>Any trip again.</summary>
    public Driver StopHeadingTo(DateTimeOffset now) =>
        HeadingTo is null ? this : this with { HeadingTo = null, UpdatedAt = now, Revision = Revision + 1 };

    /// <summary>Pets welcome or not from now on (ADR 0041), whatever the driver's state; the same again changes nothing.</summary>
    public Driver WelcomePets(bool welcome, DateTimeOffset now) =>
        PetsWelcome == welcome ? this : this with { PetsWelcome = welcome, UpdatedAt = now, Revision = Revision + 1 };

    /// <summary>"Accept cash rides" on or off (ADR 0042), whatever the driver's state; the same again changes nothing.</summary>
    public Driver AcceptCash(bool accept, DateTimeOffset now) =>
        AcceptsCash == accept ? this : this with { DeclinesCash = !accept, UpdatedAt = now, Revision = Revision + 1 };

    /// <summary>
    /// Payments says the driver's cash balance in <paramref name="limit"/>'s currency crossed the limit (ADR 0042). An
    /// older crossing than the one kept (arriving late, or redelivered) changes nothing.
    /// </summary>
    public Driver WithCashLimit(CashLimitState limit, DateTimeOffset now)
    {
        var kept = CashLimits ?? [];
        if (kept.Any(c => c.Currency == limit.Currency && c.Crossing >= limit.Crossing)) return this;
        return this with
        {
            CashLimits = [.. kept.Where(c => c.Currency != limit.Currency), limit], UpdatedAt = now, Revision = Revision + 1,
        };
    }


    /// <summary>What support's last approval says of the vehicle (ADR 0045), whatever the driver's state; the same again changes nothing.</summary>
    public Driver ApproveWheelchairAccessible(bool accessible, DateTimeOffset now) =>
        WheelchairAccessible == accessible ? this : this with { WheelchairAccessible = accessible, UpdatedAt = now, Revision = Revision + 1 };

    /// <summary>
    /// Whether this driver takes a ride that needs <paramref name="needs"/>: one with a pet only if they welcome pets
    /// (ADR 0041), one paid in cash only if they accept cash and are not past the cash limit (ADR 0042), one that needs a
    /// wheelchair-accessible vehicle only if support approved theirs as such (ADR 0045). A ride that needs nothing more, always.
    /// </summary>
    public bool Takes(RideNeeds needs) =>
        (!needs.WithPet || PetsWelcome)
        && (!needs.PayInCash || (AcceptsCash && !CashPaused))
        && (!needs.WheelchairAccessible || WheelchairAccessible);

    /// <summary>Whether this driver, at <paramref name="driverAt"/>, takes a trip ending at <paramref name="dropoff"/>.</summary>
    public bool Takes(GeoPoint driverAt, GeoPoint dropoff) => HeadingTo?.IsTowards(driverAt, dropoff) ?? true;

    /// <summary>
    /// The driver turns the offer down. In an airport queue they go to its back, unless its allowance of
    /// <paramref name="declinesAllowed"/> is not used up yet.
    /// </summary>
    public Driver Decline(string tripId, DateTimeOffset now, int declinesAllowed = 0)
    {
        if (State != DriverStates.Offered || Offer?.TripId != tripId) throw NoPendingOffer(tripId, now);
        return ToBackOfQueue(now, declinesAllowed) with
        {
            State = DriverStates.Available, Offer = null, EndedOffer = Offer, UpdatedAt = now, Revision = Revision + 1,
            RecentOffers = OfferRecord.Add(RecentOffers, OfferRecord.DeclinedMark),
        };
    }

    /// <summary>
    /// The driver did not answer this offer before its deadline: it is taken back and counts as missed (in an airport queue,
    /// as a decline does: <see cref="Decline"/>). A no-op unless it is still pending.
    /// </summary>
    public Driver Miss(string offerId, DateTimeOffset now, int declinesAllowed = 0) =>
        WithdrawOffer(offerId, now) is var withdrawn && !ReferenceEquals(withdrawn, this)
            ? withdrawn.ToBackOfQueue(now, declinesAllowed) with { RecentOffers = OfferRecord.Add(RecentOffers, OfferRecord.MissedMark) }
            : this;

    /// <summary>Withdraws the offer of this trip if it is still pending; a no-op otherwise (accepted, declined, or another offer).</summary>
    public Driver WithdrawOffer(string offerId, DateTimeOffset now) =>
        State == DriverStates.Offered && Offer?.OfferId == offerId
            ? this with { State = DriverStates.Available, Offer = null, EndedOffer = Offer, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>An offer of this trip that ended (expired, withdrawn, declined) is refused as such; any other is not found.</summary>
    private Exception NoPendingOffer(string tripId, DateTimeOffset now) =>
        EndedOffer?.TripId == tripId
            ? new OfferUnavailableException(now >= EndedOffer.ExpiresAt
                ? $"The offer of trip {tripId} expired at {EndedOffer.ExpiresAt:O}."
                : $"The offer of trip {tripId} is no longer available (it was withdrawn or declined).")
            : new OfferNotFoundException($"You have no pending offer of trip {tripId}.");

    /// <summary>Withdraws a pending offer of this trip, whichever offer id it has (the trip was cancelled).</summary>
    public Driver WithdrawOfferOfTrip(string tripId, DateTimeOffset now) =>
        State == DriverStates.Offered && Offer?.TripId == tripId ? WithdrawOffer(Offer.OfferId, now) : this;

    /// <summary>
    /// The record with the driver's stored live position (<see cref="StoredPosition"/>, kept apart) if that is newer than
    /// the position the record holds (the one they went online with). Not a state change: the revision stays.
    /// </summary>
    public Driver WithStoredPosition(StoredPosition? stored) =>
        stored is not null && (LocationAt is not { } at || stored.At > at) ? this with { Location = stored.Location, LocationAt = stored.At } : this;

    public bool HasFreshLocation(DateTimeOffset now, TimeSpan freshness) => LocationAt is { } at && now - at <= freshness;

    /// <summary>
    /// Takes an available driver offline when the last thing known of them (<paramref name="lastHeard"/>: their last
    /// position, or their record's last change if later) is older than <paramref name="heardBefore"/>: the app closed or
    /// lost its connection, and they would otherwise stay available for ever without being offered anything (no fresh
    /// position), counted as supply. Only from available: an offer expires by itself, and a trip is never ended this way.
    /// </summary>
    public Driver TakeOfflineIfSilent(DateTimeOffset lastHeard, DateTimeOffset heardBefore, DateTimeOffset now, string reason) =>
        State == DriverStates.Available && Max(lastHeard, LastChangedAt) < heardBefore
            ? WentOffline(now) with { State = DriverStates.Offline, OfflineReason = reason, UpdatedAt = now, Revision = Revision + 1 }
            : this;

    /// <summary>When the record last changed: a state change, or a stored position.</summary>
    [JsonIgnore]
    public DateTimeOffset LastChangedAt => Max(UpdatedAt, LocationAt ?? UpdatedAt);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

public sealed class DriverTransitionException(string message) : Exception(message);

/// <summary>Accept/decline of an offer that is not (or no longer) pending for this driver.</summary>
public sealed class OfferUnavailableException(string message) : Exception(message);

/// <summary>No offer of that trip was made to this driver (or it ended): to them it does not exist.</summary>
public sealed class OfferNotFoundException(string message) : Exception(message);

/// <summary>
/// A driver's answers to their last <see cref="Kept"/> offers: how many they accepted, declined and missed, and the
/// share accepted (null before any offer). Shown to the driver and to support; dispatch does not use it.
/// </summary>
public sealed record OfferRecord(int Accepted, int Declined, int Missed)
{
    public const int Kept = 50;
    public const char AcceptedMark = 'A';
    public const char DeclinedMark = 'D';
    public const char MissedMark = 'M';

    public int Count => Accepted + Declined + Missed;

    /// <summary>The share of offers accepted, 0 to 1; null when there were none.</summary>
    public double? AcceptanceRate => Count == 0 ? null : (double)Accepted / Count;

    public static OfferRecord Of(string marks) =>
        new(marks.Count(c => c == AcceptedMark), marks.Count(c => c == DeclinedMark), marks.Count(c => c == MissedMark));

    /// <summary>The marks with one more answer, the oldest dropped past <see cref="Kept"/>.</summary>
    public static string Add(string marks, char mark) => (marks + mark) is var all && all.Length > Kept ? all[^Kept..] : all;
}
